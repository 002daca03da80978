# Copyright (c) OpenMMLab. All rights reserved.
"""Prepare DeepFashion In-shop for gfla_mm, as the official GFLA script did.

Inputs (from the DeepFashion In-shop release and the GFLA data links):
  ROOT/img_highres/WOMEN/.../id_00000001/02_1_front.jpg   (the images)
  ROOT/train.lst, ROOT/test.lst                            (renamed names)
  ROOT/fasion-pairs-{train,test}.csv, fasion-annotation-{train,test}.csv

Output (what PosePairDataset reads, default keypoint_frame=(256, 176)):
  OUT/train/*.jpg, OUT/test/*.jpg    renamed, resized with bicubic
  OUT/fasion-*.csv                   copied

    python tools/dataset_converters/deepfashion/prepare.py ROOT --out OUT

Every pair of the pairs CSVs is checked; missing images are listed.
"""
import argparse
import os
import os.path as osp
import sys

from gfla_mm.datasets.preparation import deepfashion_name, prepare_split

CSVS = ('fasion-pairs-{}.csv', 'fasion-annotation-{}.csv')


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description='Rename, resize and split DeepFashion In-shop images '
        'into the layout gfla_mm (and the official GFLA code) expects.')
    parser.add_argument('root', help='folder with img_highres/, train.lst, '
                        'test.lst and the fasion-*.csv files')
    parser.add_argument('--out', required=True, help='output folder')
    parser.add_argument(
        '--size', type=int, nargs=2, default=(256, 176), metavar=('H', 'W'),
        help='resize to H W with bicubic (default 256 176, the keypoint '
        'frame of the CSVs); 0 0 copies the high-res files unchanged')
    return parser.parse_args(argv)


def main(argv=None) -> int:
    args = parse_args(argv)
    img_root = osp.join(args.root, 'img_highres')
    if not osp.isdir(img_root):
        raise SystemExit(f'not found: {img_root}')
    split_of = {}
    for split in ('train', 'test'):
        lst = osp.join(args.root, f'{split}.lst')
        if not osp.isfile(lst):
            raise SystemExit(f'not found: {lst}')
        with open(lst) as f:
            split_of.update({line.strip(): split for line in f
                             if line.strip()})
    files = {'train': {}, 'test': {}}
    for dirpath, _, names in os.walk(img_root):
        for name in names:
            rel = osp.relpath(osp.join(dirpath, name), args.root)
            try:
                new = deepfashion_name(rel)
            except ValueError:
                continue
            if new in split_of:
                files[split_of[new]][new] = osp.join(dirpath, name)
    size = tuple(args.size) if all(args.size) else None
    status = 0
    for split in ('train', 'test'):
        written, problems = prepare_split(files[split], args.root, args.out,
                                          split, size, CSVS)
        listed = sum(1 for s in split_of.values() if s == split)
        print(f'{split}: {written} of {listed} listed images written')
        for problem in problems:
            print(f'  {problem}', file=sys.stderr)
        status |= bool(problems)
    return status


if __name__ == '__main__':
    sys.exit(main())
