# Copyright (c) OpenMMLab. All rights reserved.
"""GFLA (Global-Flow Local-Attention) pose-guided person image generation."""
from .flow_estimator import GFLAFlowEstimator
from .gfla_discriminator import GFLADiscriminator
from .gfla_generator import (
                             GFLAGenerator,
                             GFLASourceEncoder,
                             GFLATargetRenderer,
)

__all__ = [
    'GFLAFlowEstimator', 'GFLAGenerator', 'GFLASourceEncoder',
    'GFLATargetRenderer', 'GFLADiscriminator'
]
