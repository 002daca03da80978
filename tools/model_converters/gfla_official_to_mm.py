# Copyright (c) OpenMMLab. All rights reserved.
"""Convert an official GFLA checkpoint into a gfla_mm checkpoint.

    python tools/model_converters/gfla_official_to_mm.py \\
        result/fashion/latest_net_G.pth gfla_deepfashion.pth \\
        [--discriminator result/fashion/latest_net_D.pth] [--config CFG]

    # the animation ("dance") model: three networks
    python tools/model_converters/gfla_official_to_mm.py \
        result/dance_fashion/latest_net_G.pth gfla_animation_fashion.pth \
        --discriminator result/dance_fashion/latest_net_D.pth \
        --temporal-discriminator result/dance_fashion/latest_net_D_V.pth

The config defaults to the DeepFashion 256x256, Market-1501 or FashionVideo
animation config, recognised from the generator keys. Then, e.g.:

    python tools/test.py CFG gfla_deepfashion.pth
"""
import argparse
import os.path as osp
import sys

import torch
from mmengine.config import Config
from mmengine.registry import DefaultScope

import gfla_mm  # noqa: F401  (registers the models)
from gfla_mm.engine import load_weights_only
from gfla_mm.models.editors.gfla.official_checkpoint import (
    convert_official_checkpoint,
    is_animation_generator,
    is_market_generator,
)
from gfla_mm.registry import MODELS

REPO_ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
CONFIGS = dict(
    deepfashion='configs/gfla/gfla_1xb8-1000k_deepfashion-256x256.py',
    market='configs/gfla/gfla_1xb8-1000k_market-128x64.py',
    animation='configs/gfla_animation/'
    'gfla-animation_1xb2-fashionvideo-256x256.py')


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('generator', help='official latest_net_G.pth')
    parser.add_argument('out', help='output checkpoint (.pth)')
    parser.add_argument(
        '--discriminator', help='official latest_net_D.pth (optional)')
    parser.add_argument(
        '--temporal-discriminator',
        help='official latest_net_D_V.pth of the animation model (optional)')
    parser.add_argument(
        '--config',
        help='gfla_mm config the checkpoint is for (default: picked from '
        'the generator keys: DeepFashion, Market-1501 or FashionVideo '
        'animation)')
    return parser.parse_args(argv)


def load_state(path: str) -> dict:
    if not osp.isfile(path):
        raise FileNotFoundError(f'no checkpoint at {path}')
    state = load_weights_only(path)
    if 'state_dict' in state and isinstance(state['state_dict'], dict):
        state = state['state_dict']
    return state


def main(argv=None) -> None:
    args = parse_args(argv)
    g_state = load_state(args.generator)
    kind = ('animation' if is_animation_generator(g_state) else
            'market' if is_market_generator(g_state) else 'deepfashion')
    config = args.config or osp.join(REPO_ROOT, CONFIGS[kind])
    cfg = Config.fromfile(config)
    cfg.model.vgg = dict(type='GFLAVGG19Features', pretrained=None)
    cfg.model.pop('flow_init', None)
    with DefaultScope.overwrite_default_scope('mmagic'):
        model = MODELS.build(cfg.model)
    d_state = load_state(args.discriminator) if args.discriminator else None
    dv_state = (
        load_state(args.temporal_discriminator)
        if args.temporal_discriminator else None)
    ckpt = convert_official_checkpoint(g_state, model, d_state, dv_state)
    ckpt['meta']['config'] = osp.relpath(config, REPO_ROOT) if osp.isabs(
        config) else config
    torch.save(ckpt, args.out)
    n = sum(v.numel() for k, v in ckpt['state_dict'].items()
            if k.startswith('generator.'))
    print(f'wrote {args.out}: {len(ckpt["state_dict"])} tensors, generator '
          f'{n / 1e6:.4f}M values, for {config}')


if __name__ == '__main__':
    sys.exit(main())
