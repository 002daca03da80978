# Copyright (c) OpenMMLab. All rights reserved.
"""Prepare FashionVideo (Zablotskaia et al., "DwNet") for gfla_mm, in the
official GFLA animation layout (``dataset/danceFashion``).

Inputs:
  ROOT/train/*.mp4, ROOT/test/*.mp4   the videos of the release's train and
                                      test URL lists

Output (what PoseVideoDataset reads):
  OUT/{train,test}_256/train_A/<video>/00000.png ...   256x256, bicubic

Then put the official skeletons (``script/download_animation_skeletons.sh``)
in OUT/{split}_256/train_alphapose/ and train_video2d/ and run again with
``--check-only``: every video's skeleton folders must hold one file per
frame with the frames' names.

    python tools/dataset_converters/fashionvideo/prepare.py ROOT --out OUT
    python tools/dataset_converters/fashionvideo/prepare.py --check-only \\
        --out OUT

Exit status 1 if a video cannot be read or a skeleton folder does not match.
"""
import argparse
import glob
import os.path as osp
import sys

from tqdm import tqdm

from gfla_mm.datasets.video_preparation import prepare_videos, report_split

SPLITS = ('train', 'test')


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description='Extract FashionVideo frames into the official GFLA '
        'layout and check the skeleton folders against them.')
    parser.add_argument('root', nargs='?', help='folder with train/*.mp4 '
                        'and test/*.mp4')
    parser.add_argument('--out', required=True, help='output folder')
    parser.add_argument(
        '--size', type=int, nargs=2, default=(256, 256), metavar=('H', 'W'),
        help='frame size, bicubic (default: 256 256, the official)')
    parser.add_argument('--check-only', action='store_true',
                        help='only check an existing OUT')
    args = parser.parse_args(argv)
    if not args.check_only and args.root is None:
        parser.error('ROOT is required unless --check-only')
    return args


def main(argv=None) -> int:
    args = parse_args(argv)
    status = 0
    for split in SPLITS:
        split_root = osp.join(args.out, f'{split}_256')
        problems = []
        if not args.check_only:
            videos = {
                osp.splitext(osp.basename(p))[0]: p
                for p in glob.glob(osp.join(args.root, split, '*.mp4'))
            }
            if not videos:
                print(f'{split}: no videos in {osp.join(args.root, split)}',
                      file=sys.stderr)
                status = 1
                continue
            _, problems = prepare_videos(
                videos, split_root, tuple(args.size),
                lambda items: tqdm(items, desc=split, unit='video'))
        status |= report_split(split, split_root, problems)
    return status


if __name__ == '__main__':
    sys.exit(main())
