# Copyright (c) OpenMMLab. All rights reserved.
"""A miniature paper Table II on the synthetic mannequin set.

    python tools/analysis_tools/synthetic_ablation.py --update-readme
    python tools/analysis_tools/synthetic_ablation.py --quick --out t.md

Trains Baseline, Global-Attn, Bi-Sample, Local-Attn and Full (the demo
model, ``configs/gfla/gfla_synthetic_demo.py``) with the same end-to-end
budget, scores each on the synthetic test pairs (body-masked L1, SSIM,
PSNR, FlowEPE of both flows) and writes a Markdown table; with
``--update-readme`` also into ``configs/gfla/README.md``. As in the
paper, the rows with flow losses (Bi-Sample, Full) start from one shared
stage-1 flow estimator (``gfla_synthetic_demo_flow.py``); Local-Attn has no
flow losses and so no stage 1.
"""
import argparse
import copy
import os.path as osp
import re
import time
from typing import Dict, Optional

from mmengine.config import Config
from mmengine.hooks import Hook
from mmengine.runner import Runner

REPO_ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
CONFIGS = osp.join(REPO_ROOT, 'configs', 'gfla')
README = osp.join(CONFIGS, 'README.md')
BEGIN, END = '<!-- synthetic-table2:begin -->', '<!-- synthetic-table2:end -->'
NO_FLOW_KEYS = [
    'source_img', 'source_pose_img', 'target_pose_img', 'pred_img', 'gt_img'
]
# (row, flow-based, content-aware sampling, model overrides, stage 1)
ROWS = (
    ('Baseline', 'N', '-', 'baseline', False),
    ('Global-Attn', 'N', '-', 'global_attention', False),
    ('Bi-Sample', 'Y', 'N', 'bilinear', True),
    ('Local-Attn', 'Y', 'Y', 'no_flow_losses', False),
    ('Full', 'Y', 'Y', None, True),
)
COLUMNS = ('body/MAE', 'SSIM', 'PSNR', 'FlowEPE_1/8', 'FlowEPE_1/4',
           'FlowEPE_1/2')


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description='Train the Table II ablations on the synthetic set with '
        'one budget and tabulate body-masked L1, SSIM, PSNR and FlowEPE.')
    parser.add_argument('--data', default='data/synthetic',
                        help='synthetic set (made there if missing)')
    parser.add_argument('--work-dir', default='work_dirs/synthetic_ablation')
    parser.add_argument('--iters', type=int, default=None,
                        help='end-to-end iterations per row (default: the '
                        "demo config's)")
    parser.add_argument('--flow-iters', type=int, default=None,
                        help='stage-1 iterations (default: the stage-1 '
                        "demo config's)")
    parser.add_argument('--rows', nargs='+', default=[r[0] for r in ROWS],
                        choices=[r[0] for r in ROWS])
    parser.add_argument('--quick', action='store_true',
                        help='a few iterations of narrow networks on a tiny '
                        'set: checks that every row runs (tests)')
    parser.add_argument('--out', default=None,
                        help='also write the table to this file')
    parser.add_argument('--update-readme', action='store_true',
                        help=f'put the table into {osp.relpath(README)}')
    return parser.parse_args(argv)


def data_options(cfg: Config, data: str, quick: bool) -> None:
    for loader in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
        cfg[loader].dataset.data_root = data
        if quick:
            cfg[loader].batch_size = 2


