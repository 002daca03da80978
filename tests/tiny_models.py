# Copyright (c) OpenMMLab. All rights reserved.
"""Tiny configs of the GFLA models for tests: the official losses and
weights, networks 8-16 channels wide, a random VGG19 (offline)."""
import copy

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
OFFICIAL_LOSSES = dict(
    gan_loss=dict(type='GANLoss', gan_type='lsgan', loss_weight=2.0),
    perceptual_loss=dict(type='GFLAPerceptualLoss', loss_weight=0.5),
    style_loss=dict(type='GFLAStyleLoss', loss_weight=500.0),
    correctness_loss=dict(
        type='SamplingCorrectnessLoss',
        layers=('relu4_1', 'relu3_1'),
        loss_weight=5.0),
    regularization_loss=dict(
        type='AffineRegularizationLoss',
        kernel_sizes=(3, 5),
        loss_weight=0.0025),
    vgg=dict(type='GFLAVGG19Features', pretrained=None))


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
