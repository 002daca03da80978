# Copyright (c) OpenMMLab. All rights reserved.
"""How well the animation demo does on synthetic clips, against copying
the reference (the mannequins move little, so that baseline is strong).

    python tools/analysis_tools/animation_demo_eval.py \\
        configs/gfla_animation/gfla-animation_synthetic-demo.py \\
        work_dirs/gfla-animation_synthetic-demo/iter_600.pth \\
        --data data/synthetic_clips \\
        --strip docs/images/animation_demo_synthetic.png

Each clip is generated recurrently from frame 0 (``--frames`` frames, frame
0 the reference, as the test configs do). Printed, as means over the clips
(images in [-1, 1]): the frames' L1 over the whole frame, on the body and
on the background (the clips' ``train_C`` masks), for the model and for
copying the reference into every frame; the end-point error (pixels of the
flow's grid, on the body points the other frame shows) of both branches'
finest flows against the renderer's, and of the zero flow. ``--strip``
draws, per clip (up to 4), a row of ground truth and a row of generated
frames, every 4th frame, the reference first.
"""
import argparse
from typing import Dict, List

import numpy as np
import torch
from mmengine.config import Config
from mmengine.dataset import pseudo_collate
from mmengine.registry import DefaultScope
from mmengine.runner import load_checkpoint

from gfla_mm.evaluation.metrics import flow_end_point_error
from gfla_mm.registry import DATASETS, MODELS

FIELDS = ('frame', 'body', 'background')


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description='Frame L1 (whole / body / background) against copying '
        'the reference, and flow errors, of an animation model on '
        'synthetic clips (tools/make_synthetic_dataset.py --clips).')
    parser.add_argument('config')
    parser.add_argument('checkpoint')
    parser.add_argument('--data', default=None,
                        help="clip root (default: the config's)")
    parser.add_argument('--split', default='test', choices=('train', 'test'))
    parser.add_argument('--frames', type=int, default=24,
                        help='frames per clip from frame 0 (default: 24, '
                        'a multiple of the chunk size)')
    parser.add_argument('--clips', type=int, default=None,
                        help='the first N clips only (default: all)')
    parser.add_argument('--strip', default=None, help='PNG to draw')
    return parser.parse_args(argv)


def build(args: argparse.Namespace):
    """The model with the checkpoint's weights and the split's clips with
    masks and ground-truth flows."""
    cfg = Config.fromfile(args.config)
    dataset_cfg = cfg.train_dataloader.dataset.copy()
    if args.data:
        dataset_cfg.data_root = args.data
    dataset_cfg.split = args.split
    dataset_cfg.mask_dir = 'train_C'
    pipeline = list(dataset_cfg.pipeline)
    kinds = [step['type'] for step in pipeline]
    if 'LoadClipFlows' not in kinds:
        raise ValueError(f'{args.config}: the training pipeline has no '
                         'LoadClipFlows (synthetic clips only)')
    pipeline[kinds.index('TemporalClipSample')] = dict(
        type='TemporalClipSample',
        num_frames=args.frames,
        chunk_size=cfg.model.get('train_cfg', {}).get('chunk_size', 6),
        start=0,
        ref_index=0)
    pack = dict(pipeline[kinds.index('PackClipInputs')])
    pack['data_keys'] = dict(pack.get('data_keys') or {}, masks='gt_mask')
    pipeline[kinds.index('PackClipInputs')] = pack
    dataset_cfg.pipeline = pipeline
    with DefaultScope.overwrite_default_scope('mmagic'):
        model = MODELS.build(cfg.model)
        dataset = DATASETS.build(dataset_cfg)
    load_checkpoint(model, args.checkpoint, map_location='cpu',
                    logger='silent')
    return model.eval(), dataset


def region_l1(pred: torch.Tensor, gt: torch.Tensor,
              body: torch.Tensor) -> List[float]:
    """L1 of (T, 3, H, W) frames over the frame, the body and the rest,
    ``body`` (T, 1, H, W) in {0, 1}."""
    diff = (pred - gt).abs().mean(1, keepdim=True)
    rest = 1 - body
    return [
        float(diff.mean()),
        float((diff * body).sum() / body.sum().clamp(min=1)),
        float((diff * rest).sum() / rest.sum().clamp(min=1))
    ]


def flow_errors(flows: torch.Tensor, gt: torch.Tensor) -> List[float]:
    """(model, zero flow) end-point errors of (T, 2, h, w) flows, means
    over the frames with valid points."""
    errs, zeros = [], []
    for t in range(flows.shape[0]):
        err, n = flow_end_point_error(flows[t], gt[t])
        zero, _ = flow_end_point_error(torch.zeros_like(flows[t]), gt[t])
        if n:
            errs.append(float(err))
            zeros.append(float(zero))
    return [float(np.mean(errs)), float(np.mean(zeros))] if errs else []


def to_uint8(rgb: torch.Tensor) -> np.ndarray:
    """(3, H, W) RGB in [-1, 1] -> (H, W, 3) uint8 RGB."""
    return ((rgb.clamp(-1, 1) + 1) * 127.5).round().byte().permute(
        1, 2, 0).numpy()


def evaluate(model, dataset, clips: int) -> tuple:
    """Means over the clips, and the strip rows of the first 4."""
    scores: Dict[str, List[float]] = {}
    rows = []
    for i in range(clips):
        data = model.data_preprocessor(pseudo_collate([dataset[i]]), True)
        samples = data['data_samples']
        with torch.no_grad():
            out = model(data['inputs'], mode='tensor')
        gt, fake = samples.gt_img[0], out.images[0]
        ref = data['inputs']['ref_img'][0]
        body = (samples.gt_mask[0] > 0.5).float()
        for who, pred in (('model', fake), ('copy', ref.expand_as(gt))):
            for field, value in zip(FIELDS, region_l1(pred, gt, body)):
                scores.setdefault(f'{field} L1 {who}', []).append(value)
        for branch, flows, key in (('reference', out.reference_flows,
                                    'gt_flow_r'),
                                   ('previous', out.previous_flows,
                                    'gt_flow_p')):
            errs = flow_errors(flows[-1][0], samples.get(key)[0])
            for who, value in zip(('model', 'zero'), errs):
                scores.setdefault(f'{branch} EPE {who}', []).append(value)
        if i < 4:
            shown = range(0, gt.shape[0], 4)
            rows.append(
                np.concatenate([to_uint8(ref)] +
                               [to_uint8(gt[t]) for t in shown], 1))
            rows.append(
                np.concatenate([to_uint8(ref)] +
                               [to_uint8(fake[t]) for t in shown], 1))
    return {k: float(np.mean(v)) for k, v in scores.items()}, rows


def main(argv=None) -> Dict[str, float]:
    args = parse_args(argv)
    model, dataset = build(args)
    if len(dataset) == 0:
        raise ValueError(f'no {args.split} clips under the data root')
    clips = len(dataset) if args.clips is None else min(args.clips,
                                                          len(dataset))
    scores, rows = evaluate(model, dataset, clips)
    print(f'{args.split}: {clips} clips of {args.frames} frames')
    for key, value in scores.items():
        print(f'{key:24s} {value:.4f}')
    if args.strip:
        import cv2
        strip = np.concatenate(rows, 0).repeat(2, 0).repeat(2, 1)
        if not cv2.imwrite(args.strip, strip[:, :, ::-1],
                           [cv2.IMWRITE_PNG_COMPRESSION, 9]):
            raise OSError(f'could not write {args.strip}')
        print(f'wrote {args.strip}')
    return scores


if __name__ == '__main__':
    main()
