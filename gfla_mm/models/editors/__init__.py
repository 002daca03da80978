# Copyright (c) OpenMMLab. All rights reserved.
"""One algorithm per folder, as in mmagic's ``models/editors``."""
from .gfla import (
                   GFLADiscriminator,
                   GFLAFlowEstimator,
                   GFLAGenerator,
                   GFLASourceEncoder,
                   GFLATargetRenderer,
)

__all__ = [
    'GFLAFlowEstimator', 'GFLAGenerator', 'GFLASourceEncoder',
    'GFLATargetRenderer', 'GFLADiscriminator'
]
