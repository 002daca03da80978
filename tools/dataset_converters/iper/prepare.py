# Copyright (c) OpenMMLab. All rights reserved.
"""Prepare iPER (Liu et al., "Liquid Warping GAN") for gfla_mm, in the
official GFLA animation layout (``dataset/iPER``).

Inputs:
  ROOT/**/*.mp4                  the release's videos, e.g. 001_1_1.mp4
  --train-list, --test-list      the release's split files, one video per
                                 line (``001/1/1`` or ``001_1_1``)

Output (what PoseVideoDataset reads):
  OUT/{train,test}_256/train_A/<video>/00000.png ...   256x256, bicubic

Then put the official skeletons in OUT/{split}_256/train_alphapose/ and
train_video2d/, and the foreground masks (training) in train_C/, and run
again with ``--check-only``: each folder must hold one file per frame with
the frames' names.

    python tools/dataset_converters/iper/prepare.py ROOT --out OUT \\
        --train-list ROOT/train.txt --test-list ROOT/val.txt

Exit status 1 if a listed video is missing or unreadable, or a skeleton or
mask folder does not match.
"""
import argparse
import glob
import os.path as osp
import sys

from tqdm import tqdm

from gfla_mm.datasets.video_preparation import prepare_videos, report_split


def video_name(line: str) -> str:
    """``001/1/1`` or ``001_1_1(.mp4)`` -> ``001_1_1``."""
    name = line.strip().replace('\\', '/').strip('/')
    if name.endswith('.mp4'):
        name = name[:-4]
    return name.replace('/', '_')


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description='Extract iPER frames into the official GFLA layout and '
        'check the skeleton and mask folders against them.')
    parser.add_argument('root', nargs='?', help='folder with the .mp4 files '
                        '(searched recursively)')
    parser.add_argument('--out', required=True, help='output folder')
    parser.add_argument('--train-list', help='train split file')
    parser.add_argument('--test-list', help='test split file')
    parser.add_argument(
        '--size', type=int, nargs=2, default=(256, 256), metavar=('H', 'W'),
        help='frame size, bicubic (default: 256 256, the official)')
    parser.add_argument('--check-only', action='store_true',
                        help='only check an existing OUT')
    args = parser.parse_args(argv)
    if not args.check_only and (args.root is None or not args.train_list
                                or not args.test_list):
        parser.error('ROOT, --train-list and --test-list are required '
                     'unless --check-only')
    return args


def main(argv=None) -> int:
    args = parse_args(argv)
    status = 0
    found = {}
    if not args.check_only:
        for path in glob.glob(osp.join(args.root, '**', '*.mp4'),
                              recursive=True):
            found[osp.splitext(osp.basename(path))[0]] = path
    for split in ('train', 'test'):
        split_root = osp.join(args.out, f'{split}_256')
        problems = []
        if not args.check_only:
            with open(getattr(args, f'{split}_list')) as f:
                names = [video_name(line) for line in f if line.strip()]
            missing = [n for n in names if n not in found]
            problems += [f'{n}: no {n}.mp4 under {args.root}'
                         for n in missing]
            _, more = prepare_videos(
                {n: found[n] for n in names if n in found}, split_root,
                tuple(args.size),
                lambda items: tqdm(items, desc=split, unit='video'))
            problems += more
        status |= report_split(split, split_root, problems)
    return status


if __name__ == '__main__':
    sys.exit(main())
