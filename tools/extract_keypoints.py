# Copyright (c) OpenMMLab. All rights reserved.
"""Turn your own photos (or a video) into a gfla_mm pose-pair dataset.

Every image is resized to --size and written to OUT/SPLIT/, an mmpose
top-down model (HRNet-W32 COCO by default; weights download once) finds the
person's keypoints, and the official CSVs are written beside them:

    OUT/SPLIT/*.jpg
    OUT/{prefix}-annotation-SPLIT.csv   name:keypoints_y:keypoints_x (-1: none)
    OUT/{prefix}-pairs-SPLIT.csv        from,to

Examples::

    python tools/extract_keypoints.py my_photos/ --out data/mine --split test
    python tools/extract_keypoints.py dance.mp4 --out data/dance --every 5
    python tools/extract_keypoints.py my_photos/ --out data/mine \
        --pairs my_pairs.csv --device cuda:0

Then use ``PosePairDataset(data_root=OUT, split=SPLIT, keypoint_frame=SIZE)``.
Keypoints are extracted in this separate process so that mmpose's default
scope never leaks into mmagic training.
"""
import argparse
import csv
import json
import os
import os.path as osp
import sys
from typing import Iterator, List, Tuple

import cv2
import numpy as np
from tqdm import tqdm

from gfla_mm.apis.pose_extraction import (
    PoseExtractor,
    add_pose_extractor_args,
    pose_extractor_kwargs,
)
from gfla_mm.utils import (
    IMAGE_EXTENSIONS,
    MISSING,
    inside_frame,
    iter_video_frames,
    list_images,
    read_image,
)


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description='Extract OpenPose-18 keypoints with mmpose and write a '
        'pose-pair dataset in the official GFLA format.')
    parser.add_argument('input', help='a folder of images or a video file')
    parser.add_argument('--out', required=True, help='dataset folder')
    parser.add_argument('--split', default='test',
                        help='split name: images go to OUT/SPLIT')
    parser.add_argument('--prefix', default='fasion',
                        help='CSV name prefix (official: fasion, market)')
    parser.add_argument(
        '--size', type=int, nargs=2, default=(256, 176), metavar=('H', 'W'),
        help='output image size, also the keypoint frame (default 256 176)')
    parser.add_argument(
        '--pairs', default='all',
        help="'all' (every ordered pair of different images) or a CSV "
        'with a from,to header naming input files')
    parser.add_argument('--every', type=int, default=1,
                        help='video: keep every N-th frame')
    parser.add_argument('--device', default='cpu')
    add_pose_extractor_args(parser)
    return parser.parse_args(argv)


def iter_inputs(path: str, every: int) -> Iterator[Tuple[str, object]]:
    """(output name, image array or the error text) for every input."""
    if osp.isdir(path):
        names = list_images(path)
        if not names:
            raise SystemExit(f'no images ({", ".join(IMAGE_EXTENSIONS)}) in '
                             f'{path}')
        for name in names:
            stem = osp.splitext(name)[0]
            try:
                yield f'{stem}.jpg', read_image(osp.join(path, name), 'bgr')
            except ValueError:
                yield f'{stem}.jpg', f'cannot read {name}'
        return
    if not osp.isfile(path):
        raise SystemExit(f'input not found: {path}')
    stem = osp.splitext(osp.basename(path))[0]
    try:
        for index, frame in enumerate(iter_video_frames(path, 'bgr')):
            if index % every == 0:
                yield f'{stem}{index:06d}.jpg', frame
    except ValueError as exc:
        raise SystemExit(str(exc)) from exc


def frame_keypoints(kps: np.ndarray, size: Tuple[int, int]) -> np.ndarray:
    """Integer coordinates as in the official CSVs; off-image -> -1."""
    out = np.floor(kps).astype(np.int64)
    out[~inside_frame(kps, size)] = MISSING
    return out


def read_pairs(path: str, names: List[str]) -> List[Tuple[str, str]]:
    by_stem = {osp.splitext(n)[0]: n for n in names}
    pairs = []
    with open(path, newline='') as f:
        reader = csv.reader(f)
        if [c.strip() for c in next(reader, [])] != ['from', 'to']:
            raise SystemExit(f'{path}: header must be "from,to"')
        for row_no, row in enumerate(reader, start=2):
            if not row:
                continue
            got = [by_stem.get(osp.splitext(n.strip())[0]) for n in row]
            if len(row) != 2 or None in got:
                raise SystemExit(f'{path}, row {row_no}: {row} names an '
                                 'image that was not extracted')
            pairs.append(tuple(got))
    return pairs


def main(argv=None) -> int:
    args = parse_args(argv)
    size = tuple(args.size)
    img_dir = osp.join(args.out, args.split)
    os.makedirs(img_dir, exist_ok=True)
    extractor = PoseExtractor(device=args.device,
                              **pose_extractor_kwargs(args))
    rows, failed = [], []
    for name, img in tqdm(iter_inputs(args.input, args.every),
                          desc='keypoints', unit='img'):
        if isinstance(img, str):
            failed.append(img)
            continue
        img = cv2.resize(img, (size[1], size[0]),
                         interpolation=cv2.INTER_CUBIC)
        cv2.imwrite(osp.join(img_dir, name), img,
                    [cv2.IMWRITE_JPEG_QUALITY, 95])
        kps = frame_keypoints(extractor(img), size)
        rows.append((name, kps))
    if not rows:
        raise SystemExit('no image could be read: ' + '; '.join(failed))
    names = [name for name, _ in rows]
    pairs = ([(a, b) for a in names for b in names if a != b]
             if args.pairs == 'all' else read_pairs(args.pairs, names))
    ann_path = osp.join(args.out, f'{args.prefix}-annotation-{args.split}.csv')
    with open(ann_path, 'w', newline='') as f:
        writer = csv.writer(f, delimiter=':')
        writer.writerow(['name', 'keypoints_y', 'keypoints_x'])
        for name, kps in rows:
            writer.writerow([name, json.dumps(kps[:, 1].tolist()),
                             json.dumps(kps[:, 0].tolist())])
    pairs_path = osp.join(args.out, f'{args.prefix}-pairs-{args.split}.csv')
    with open(pairs_path, 'w', newline='') as f:
        writer = csv.writer(f)
        writer.writerow(['from', 'to'])
        writer.writerows(pairs)
    missing = sum(int((kps < 0).all(1).sum()) for _, kps in rows)
    print(f'{len(rows)} images -> {img_dir}\n{ann_path}\n{pairs_path} '
          f'({len(pairs)} pairs)\n{missing} of {18 * len(rows)} joints '
          f'below score {args.score_thr} (written as -1)\n'
          f'keypoint_frame={size}')
    if failed:
        print('could not read:\n  ' + '\n  '.join(failed), file=sys.stderr)
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main())
