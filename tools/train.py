# Copyright (c) OpenMMLab. All rights reserved.
"""Train a gfla_mm (or any mmagic) model from a config.

Same command line as mmagic's ``tools/train.py``::

    python tools/train.py CONFIG [--work-dir DIR] [--resume] [--amp]
        [--auto-scale-lr] [--cfg-options k=v ...] [--launcher pytorch]
"""
import argparse
import os
import os.path as osp

import torch
from mmengine.config import Config, DictAction
from mmengine.registry import RUNNERS
from mmengine.runner import Runner

from gfla_mm.engine import setup_cpu_distributed


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description='Train a model')
    parser.add_argument('config', help='train config file path')
    parser.add_argument('--work-dir', help='where logs and checkpoints go')
    parser.add_argument(
        '--resume',
        action='store_true',
        help='resume from the latest checkpoint in the work dir, or from '
        '`load_from` when the config sets it')
    parser.add_argument(
        '--amp', action='store_true', help='automatic mixed precision')
    parser.add_argument(
        '--auto-scale-lr',
        action='store_true',
        help='scale the learning rate by the total batch size (needs '
        '`auto_scale_lr.base_batch_size` in the config)')
    parser.add_argument(
        '--cfg-options',
        nargs='+',
        action=DictAction,
        help='override config entries, e.g. train_cfg.max_iters=10 '
        'model.generator.ngf=32 (lists: key="[a,b]")')
    parser.add_argument(
        '--launcher',
        choices=['none', 'pytorch', 'slurm', 'mpi'],
        default='none',
        help='job launcher')
    parser.add_argument('--local_rank', '--local-rank', type=int, default=0)
    args = parser.parse_args(argv)
    os.environ.setdefault('LOCAL_RANK', str(args.local_rank))
    return args


def enable_amp(cfg: Config, cuda: bool = None) -> None:
    """Turn every ``OptimWrapper`` of the config into ``AmpOptimWrapper``
    (dynamic loss scale), or, without CUDA, into ``CPUAmpOptimWrapper``
    (bfloat16 autocast; mmengine's wrapper needs an accelerator).

    Handles both one wrapper and the per-module dict of GAN configs
    (``constructor='MultiOptimWrapperConstructor'``).
    """
    if cuda is None:
        cuda = torch.cuda.is_available()
    optim = cfg.optim_wrapper
    multi = optim.get('constructor') not in (
        None, 'DefaultOptimWrapperConstructor')
    wrappers = [
        v for v in optim.values()
        if isinstance(v, dict) and ('type' in v or 'optimizer' in v)
    ] if multi else [optim]
    for wrapper in wrappers:
        kind = wrapper.get('type', 'OptimWrapper')
        if kind in ('AmpOptimWrapper', 'CPUAmpOptimWrapper'):
            continue
        if kind != 'OptimWrapper':
            raise ValueError(
                '--amp needs optimizer wrappers of type OptimWrapper, got '
                f'{wrapper["type"]!r}')
        if cuda:
            wrapper.update(type='AmpOptimWrapper', loss_scale='dynamic')
        else:
            wrapper.update(type='CPUAmpOptimWrapper', dtype='bfloat16')


def build_cfg(args: argparse.Namespace) -> Config:
    cfg = Config.fromfile(args.config)
    cfg.launcher = args.launcher
    if args.cfg_options is not None:
        cfg.merge_from_dict(args.cfg_options)
    if args.work_dir:
        cfg.work_dir = args.work_dir
    elif cfg.get('work_dir') is None:
        cfg.work_dir = osp.join('./work_dirs',
                                osp.splitext(osp.basename(args.config))[0])
    if args.amp:
        enable_amp(cfg)
    if args.resume:
        cfg.resume = True
    if args.auto_scale_lr:
        if 'base_batch_size' not in cfg.get('auto_scale_lr', {}):
            raise ValueError('--auto-scale-lr needs '
                             'auto_scale_lr.base_batch_size in the config')
        cfg.auto_scale_lr.enable = True
    return cfg


def main(argv=None) -> None:
    cfg = build_cfg(parse_args(argv))
    setup_cpu_distributed(cfg)  # DDP on CPU-only machines
    runner = (Runner.from_cfg(cfg)
              if 'runner_type' not in cfg else RUNNERS.build(cfg))
    runner.train()


if __name__ == '__main__':
    main()
