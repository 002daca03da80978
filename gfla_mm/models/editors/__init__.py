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

__all__ = [
    'GFLA', 'GFLAFlowPretrainer', 'GFLAFlowEstimator', 'GFLAGenerator',
    'GFLABaselineGenerator', 'GFLASourceEncoder', 'GFLATargetRenderer',
    'GFLADiscriminator'
]