def prepare(cfg: Config, work_dir: str, name: str, iters: int,
            quick: bool) -> Config:
    """Iterations, one validation at the end (by the tool), a unique
    experiment name (several runners live in this process)."""
    cfg = copy.deepcopy(cfg)
    cfg.work_dir = work_dir
    cfg.experiment_name = f'{name}_{time.strftime("%Y%m%d_%H%M%S")}'
    # The config's learning-rate schedule, stretched to `iters`.
    scale = iters / cfg.train_cfg.max_iters
    for scheduler in cfg.get('param_scheduler') or []:
        for key in ('begin', 'end'):
            if key in scheduler:
                scheduler[key] = int(round(scheduler[key] * scale))
    cfg.train_cfg = dict(
        type='IterBasedTrainLoop', max_iters=iters, val_interval=iters + 1)
    cfg.default_hooks.checkpoint = dict(
        type='CheckpointHook', interval=iters, by_epoch=False,
        max_keep_ckpts=1, save_optimizer=False)
    cfg.default_hooks.logger.interval = max(1, iters // 10)
    cfg.custom_hooks = [
        dict(type='BasicVisualizationHook', interval=dict(val=4))
    ]
    if quick:
        cfg.log_processor = dict(
            type='LogProcessor', window_size=1, by_epoch=False)
    return cfg


def ablate(cfg: Config, kind: Optional[str], stage1: Optional[str]) -> Config:
    """The demo model turned into one row of Table II."""
    cfg = copy.deepcopy(cfg)
    model = cfg.model
    gen = model.generator
    if kind == 'baseline':
        model.generator = dict(
            type='GFLABaselineGenerator',
            base_channels=gen.base_channels,
            max_channels=gen.max_channels,
            layers=gen.get('layers', 3),
            num_blocks=gen.get('num_blocks', 2),
            source_norm=gen.get('source_norm', True),
            init_gain=gen.get('init_gain', 0.02))
    elif kind in ('global_attention', 'bilinear'):
        gen.feature_transform = kind
    if kind in ('baseline', 'global_attention', 'no_flow_losses'):
        model.flow_supervision_loss = None
        model.regularization_loss = None
        model.correctness_loss = None
    if kind in ('baseline', 'global_attention'):
        cfg.val_evaluator.metrics = [
            m for m in cfg.val_evaluator.metrics if m.type != 'FlowEPE'
        ]
        cfg.visualizer.img_keys = NO_FLOW_KEYS
    model.flow_init = stage1
    return cfg


def shrink(cfg: Config) -> Config:
    """--quick: narrow networks."""
    model = cfg.model
    if model.type == 'GFLAFlowPretrainer':
        model.flow_net.update(base_channels=4, max_channels=8)
    else:
        model.generator.update(base_channels=4, max_channels=8)
        if 'flow_cfg' in model.generator:
            model.generator.flow_cfg.update(base_channels=4, max_channels=8)
        model.discriminator.update(base_channels=4, max_channels=8)
    return cfg


class MetricsCapture(Hook):
    """Keeps the metrics of the last validation (mmagic's MultiValLoop
    does not return them)."""

    def __init__(self) -> None:
        self.metrics: Dict[str, float] = {}

    def after_val_epoch(self, runner, metrics=None) -> None:
        self.metrics = dict(metrics or {})


def train_and_score(cfg: Config) -> Dict[str, float]:
    runner = Runner.from_cfg(cfg)
    capture = MetricsCapture()
    runner.register_hook(capture, priority='LOWEST')
    runner.train()
    runner.val()
    if not capture.metrics:
        raise RuntimeError(f'no validation metrics from {cfg.work_dir}')
    return capture.metrics


def format_table(results: Dict[str, Dict[str, float]], meta: dict) -> str:
    lines = [
        '| Model | Flow-based | Content-aware sampling | ' +
        ' | '.join(COLUMNS) + ' |',
        '| :---- | :--------: | :--------------------: | ' +
        ' | '.join(['-:'] * len(COLUMNS)) + ' |'
    ]
    for name, flow_based, content, _, _ in ROWS:
        if name not in results:
            continue
        cells = []
        for col in COLUMNS:
            value = results[name].get(col)
            cells.append('-' if value is None else f'{value:.4f}'
                         if col != 'PSNR' else f'{value:.2f}')
        lines.append(f'| {name} | {flow_based} | {content} | ' +
                     ' | '.join(cells) + ' |')
    zero = meta.get('zero', {})
    if zero:
        lines.append('')
        lines.append('Zero flow (no motion): ' + ', '.join(
            f'{k} {v:.4f}' for k, v in sorted(zero.items())) + '.')
    lines.append('')
    lines.append(meta['line'])
    return '\n'.join(lines)


def update_readme(table: str, path: str = README) -> None:
    with open(path, encoding='utf-8') as f:
        text = f.read()
    if BEGIN not in text or END not in text:
        raise ValueError(f'{path} lacks the markers {BEGIN} ... {END}')
    text = re.sub(
        re.escape(BEGIN) + '.*?' + re.escape(END),
        lambda _: f'{BEGIN}\n{table}\n{END}',
        text,
        flags=re.S)
    with open(path, 'w', encoding='utf-8') as f:
        f.write(text)


def main(argv=None) -> Dict[str, Dict[str, float]]:
    args = parse_args(argv)
    if not osp.isfile(osp.join(args.data, 'fasion-pairs-train.csv')):
        from gfla_mm.datasets import make_synthetic_dataset
        # The quick set is tiny; otherwise the demo's set (the defaults).
        make_synthetic_dataset(args.data, *(((2, 1), 2) if args.quick else
                                            ()))
        print(f'made the synthetic set in {args.data}')
    e2e = Config.fromfile(osp.join(CONFIGS, 'gfla_synthetic_demo.py'))
    flow = Config.fromfile(osp.join(CONFIGS, 'gfla_synthetic_demo_flow.py'))
    iters = args.iters or (2 if args.quick else e2e.train_cfg.max_iters)
    flow_iters = args.flow_iters or (2 if args.quick else
                                     flow.train_cfg.max_iters)
    for cfg in (e2e, flow):
        data_options(cfg, args.data, args.quick)
        if args.quick:
            shrink(cfg)
    selected = [r for r in ROWS if r[0] in args.rows]
    stage1 = None
    if any(r[4] for r in selected):
        stage1 = osp.join(args.work_dir, 'stage1')
        train_and_score(
            prepare(flow, stage1, 'stage1', flow_iters, args.quick))
    results: Dict[str, Dict[str, float]] = {}
    zero: Dict[str, float] = {}
    for name, _, _, kind, uses_stage1 in selected:
        cfg = ablate(e2e, kind, stage1 if uses_stage1 else None)
        work_dir = osp.join(args.work_dir, name.lower())
        metrics = train_and_score(
            prepare(cfg, work_dir, name.lower(), iters, args.quick))
        results[name] = metrics
        zero.update(
            {k: v
             for k, v in metrics.items() if k.startswith('ZeroFlowEPE')})
        print(f'{name}: ' + ', '.join(f'{k} {metrics[k]:.4f}'
                                      for k in COLUMNS if k in metrics))
    line = (f'{iters} end-to-end iterations per row at batch '
            f'{e2e.train_dataloader.batch_size}, stage 1 {flow_iters} '
            f'iterations (Bi-Sample, Full); {args.data}. Made with '
            '`python tools/analysis_tools/synthetic_ablation.py'
            + (' --quick' if args.quick else '') + '`.')
    table = format_table(results, dict(zero=zero, line=line))
    print(table)
    if args.out:
        with open(args.out, 'w', encoding='utf-8') as f:
            f.write(table + '\n')
    if args.update_readme:
        update_readme(table)
    return results


if __name__ == '__main__':
    main()
