# Copyright (c) OpenMMLab. All rights reserved.
"""Score a folder of generated images (or videos) against ground truth.

Images are matched by name as GFLA's official script does: a generated
``<src>_2_<tgt>[_vis].<ext>`` is compared with ``<tgt>.*`` in GT_DIR (a
generated file whose name is itself in GT_DIR is matched directly)::

    python tools/analysis_tools/eval_folders.py RESULTS/ data/market/test/ \\
        --metrics lpips mask_lpips ssim psnr fid \\
        --real-dir data/market/train --real-stats market_train_stats.npz \\
        --annotation data/market/market-annotation-test.csv \\
        --out report.json

Videos (``--videos``): each video file or folder of frames in PRED_DIR is
matched with the same name in GT_DIR (extension ignored)::

    python tools/analysis_tools/eval_folders.py GEN/ GT/ --videos \\
        --metrics fid_video aed lpips --i3d-weights i3d_pretrained_400.pt

Weights come from the path/URL flags (defaults: the official URLs,
downloaded once into ``$TORCH_HOME/hub/checkpoints``); ``--random-weights``
uses random networks, for smoke tests only (the numbers mean nothing).
"""
import argparse
import csv
import json
import os
import os.path as osp
import sys
from typing import Dict, List, Optional, Sequence, Tuple

import numpy as np
import torch

IMAGE_METRICS = ('lpips', 'mask_lpips', 'ssim', 'psnr', 'fid')
VIDEO_METRICS = ('fid_video', 'aed', 'lpips', 'ssim', 'psnr', 'fid')


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description='Score generated images/videos against ground truth')
    parser.add_argument('pred_dir', help='generated images or videos')
    parser.add_argument('gt_dir', help='ground-truth images or videos')
    parser.add_argument(
        '--videos',
        action='store_true',
        help='folders hold videos (files or folders of frames)')
    parser.add_argument(
        '--metrics',
        nargs='+',
        help=f'images: {", ".join(IMAGE_METRICS)} (default lpips ssim '
        f'psnr); videos: {", ".join(VIDEO_METRICS)} (default fid_video '
        'aed)')
    parser.add_argument('--out', help='report, .json or .csv')
    parser.add_argument('--device', default='cpu', help='e.g. cuda:0')
    parser.add_argument(
        '--batch-size', type=int, default=16, help='pairs per forward')
    weights = parser.add_argument_group('weights')
    weights.add_argument(
        '--lpips-weights',
        help='torchvision AlexNet state dict for LPIPS (default: '
        'torchvision downloads it)')
    weights.add_argument(
        '--inception-weights',
        help='torchvision Inception-v3 state dict for the paper FID '
        '(default: its download.pytorch.org URL)')
    weights.add_argument('--inception-sha256')
    weights.add_argument(
        '--i3d-weights',
        help='Inception-I3D state dict (default: the TATS URL)')
    weights.add_argument('--i3d-sha256')
    weights.add_argument(
        '--random-weights',
        action='store_true',
        help='random networks: smoke tests only, scores are meaningless')
    fid = parser.add_argument_group('FID (paper protocol)')
    fid.add_argument(
        '--real-dir',
        help='real images for FID statistics (the paper: the training set); '
        'default: the matched ground truth (test-set statistics)')
    fid.add_argument(
        '--real-stats', help='.npz cache of the real statistics')
    mask = parser.add_argument_group('Mask-LPIPS')
    mask.add_argument(
        '--annotation',
        help='official *-annotation-*.csv with the target keypoints')
    mask.add_argument(
        '--keypoint-frame',
        type=int,
        nargs=2,
        metavar=('H', 'W'),
        help='(H, W) of the annotation coordinates (default: image size)')
    video = parser.add_argument_group('FID-Video / AED')
    video.add_argument('--clip-len', type=int, default=16)
    video.add_argument('--clip-stride', type=int, default=16)
    video.add_argument(
        '--short-video', choices=['error', 'pad'], default='error')
    video.add_argument(
        '--aed-distance', choices=['l2', 'mean_abs'], default='l2')
    args = parser.parse_args(argv)
    allowed = VIDEO_METRICS if args.videos else IMAGE_METRICS
    if args.metrics is None:
        args.metrics = (['fid_video', 'aed']
                        if args.videos else ['lpips', 'ssim', 'psnr'])
    bad = [m for m in args.metrics if m not in allowed]
    if bad:
        parser.error(f'unknown metric(s) {bad} for '
                     f'{"videos" if args.videos else "images"}; choose '
                     f'from {list(allowed)}')
    if 'mask_lpips' in args.metrics and not args.annotation:
        parser.error('mask_lpips needs --annotation')
    return args


