# Copyright (c) OpenMMLab. All rights reserved.
"""Pose transfer from the command line: a person image and a target pose
(or a pose sequence) -> an image (or an mp4 / gif / frame folder).

Examples::

    # one pose, keypoints extracted from images with mmpose
    python demo/pose_transfer_demo.py CONFIG CHECKPOINT \\
        --img person.jpg --target-pose other_person.jpg \\
        --result-out-dir out.png

    # a pose sequence ((T, 18, 2) .npy/.json, mmpose's video predictions,
    # or a driving video) -> video
    python demo/pose_transfer_demo.py CONFIG CHECKPOINT \\
        --img person.jpg --source-pose person.json \\
        --target-pose dance.json --pose-frame 256 176 \\
        --result-out-dir dance.mp4 --fps 25
"""
import argparse
import sys

from gfla_mm.apis import PoseTransferInferencer
from gfla_mm.apis.pose_extraction import (
    add_pose_extractor_args,
    pose_extractor_kwargs,
)


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description='Generate the person of --img in the pose(s) of '
        '--target-pose with a GFLA model.')
    parser.add_argument('config', help='GFLA config file')
    parser.add_argument('checkpoint', help='checkpoint file or URL')
    parser.add_argument('--img', required=True,
                        help='source person image')
    parser.add_argument(
        '--target-pose', required=True,
        help='OpenPose-18 keypoints ((18, 2) or (T, 18, 2) as .json/.npy, '
        'or mmpose prediction JSON), or an image or a video (one pose per '
        'frame) to extract them from')
    parser.add_argument(
        '--source-pose',
        help='keypoints of --img (same forms); default: extracted with '
        'mmpose')
    parser.add_argument(
        '--pose-frame', type=int, nargs=2, metavar=('H', 'W'),
        help='size of the frame the target keypoints are in (default: the '
        'image they come from, else --img)')
    parser.add_argument(
        '--result-out-dir', required=True,
        help='output image; for a sequence .mp4/.avi/.gif or a folder')
    parser.add_argument('--fps', type=float, default=25.0,
                        help='frame rate of a written sequence')
    parser.add_argument(
        '--panel', action='store_true',
        help='write source | target pose | generated side by side')
    parser.add_argument('--batch-size', type=int, default=8,
                        help='poses per forward pass')
    parser.add_argument('--device', default=None,
                        help="e.g. 'cpu', 'cuda:0' (default: CUDA if any)")
    parser.add_argument(
        '--no-fast',
        action='store_true',
        help='on the CPU, run the generator as trained instead of its '
        'faster inference form (docs/inference.md)')
    add_pose_extractor_args(parser)
    return parser.parse_args(argv)


def main(argv=None) -> int:
    args = parse_args(argv)
    try:
        inferencer = PoseTransferInferencer(
            args.config,
            args.checkpoint,
            device=args.device,
            fast=not args.no_fast,
            **pose_extractor_kwargs(args))
        result = inferencer(
            args.img,
            args.target_pose,
            source_pose=args.source_pose,
            pose_frame=args.pose_frame,
            batch_size=args.batch_size,
            result_out_dir=args.result_out_dir,
            fps=args.fps,
            panel=args.panel)
    except (ValueError, TypeError, OSError) as exc:
        # Bad input: say what and where, without a traceback.
        print(f'error: {exc}', file=sys.stderr)
        return 1
    frames = result['visualization']
    h, w = frames[0].shape[:2]
    print(f'wrote {args.result_out_dir} ({len(frames)} '
          f'{"frame" if len(frames) == 1 else "frames"}, {w}x{h})')
    return 0


if __name__ == '__main__':
    sys.exit(main())
