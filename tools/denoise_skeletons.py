# Copyright (c) OpenMMLab. All rights reserved.
"""Clean a detected skeleton track with the Motion Extraction Network.

Reads a track (a folder of per-frame OpenPose/AlphaPose JSON files, a
``.npy`` of (T, 17|18, 2|3), or mmpose's prediction files), fills missing
joints (interpolated in time, then held), runs the network over the whole
track and writes one JSON per frame in the official ``"Video to Pose 2D"``
format (Human3.6M-17 pixels), named as the input frames::

    CONFIG=configs/motion_extractor/motion-extractor_1xb32-100k_h36m.py
    python tools/denoise_skeletons.py train_256/train_alphapose/VIDEO \\
        train_256/train_video2d/VIDEO --config $CONFIG \\
        --checkpoint men_h36m.pth --frame-width 256

The checkpoint may be gfla_mm's or the official released one.
"""
import argparse
import sys

from tqdm import tqdm

from gfla_mm.apis.skeleton_denoising import (
    init_motion_extractor,
    load_skeleton_track,
    write_video2d_json,
)
from gfla_mm.datasets.keypoint_formats import COCO17_FLIP_INDEX
from gfla_mm.datasets.pose_pair_dataset import PoseDataError


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description='Denoise a 2-D skeleton track with the Motion '
        'Extraction Network: COCO-17/OpenPose-18 detections in, clean '
        'Human3.6M-17 per-frame JSON out.')
    parser.add_argument('input', help='folder of per-frame JSON files, a '
                        '.npy track or an mmpose prediction .json')
    parser.add_argument('out_dir', help='folder for the cleaned JSON files')
    parser.add_argument('--config', required=True,
                        help='a configs/motion_extractor/ config')
    parser.add_argument('--checkpoint', help='weights (gfla_mm or official);'
                        ' omitted: random weights, for testing only')
    parser.add_argument('--frame-width', type=float, default=256,
                        help='width of the frames in pixels (the network '
                        'sees coordinates / width); default 256, the '
                        'official FashionVideo/iPER frames')
    parser.add_argument('--score-thr', type=float, default=0.3,
                        help='joints scoring lower count as missing')
    parser.add_argument('--chunk', type=int, default=24,
                        help='output frames per window (0: the whole track '
                        'at once, as the official test)')
    parser.add_argument('--device', default='cpu')
    return parser.parse_args(argv)


def main(argv=None) -> int:
    args = parse_args(argv)
    if args.checkpoint is None:
        print('warning: no --checkpoint, the network has random weights',
              file=sys.stderr)
    try:
        track, names = load_skeleton_track(
            args.input, args.score_thr,
            progress=lambda it: tqdm(it, desc='reading', unit='frame'))
        model = init_motion_extractor(args.config, args.checkpoint,
                                      args.device)
        result = model.denoise(
            track, args.frame_width, mirror=COCO17_FLIP_INDEX,
            chunk=args.chunk or None, name=args.input)
    except (FileNotFoundError, PoseDataError, ValueError) as exc:
        print(f'error: {exc}', file=sys.stderr)
        return 1
    written = write_video2d_json(
        args.out_dir, names,
        tqdm(result['joints'], desc='writing', unit='frame'))
    total = track.shape[0] * track.shape[1]
    print(f'{len(written)} frames denoised -> {args.out_dir}; '
          f'{result["num_filled"]} of {total} input joints were missing '
          'and filled')
    return 0


if __name__ == '__main__':
    sys.exit(main())
