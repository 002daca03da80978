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
from .motion_extractor import (
                               MotionExtractionNet,
                               MotionExtractor,
                               denoise_joints,
)

__all__ = [
    'GFLA', 'GFLAFlowPretrainer', 'GFLAFlowEstimator', 'GFLAGenerator',
    'GFLABaselineGenerator', 'GFLASourceEncoder', 'GFLATargetRenderer',
    'GFLADiscriminator', 'MotionExtractionNet', 'MotionExtractor',
    'denoise_joints'
]
