# Copyright (c) OpenMMLab. All rights reserved.
"""Tiny configs of the GFLA models for tests: the official losses and
weights (read from the configs), networks 8-16 channels wide, a random
VGG19 (offline)."""
import copy
import os.path as osp

from mmengine.config import Config

LOSSES_CONFIG = osp.join(
    osp.dirname(osp.dirname(osp.abspath(__file__))), 'configs', '_base_',
    'models', 'gfla_losses.py')

TINY_GENERATOR = dict(
    base_channels=8,
    max_channels=16,
    flow_cfg=dict(base_channels=8, max_channels=16))
TINY_DISCRIMINATOR = dict(
    type='GFLADiscriminator', base_channels=8, max_channels=16, layers=3)
GFLA_PREPROCESSOR = dict(
    type='DataPreprocessor',
    data_keys='target',
    non_image_keys=['source_heatmap', 'target_heatmap'])


def _official_losses() -> dict:
    """The losses and weights of configs/_base_/models/gfla_losses.py
    (their one home), with a random VGG19."""
    model = Config.fromfile(LOSSES_CONFIG).model.to_dict()
    model.pop('discriminator')
    model['vgg']['pretrained'] = None
    return model


OFFICIAL_LOSSES = _official_losses()


def tiny_gfla_cfg(**overrides) -> dict:
    """``GFLA`` (pose transfer) inputs: 18-channel pose maps."""
    cfg = dict(
        type='GFLA',
        generator=dict(type='GFLAGenerator', **TINY_GENERATOR),
        discriminator=TINY_DISCRIMINATOR,
        data_preprocessor=GFLA_PREPROCESSOR,
        **OFFICIAL_LOSSES)
    cfg.update(overrides)
    return copy.deepcopy(cfg)


def tiny_animation_cfg(**overrides) -> dict:
    """``GFLAAnimation`` with its temporal discriminator: 20-channel
    structures, clips of frames."""
    cfg = dict(
        type='GFLAAnimation',
        generator=dict(type='GFLAAnimationGenerator', **TINY_GENERATOR),
        discriminator=TINY_DISCRIMINATOR,
        temporal_discriminator=dict(
            type='GFLATemporalDiscriminator',
            base_channels=8,
            max_channels=16,
            layers=3),
        data_preprocessor=dict(
            type='DataPreprocessor',
            mean=[127.5] * 3,
            std=[127.5] * 3,
            non_image_keys=['ref_skeleton', 'skeletons'],
            data_keys=['gt_img']),
        **OFFICIAL_LOSSES)
    cfg.update(overrides)
    return copy.deepcopy(cfg)