def build_metrics(args: argparse.Namespace) -> Dict[str, object]:
    """Metric objects for the requested names (RGB inputs)."""
    from mmagic.evaluation import PSNR, SSIM

    from gfla_mm.evaluation import (
        AED,
        I3D_KINETICS400_URL,
        LPIPS,
        TORCHVISION_INCEPTION_URL,
        FIDVideo,
        MaskLPIPS,
        PaperFID,
    )
    common = dict(channel_order='RGB', device=args.device)
    lpips_kw = dict(
        backbone_weights=args.lpips_weights,
        pnet_rand=args.random_weights and not args.lpips_weights,
        **common)
    video_kw = dict(
        i3d_weights=args.i3d_weights or I3D_KINETICS400_URL,
        i3d_sha256=args.i3d_sha256,
        random_weights=args.random_weights and not args.i3d_weights,
        clip_len=args.clip_len,
        clip_stride=args.clip_stride,
        short_video=args.short_video,
        **common)
    builders = dict(
        lpips=lambda: LPIPS(**lpips_kw),
        mask_lpips=lambda: MaskLPIPS(**lpips_kw),
        ssim=lambda: SSIM(input_order='CHW'),
        psnr=lambda: PSNR(input_order='CHW'),
        fid=lambda: PaperFID(
            inception_weights=args.inception_weights
            or TORCHVISION_INCEPTION_URL,
            inception_sha256=args.inception_sha256,
            random_weights=args.random_weights and not args.inception_weights,
            real_stats=args.real_stats,
            real_dir=args.real_dir,
            **common),
        fid_video=lambda: FIDVideo(**video_kw),
        aed=lambda: AED(distance=args.aed_distance, **video_kw))
    return {name: builders[name]() for name in args.metrics}


def _load_pairs(args, names: Sequence[Tuple[str, str]],
                keypoints: Optional[dict]) -> List[dict]:
    """Data samples (RGB 0-255 CHW tensors) of a chunk of pairs."""
    from gfla_mm.utils import read_image, read_video, rescale_keypoints
    read = read_video if args.videos else read_image
    samples = []
    for pred_name, gt_name in names:
        pred_path = osp.join(args.pred_dir, pred_name)
        gt_path = osp.join(args.gt_dir, gt_name)
        pred, gt = read(pred_path), read(gt_path)
        if pred.shape != gt.shape:
            raise ValueError(
                f'size mismatch: {pred_path} is {_describe(pred)}, '
                f'{gt_path} is {_describe(gt)}')
        sample = dict(
            output=dict(pred_img=torch.from_numpy(pred).movedim(-1, -3)),
            gt_img=torch.from_numpy(gt).movedim(-1, -3).float())
        sample['output']['pred_img'] = sample['output']['pred_img'].float()
        if keypoints is not None:
            if gt_name not in keypoints:
                raise ValueError(f'{gt_name} (target of {pred_path}) is not '
                                 f'in {args.annotation}')
            frame = args.keypoint_frame or gt.shape[:2]
            sample['target_keypoints'] = rescale_keypoints(
                keypoints[gt_name], frame, gt.shape[:2])
        samples.append(sample)
    return samples


def _describe(array: np.ndarray) -> str:
    if array.ndim == 4:
        return f'{array.shape[0]} frames of {array.shape[1]}x{array.shape[2]}'
    return f'{array.shape[0]}x{array.shape[1]}'


def write_report(path: str, report: dict) -> None:
    """JSON (everything) or CSV (``metric,value`` rows)."""
    os.makedirs(osp.dirname(osp.abspath(path)), exist_ok=True)
    if path.lower().endswith('.csv'):
        with open(path, 'w', newline='') as f:
            writer = csv.writer(f)
            writer.writerow(['metric', 'value'])
            for name, value in report['metrics'].items():
                writer.writerow([name, value])
    elif path.lower().endswith('.json'):
        with open(path, 'w') as f:
            json.dump(report, f, indent=2)
    else:
        raise ValueError(f'--out must end in .json or .csv, got {path}')


def main(argv=None) -> dict:
    args = parse_args(argv)
    if args.out and not args.out.lower().endswith(('.json', '.csv')):
        raise SystemExit(f'--out must end in .json or .csv, got {args.out}')
    from tqdm import tqdm

    from gfla_mm.evaluation import match_images, match_videos
    pairs = (match_videos if args.videos else match_images)(args.pred_dir,
                                                            args.gt_dir)
    keypoints = None
    if 'mask_lpips' in args.metrics:
        from gfla_mm.datasets.pose_pair_dataset import load_pose_annotations
        from gfla_mm.utils import read_image
        frame = args.keypoint_frame or read_image(
            osp.join(args.gt_dir, pairs[0][1])).shape[:2]
        keypoints = load_pose_annotations(args.annotation, tuple(frame))
    if args.random_weights:
        print('WARNING: --random-weights: random networks, the scores are '
              'meaningless (smoke test only)', file=sys.stderr)
    metrics = build_metrics(args)
    for metric in metrics.values():
        metric.size = len(pairs)
    with torch.no_grad():
        for start in tqdm(
                range(0, len(pairs), args.batch_size),
                desc='scoring',
                unit='batch'):
            samples = _load_pairs(args, pairs[start:start + args.batch_size],
                                  keypoints)
            for metric in metrics.values():
                metric.process(None, samples)
    results = {}
    for metric in metrics.values():
        results.update(metric.evaluate())
    report = dict(
        metrics={k: float(v)
                 for k, v in results.items()},
        num_pairs=len(pairs),
        pred_dir=osp.abspath(args.pred_dir),
        gt_dir=osp.abspath(args.gt_dir),
        videos=args.videos,
        random_weights=args.random_weights)
    for name, value in report['metrics'].items():
        print(f'{name}: {value:.6g}')
    if args.out:
        write_report(args.out, report)
        print(f'report written to {args.out}')
    return report


if __name__ == '__main__':
    main()
