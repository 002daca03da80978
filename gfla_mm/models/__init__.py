# Copyright (c) OpenMMLab. All rights reserved.
"""GFLA networks, losses and editors, registered in ``mmagic.registry.MODELS``.

Layout (mmagic's): ``editors/<algorithm>/`` holds one algorithm per folder,
``losses/`` and ``layers/`` the shared building blocks.
"""
from .editors import (
                      GFLA,
                      GFLAAnimation,
                      GFLAAnimationGenerator,
                      GFLABaselineGenerator,
                      GFLADiscriminator,
                      GFLAFlowEstimator,
                      GFLAFlowPretrainer,
                      GFLAGenerator,
                      GFLASourceEncoder,
                      GFLATargetRenderer,
                      GFLATemporalDiscriminator,
                      MotionExtractionNet,
                      MotionExtractor,
)
from .layers import BilinearWarp, GlobalAttention, LocalAttention
from .losses import (
                      AffineRegularizationLoss,
                      GFLAPerceptualLoss,
                      GFLAStyleLoss,
                      GFLAVGG19Features,
                      SamplingCorrectnessLoss,
)

__all__ = [
    'LocalAttention', 'BilinearWarp', 'GlobalAttention', 'GFLA',
    'GFLAFlowPretrainer', 'GFLABaselineGenerator', 'GFLAFlowEstimator',
    'GFLAGenerator',
    'GFLASourceEncoder', 'GFLATargetRenderer', 'GFLADiscriminator',
    'AffineRegularizationLoss', 'GFLAPerceptualLoss', 'GFLAStyleLoss',
    'GFLAVGG19Features', 'SamplingCorrectnessLoss', 'MotionExtractionNet',
    'MotionExtractor', 'GFLAAnimation', 'GFLAAnimationGenerator',
    'GFLATemporalDiscriminator'
]
