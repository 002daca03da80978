# Copyright (c) OpenMMLab. All rights reserved.
"""Test (and evaluate) a checkpoint of a gfla_mm (or any mmagic) config.

Same command line as mmagic's ``tools/test.py``::

    python tools/test.py CONFIG CHECKPOINT [--out metrics.json]
        [--work-dir DIR] [--cfg-options k=v ...] [--launcher pytorch]
"""
import argparse
import os
import os.path as osp

import mmengine
from mmengine.config import Config, DictAction
from mmengine.hooks import Hook
from mmengine.registry import RUNNERS
from mmengine.runner import Runner

from gfla_mm.engine import setup_cpu_distributed


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description='Test (and eval) a model')
    parser.add_argument('config', help='test config file path')
    parser.add_argument('checkpoint', help='checkpoint file')
    parser.add_argument('--out', help='dump the metrics to this json/yaml')
    parser.add_argument('--work-dir', help='where logs and metrics go')
    parser.add_argument(
        '--cfg-options',
        nargs='+',
        action=DictAction,
        help='override config entries, e.g. test_dataloader.batch_size=1')
    parser.add_argument(
        '--launcher',
        choices=['none', 'pytorch', 'slurm', 'mpi'],
        default='none',
        help='job launcher')
    parser.add_argument('--local_rank', '--local-rank', type=int, default=0)
    args = parser.parse_args(argv)
    os.environ.setdefault('LOCAL_RANK', str(args.local_rank))
    return args


class DumpMetricsHook(Hook):
    """Writes the test metrics to ``path`` once the test epoch ends."""

    priority = 'LOWEST'

    def __init__(self, path: str) -> None:
        self.path = path

    def after_test_epoch(self, runner, metrics=None) -> None:
        if metrics is not None:
            # Some metrics (mmagic's MAE on tensors) give 0-d tensors.
            mmengine.dump({
                k: v.item() if hasattr(v, 'item') else v
                for k, v in metrics.items()
            }, self.path)


def main(argv=None) -> None:
    args = parse_args(argv)
    if not osp.isfile(args.checkpoint):
        raise FileNotFoundError(f'checkpoint not found: {args.checkpoint}')
    cfg = Config.fromfile(args.config)
    cfg.launcher = args.launcher
    if args.cfg_options is not None:
        cfg.merge_from_dict(args.cfg_options)
    if args.work_dir:
        cfg.work_dir = args.work_dir
    elif cfg.get('work_dir') is None:
        cfg.work_dir = osp.join('./work_dirs',
                                osp.splitext(osp.basename(args.config))[0])
    cfg.load_from = args.checkpoint
    setup_cpu_distributed(cfg)  # DDP on CPU-only machines
    runner = (Runner.from_cfg(cfg)
              if 'runner_type' not in cfg else RUNNERS.build(cfg))
    if args.out:
        runner.register_hook(DumpMetricsHook(args.out), 'LOWEST')
    runner.test()


if __name__ == '__main__':
    main()
