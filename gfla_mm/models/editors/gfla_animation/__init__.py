# Copyright (c) OpenMMLab. All rights reserved.
"""GFLA person image animation (paper §IV-B): a sequential two-source GFLA
generator, a temporal discriminator and the clip-trained model. Its own
folder (one algorithm per folder, as mmagic's ``editors``); the blocks,
renderer, flow estimator and losses are the image model's, imported from
``..gfla``."""
from .animation_generator import AnimationOutput, GFLAAnimationGenerator
from .gfla_animation import GFLAAnimation
from .naive_animation import GFLANaiveAnimation
from .temporal_discriminator import (
                                     GFLATemporalDiscriminator,
                                     ResBlock3DEncoder,
)

__all__ = [
    'GFLAAnimation', 'GFLAAnimationGenerator', 'AnimationOutput',
    'GFLATemporalDiscriminator', 'ResBlock3DEncoder', 'GFLANaiveAnimation'
]
