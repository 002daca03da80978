# Copyright (c) OpenMMLab. All rights reserved.
"""GFLA networks, losses and editors, registered in ``mmagic.registry.MODELS``.

Layout (mmagic's): ``editors/<algorithm>/`` holds one algorithm per folder,
``losses/`` and ``layers/`` the shared building blocks.
"""
from .editors import (
                      GFLADiscriminator,
                      GFLAFlowEstimator,
                      GFLAGenerator,
                      GFLASourceEncoder,
                      GFLATargetRenderer,
)
from .layers import LocalAttention
from .losses import (
                      AffineRegularizationLoss,
                      GFLAPerceptualLoss,
                      GFLAStyleLoss,
                      GFLAVGG19Features,
                      SamplingCorrectnessLoss,
)

__all__ = [
    'LocalAttention', 'GFLAFlowEstimator', 'GFLAGenerator',
    'GFLASourceEncoder', 'GFLATargetRenderer', 'GFLADiscriminator',
    'AffineRegularizationLoss', 'GFLAPerceptualLoss', 'GFLAStyleLoss',
    'GFLAVGG19Features', 'SamplingCorrectnessLoss'
]
