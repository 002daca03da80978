# Copyright (c) OpenMMLab. All rights reserved.
"""The README figure of the offline demo (paper Fig. 7, in miniature).

    python tools/analysis_tools/demo_figure.py \\
        configs/gfla/gfla_synthetic_demo.py \\
        work_dirs/gfla_synthetic_demo/iter_1500.pth \\
        --out docs/images/synthetic_demo.png

One row per test pair: source | target pose | generated (query box in
red) | ground truth | the flows, coarse to fine (colour wheel: hue =
direction, saturation = length) | where each local-attention block reads
the source for the query box (heat over the source, coarse to fine). The
query box covers the target's shirt (between neck and hips).
"""
import argparse
from typing import List, Sequence

import numpy as np
import torch
import torch.nn.functional as F
from mmengine.config import Config
from mmengine.dataset import pseudo_collate
from mmengine.registry import DefaultScope
from mmengine.runner import load_checkpoint

from gfla_mm.datasets.keypoint_formats import OPENPOSE18_NAMES
from gfla_mm.registry import DATASETS, MODELS
from gfla_mm.visualization import (
    attention_maps,
    flow_to_color,
    pose_to_color,
)

NECK = OPENPOSE18_NAMES.index('neck')
HIPS = tuple(OPENPOSE18_NAMES.index(j) for j in ('right_hip', 'left_hip'))


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description='Draw source / pose / generated / ground truth / flows / '
        'attention of a query box for a few test pairs of a GFLA model.')
    parser.add_argument('config')
    parser.add_argument('checkpoint')
    parser.add_argument('--out', required=True, help='PNG to write')
    parser.add_argument('--data', default=None,
                        help="dataset root (default: the config's)")
    parser.add_argument('--pairs', type=int, nargs='+', default=[0, 7, 13, 26],
                        help='indices of test pairs, one row each')
    parser.add_argument('--box', type=int, default=8,
                        help='query box side in pixels (default: 8)')
    parser.add_argument('--scale', type=int, default=2,
                        help='nearest-neighbour upscaling (default: 2)')
    return parser.parse_args(argv)


def torso_box(target_pose: torch.Tensor, side: int) -> List[int]:
    """(x0, y0, x1, y1) of a side x side box centred between the neck and
    the hips of a (18, H, W) pose map (the image centre if they are
    missing)."""
    h, w = target_pose.shape[1:]
    points = []
    for j in (NECK, ) + HIPS:
        heat = target_pose[j]
        if heat.max() > 0.5:
            idx = int(heat.flatten().argmax())
            points.append((idx % w, idx // w))
    if len(points) == 3:
        neck, hips = np.array(points[0]), np.mean(points[1:], 0)
        cx, cy = (neck + hips) / 2
    else:
        cx, cy = w / 2, h / 2
    x0 = int(np.clip(round(cx - side / 2), 0, w - side))
    y0 = int(np.clip(round(cy - side / 2), 0, h - side))
    return [x0, y0, x0 + side, y0 + side]


def to_uint8(rgb: torch.Tensor) -> np.ndarray:
    """(3, H, W) RGB in [-1, 1] -> (H, W, 3) uint8."""
    return ((rgb.clamp(-1, 1) + 1) * 127.5).round().byte().permute(
        1, 2, 0).numpy()


def heat_over(image: np.ndarray, heat: torch.Tensor) -> np.ndarray:
    """A (H, W) heat in [0, 1] blended in red over a dimmed image."""
    heat = heat.numpy()[..., None]
    red = np.array([255, 40, 40], np.float32)
    out = image.astype(np.float32) * 0.45 * (1 - heat) + red * heat
    return out.clip(0, 255).astype(np.uint8)


def draw_box(image: np.ndarray, box: Sequence[int]) -> np.ndarray:
    out = image.copy()
    x0, y0, x1, y1 = box
    red = np.array([255, 0, 0], np.uint8)
    out[y0, x0:x1] = out[y1 - 1, x0:x1] = red
    out[y0:y1, x0] = out[y0:y1, x1 - 1] = red
    return out


def figure_rows(model, dataset, pairs: Sequence[int],
                side: int) -> List[np.ndarray]:
    rows = []
    for i in pairs:
        data = model.data_preprocessor(pseudo_collate([dataset[i]]), True)
        inputs = data['inputs']
        source, source_pose, target_pose = (inputs[k] for k in (
            'source', 'source_heatmap', 'target_heatmap'))
        target = data['data_samples'].target
        with torch.no_grad():
            fake, flows, _ = model.generator(source, source_pose,
                                             target_pose)
        box = torso_box(target_pose[0], side)
        heats = attention_maps(model.generator, source, source_pose,
                               target_pose, box)
        h, w = source.shape[2:]
        src = to_uint8(source[0])
        cells = [
            src,
            pose_to_color(target_pose[0]).byte().permute(1, 2, 0).numpy(),
            draw_box(to_uint8(fake[0]), box),
            to_uint8(target[0]),
        ]
        for flow in flows:
            color = flow_to_color(flow[0])
            cells.append(
                F.interpolate(color[None], size=(h, w),
                              mode='nearest')[0].byte().permute(1, 2,
                                                                0).numpy())
        cells += [heat_over(src, heat[0, 0]) for heat in heats]
        rows.append(np.concatenate(cells, 1))
    return rows


def main(argv=None) -> str:
    args = parse_args(argv)
    cfg = Config.fromfile(args.config)
    cfg.model.flow_init = None  # the checkpoint has the flow estimator
    dataset_cfg = cfg.test_dataloader.dataset
    if args.data:
        dataset_cfg.data_root = args.data
    with DefaultScope.overwrite_default_scope('mmagic'):
        model = MODELS.build(cfg.model)
        dataset = DATASETS.build(dataset_cfg)
    load_checkpoint(model, args.checkpoint, map_location='cpu',
                    logger='silent')
    model.eval()
    bad = [i for i in args.pairs if not 0 <= i < len(dataset)]
    if bad:
        raise ValueError(f'--pairs {bad} out of range: the test split has '
                         f'{len(dataset)} pairs')
    grid = np.concatenate(figure_rows(model, dataset, args.pairs, args.box),
                          0)
    grid = grid.repeat(args.scale, 0).repeat(args.scale, 1)
    import cv2
    if not cv2.imwrite(args.out, grid[:, :, ::-1],
                       [cv2.IMWRITE_PNG_COMPRESSION, 9]):
        raise OSError(f'could not write {args.out}')
    print(f'wrote {args.out} ({grid.shape[1]}x{grid.shape[0]})')
    return args.out


if __name__ == '__main__':
    main()
