# Copyright (c) OpenMMLab. All rights reserved.
"""One algorithm per folder, as in mmagic's ``models/editors``."""
from .gfla import (
                   GFLA,
                   GFLABaselineGenerator,
                   GFLADiscriminator,
                   GFLAFlowEstimator,
                   GFLAFlowPretrainer,
                   GFLAGenerator,
                   GFLASourceEncoder,
                   GFLATargetRenderer,
)
from .gfla_animation import (
                             GFLAAnimation,
                             GFLAAnimationGenerator,
                             GFLATemporalDiscriminator,
)
from .motion_extractor import (
                               MotionExtractionNet,
                               MotionExtractor,
                               denoise_joints,
)

__all__ = [
    'GFLA', 'GFLAFlowPretrainer', 'GFLAFlowEstimator', 'GFLAGenerator',
    'GFLABaselineGenerator', 'GFLASourceEncoder', 'GFLATargetRenderer',
    'GFLADiscriminator', 'GFLAAnimation', 'GFLAAnimationGenerator',
    'GFLATemporalDiscriminator', 'MotionExtractionNet', 'MotionExtractor',
    'denoise_joints'
]
