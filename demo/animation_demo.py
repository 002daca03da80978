# Copyright (c) OpenMMLab. All rights reserved.
"""Animate a photo from the command line: a person image and a driving
skeleton sequence (or a driving video) -> an H.264 mp4 (and a GIF, a folder
of frames) of that person moving, with a GFLA animation model.

Examples::

    # a clean Human3.6M-17 track (the Motion Extraction Network's JSON)
    python demo/animation_demo.py CONFIG CHECKPOINT --source person.jpg \\
        --source-keypoints person.json --driving dance_video2d/ \\
        --out dance.mp4 --gif --side-by-side

    # a driving video: skeletons extracted with mmpose, cleaned by the MEN
    python demo/animation_demo.py CONFIG CHECKPOINT --source person.jpg \\
        --driving dance.mp4 --men-config MEN_CONFIG \\
        --men-checkpoint MEN_CKPT --out person_dancing.mp4 --fps 15
"""
import argparse
import os.path as osp
import sys

from gfla_mm.apis import AnimationInferencer
from gfla_mm.apis.inferencers.animation_geometry import (
    FIT_MODES,
    RETARGET_MODES,
)
from gfla_mm.apis.inferencers.animation_inferencer import DRIVING_FORMATS
from gfla_mm.apis.pose_extraction import (
    add_pose_extractor_args,
    pose_extractor_kwargs,
)


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description='Animate the person of --source with the skeletons of '
        '--driving using a GFLA animation model.')
    parser.add_argument('config', help='animation config '
                        '(configs/gfla_animation/)')
    parser.add_argument('checkpoint', help="checkpoint file, or 'none' "
                        '(random weights, for testing)')
    parser.add_argument('--source', required=True,
                        help='source person image')
    parser.add_argument(
        '--source-keypoints',
        help='keypoints of --source (OpenPose-18 .json/.npy, or mmpose '
        'prediction JSON); default: extracted with mmpose')
    parser.add_argument(
        '--driving', required=True,
        help='driving skeletons: a folder of per-frame JSON files, a .npy '
        '(T, 17|18, 2|3), mmpose video predictions (.json), or a video '
        'whose skeletons are extracted with mmpose')
    parser.add_argument(
        '--driving-format', choices=DRIVING_FORMATS, default='auto',
        help="joint order of a track: 'auto' (18 joints OpenPose-18, 17 "
        "COCO-17, MEN output JSON Human3.6M-17), or 'h36m17' for a clean "
        'Human3.6M-17 track (used as it is)')
    parser.add_argument(
        '--driving-frame', type=int, nargs=2, metavar=('H', 'W'),
        help='size of the frames a skeleton track was detected on '
        '(default: the source image; a video knows its own)')
    parser.add_argument('--out', required=True,
                        help='output video (.mp4: H.264; .avi, .gif)')
    parser.add_argument('--gif', action='store_true',
                        help='also write a looping GIF beside --out')
    parser.add_argument('--frames', metavar='DIR',
                        help='also write the frames as PNGs into DIR')
    parser.add_argument('--side-by-side', action='store_true',
                        help='write driving skeleton | generated')
    parser.add_argument('--fps', type=float, default=15.0,
                        help='frame rate of the outputs (default 15)')
    parser.add_argument('--fit', choices=FIT_MODES, default='stretch',
                        help="'stretch' the photo to the model's frame (as "
                        "the datasets were made) or 'pad' it, keeping its "
                        'aspect ratio')
    parser.add_argument('--retarget', choices=RETARGET_MODES,
                        default='align',
                        help="'align': scale and move the driving skeletons "
                        "onto the source person; 'none': keep them where "
                        'they are in their frame')
    parser.add_argument('--max-frames', type=int,
                        help='animate only the first N driving frames')
    parser.add_argument('--chunk-size', type=int,
                        help='frames per generator call (memory only)')
    parser.add_argument('--men-config',
                        help='Motion Extraction Network config to clean '
                        'detected skeletons (without it: gaps filled only)')
    parser.add_argument('--men-checkpoint',
                        help='its weights (gfla_mm or official)')
    parser.add_argument('--device', default=None,
                        help="e.g. 'cpu', 'cuda:0' (default: CUDA if any)")
    add_pose_extractor_args(parser)
    return parser.parse_args(argv)


def main(argv=None) -> int:
    args = parse_args(argv)
    outs = [args.out]
    if args.gif:
        gif = osp.splitext(args.out)[0] + '.gif'
        if gif != args.out:
            outs.append(gif)
    if args.frames:
        outs.append(args.frames)
    checkpoint = None if args.checkpoint == 'none' else args.checkpoint
    try:
        if checkpoint is not None and not osp.isfile(checkpoint):
            raise FileNotFoundError(f'checkpoint {checkpoint} does not '
                                    'exist')
        inferencer = AnimationInferencer(
            args.config,
            checkpoint,
            device=args.device,
            men_config=args.men_config,
            men_checkpoint=args.men_checkpoint,
            **pose_extractor_kwargs(args))
        result = inferencer(
            args.source,
            args.driving,
            source_keypoints=args.source_keypoints,
            driving_frame=args.driving_frame,
            driving_format=args.driving_format,
            fit=args.fit,
            retarget=args.retarget,
            max_frames=args.max_frames,
            chunk_size=args.chunk_size,
            result_out=outs,
            fps=args.fps,
            side_by_side=args.side_by_side)
    except (ValueError, TypeError, OSError) as exc:
        # Bad input: say what and where, without a traceback.
        print(f'error: {exc}', file=sys.stderr)
        return 1
    frames = result['visualization']
    h, w = frames[0].shape[:2]
    print(f'wrote {", ".join(result["files"])} ({len(frames)} frames, '
          f'{w}x{h}, {args.fps:g} fps)')
    return 0


if __name__ == '__main__':
    sys.exit(main())
