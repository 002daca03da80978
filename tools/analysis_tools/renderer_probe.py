# Copyright (c) OpenMMLab. All rights reserved.
"""Does the renderer copy the source? Trains a GFLA generator's renderer
alone on the synthetic set's ground-truth flows and scores it.

    python tools/analysis_tools/renderer_probe.py \\
        configs/gfla/gfla_synthetic_demo.py --iters 1500
    python tools/analysis_tools/renderer_probe.py \\
        configs/gfla/gfla_synthetic_demo.py --iters 1500 \\
        --cfg-options model.generator.source_norm=True
    python tools/analysis_tools/renderer_probe.py \\
        configs/gfla/gfla_synthetic_demo.py --attn-kernel-sizes 3:3 2:5

The flow estimator is bypassed: each attended level gets the renderer's
correspondence flow brought to its grid (``downsample_flow``) and a mask of
0.5; the source encoder and the renderer train with L1 x 5 (no GAN) and
Adam (``--lr``, ``--betas``). Reported on the test pairs: L1 on the body
and on the background ([0, 1] units), and how much the output depends on
the source: ``swap`` = mean change of the output when the sources of a
batch are rotated, ``spread`` = the outputs' standard deviation across the
batch (a renderer that ignores the source has swap ~ 0).
"""
import argparse
import json
from typing import Dict, List

import numpy as np
import torch
import torch.nn.functional as F
from mmengine.config import Config, DictAction
from mmengine.dataset import pseudo_collate
from mmengine.registry import DefaultScope

from gfla_mm.models.losses.flow_supervision_loss import downsample_flow
from gfla_mm.registry import DATASETS, MODELS


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description='Train a GFLA renderer on ground-truth flows and score '
        'how well it copies the source.')
    parser.add_argument('config')
    parser.add_argument('--data', default=None,
                        help="synthetic set (default: the config's)")
    parser.add_argument('--iters', type=int, default=1500)
    parser.add_argument('--batch-size', type=int, default=4)
    parser.add_argument('--lr', type=float, default=1.5e-3)
    parser.add_argument('--betas', type=float, nargs=2, default=(0.9, 0.999))
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument(
        '--attn-kernel-sizes', nargs='+', default=None, metavar='LEVEL:K',
        help="replace the generator's attended levels, e.g. 3:3 2:5")
    parser.add_argument('--cfg-options', nargs='+', action=DictAction,
                        default={}, help='overrides of the config')
    return parser.parse_args(argv)


def gt_flows(generator, gt_flow: torch.Tensor,
             size: int) -> List[torch.Tensor]:
    """The ground-truth flow at each attended level, coarse to fine."""
    return [
        downsample_flow(gt_flow, (size // 2**lv, size // 2**lv))[0]
        for lv in sorted(generator.target.attn_levels, reverse=True)
    ]


def render(generator, batch: Dict[str, torch.Tensor]) -> torch.Tensor:
    flows = gt_flows(generator, batch['gt_flow'], batch['source'].shape[-1])
    masks = [torch.full_like(f[:, :1], 0.5) for f in flows]
    return generator.target(batch['target_heatmap'],
                            generator.source(batch['source']), flows, masks)


def load(model, dataset, indices) -> Dict[str, torch.Tensor]:
    data = model.data_preprocessor(
        pseudo_collate([dataset[int(i)] for i in indices]), True)
    samples = data['data_samples']
    return dict(
        data['inputs'],
        target=samples.target,
        gt_flow=samples.gt_flow,
        body=(samples.body_mask.float() > 127).float())


def score(model, dataset, batch_size: int) -> Dict[str, float]:
    generator = model.generator.eval()
    sums = dict(body=0., body_n=0., bg=0., bg_n=0.)
    swap, spread = [], []
    with torch.no_grad():
        for start in range(0, len(dataset), batch_size):
            batch = load(model, dataset,
                         range(start, min(start + batch_size, len(dataset))))
            out = render(generator, batch)
            err = (out - batch['target']).abs().mean(1, keepdim=True) / 2
            body = batch['body']
            sums['body'] += float((err * body).sum())
            sums['body_n'] += float(body.sum())
            sums['bg'] += float((err * (1 - body)).sum())
            sums['bg_n'] += float((1 - body).sum())
            if len(out) > 1:
                rolled = dict(batch, source=batch['source'].roll(1, 0))
                swap.append(float((out - render(generator, rolled)).abs()
                                  .mean()))
                spread.append(float(out.std(0).mean()))
    return {
        'body_L1': sums['body'] / max(sums['body_n'], 1),
        'background_L1': sums['bg'] / max(sums['bg_n'], 1),
        'swap': float(np.mean(swap)) if swap else float('nan'),
        'spread': float(np.mean(spread)) if spread else float('nan'),
    }


def main(argv=None) -> Dict[str, float]:
    args = parse_args(argv)
    cfg = Config.fromfile(args.config)
    cfg.merge_from_dict(args.cfg_options)
    if args.attn_kernel_sizes:
        cfg.model.generator.attn_kernel_sizes = {
            int(level): int(k)
            for level, k in (item.split(':')
                             for item in args.attn_kernel_sizes)
        }
    cfg.model.flow_init = None  # bypassed: the flows are the ground truth
    # The probe trains the renderer with L1 alone: no flow losses (whose
    # per-flow lists would also have to follow --attn-kernel-sizes).
    cfg.model.update(correctness_loss=None, regularization_loss=None,
                     flow_supervision_loss=None)
    torch.manual_seed(args.seed)
    datasets = {}
    with DefaultScope.overwrite_default_scope('mmagic'):
        model = MODELS.build(cfg.model)
        for split, loader in (('train', cfg.train_dataloader),
                              ('test', cfg.test_dataloader)):
            ds = dict(loader.dataset)
            if args.data:
                ds['data_root'] = args.data
            # Both splits need the body masks: the test pipeline, unpacked
            # as training data.
            ds.update(pipeline=cfg.test_dataloader.dataset.pipeline,
                      test_mode=split == 'test')
            datasets[split] = DATASETS.build(ds)
    model.init_weights()
    if 'gt_flow' not in datasets['train'][0]['data_samples']:
        raise ValueError(f'{args.config}: the test pipeline loads no gt_flow '
                         "(the probe needs the synthetic set's flows)")
    generator = model.generator
    params = [
        p for name, p in generator.named_parameters()
        if not name.startswith('flow_net.')
    ]
    optim = torch.optim.Adam(params, lr=args.lr, betas=tuple(args.betas))
    rng = np.random.default_rng(args.seed)
    train = datasets['train']
    for it in range(args.iters):
        generator.train()
        batch = load(model, train, rng.integers(len(train),
                                                size=args.batch_size))
        loss = 5 * F.l1_loss(render(generator, batch), batch['target'])
        optim.zero_grad()
        loss.backward()
        optim.step()
        if it % max(1, args.iters // 10) == 0:
            print(f'iter {it}: loss_l1 {loss.item():.4f}', flush=True)
    result = score(model, datasets['test'], args.batch_size)
    print(json.dumps({k: round(v, 4) for k, v in result.items()}))
    return result


if __name__ == '__main__':
    main()
