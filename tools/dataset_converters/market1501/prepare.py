# Copyright (c) OpenMMLab. All rights reserved.
"""Prepare Market-1501 for gfla_mm, as the official GFLA data layout.

Inputs:
  ROOT/bounding_box_train/*.jpg, ROOT/bounding_box_test/*.jpg, ROOT/query/
  ROOT/market-pairs-{train,test}.csv, market-annotation-{train,test}.csv

Output (PosePairDataset with pairs_file='market-pairs-{split}.csv',
annotation_file='market-annotation-{split}.csv', keypoint_frame=(128, 64)):
  OUT/train/*.jpg  (bounding_box_train)   OUT/test/*.jpg  (bounding_box_test
  and query)       OUT/market-*.csv

    python tools/dataset_converters/market1501/prepare.py ROOT --out OUT

Every pair of the pairs CSVs is checked; missing images are listed.
"""
import argparse
import os
import os.path as osp
import sys

from gfla_mm.datasets.preparation import prepare_split

SOURCES = dict(train=('bounding_box_train', ),
               test=('bounding_box_test', 'query'))
CSVS = ('market-pairs-{}.csv', 'market-annotation-{}.csv')


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description='Split Market-1501 into the layout gfla_mm expects.')
    parser.add_argument('root', help='Market-1501 folder with the '
                        'market-*.csv files')
    parser.add_argument('--out', required=True, help='output folder')
    return parser.parse_args(argv)


def main(argv=None) -> int:
    args = parse_args(argv)
    status = 0
    for split, folders in SOURCES.items():
        files = {}
        for folder in folders:
            src_dir = osp.join(args.root, folder)
            if not osp.isdir(src_dir):
                if folder == folders[0]:
                    raise SystemExit(f'not found: {src_dir}')
                continue
            files.update({n: osp.join(src_dir, n)
                          for n in os.listdir(src_dir)
                          if n.lower().endswith('.jpg')})
        written, problems = prepare_split(files, args.root, args.out, split,
                                          None, CSVS)
        print(f'{split}: {written} images written')
        for problem in problems:
            print(f'  {problem}', file=sys.stderr)
        status |= bool(problems)
    return status


if __name__ == '__main__':
    sys.exit(main())
