# Copyright (c) OpenMMLab. All rights reserved.
"""GFLA (Global-Flow Local-Attention) pose-guided person image generation."""
from .cpu_inference import (
    is_optimized_for_inference,
    optimize_for_inference,
)
from .flow_checkpoint import load_flow_estimator, resolve_checkpoint
from .flow_estimator import GFLAFlowEstimator
from .gfla import GFLA
from .gfla_discriminator import GFLADiscriminator
from .gfla_flow_pretrainer import GFLAFlowPretrainer, warp_with_flow
from .gfla_generator import (
                             GFLABaselineGenerator,
                             GFLAGenerator,
                             GFLASourceEncoder,
                             GFLATargetRenderer,
)
from .predictions import pack_predictions

__all__ = [
    'GFLA', 'GFLAFlowPretrainer', 'GFLAFlowEstimator', 'GFLAGenerator',
    'GFLABaselineGenerator', 'GFLASourceEncoder', 'GFLATargetRenderer',
    'GFLADiscriminator', 'load_flow_estimator', 'resolve_checkpoint',
    'pack_predictions', 'warp_with_flow', 'optimize_for_inference',
    'is_optimized_for_inference'
]
