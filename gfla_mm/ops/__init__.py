# Copyright (c) OpenMMLab. All rights reserved.
"""Compiled ops (``gfla_mm._ext``, mmcv's csrc layout) and their pure-PyTorch
references.

Flow convention everywhere: pixels of the tensor's own grid, channel 0 = dx,
channel 1 = dy; pixel p samples the source at p + flow(p); bilinear weights
from the unclamped fractional part, neighbour indices clamped to the image.
"""
from .block_extract import BlockExtractFunction, block_extract
from .export import export_mode, is_exporting
from .ext_loader import ENV_VAR, ext_has_cuda, load_ext, resolve_backend
from .gaussian_resample import GaussianResampleFunction, gaussian_resample
from .local_attention import (
    local_attention,
    local_attention_shared_taps,
    local_attention_weights,
)
from .local_attention_gather import (
    LocalAttentionGatherFunction,
    local_attention_gather,
)
from .reference import (
    block_extract_ref,
    gaussian_resample_ref,
    local_attention_block_ref,
    local_attention_gather_ref,
)
from .sample_taps import sample_taps_nhwc

if resolve_backend(None) == 'ext':
    # A missing build fails here, at import, with how to build it; the
    # reference backend must be asked for (GFLA_MM_OPS_BACKEND=reference).
    load_ext()

__all__ = [
    'local_attention', 'local_attention_weights', 'local_attention_gather',
    'local_attention_shared_taps', 'sample_taps_nhwc',
    'block_extract',
    'gaussian_resample',
    'LocalAttentionGatherFunction', 'BlockExtractFunction',
    'GaussianResampleFunction', 'local_attention_gather_ref',
    'block_extract_ref', 'gaussian_resample_ref', 'local_attention_block_ref',
    'load_ext',
    'resolve_backend', 'ext_has_cuda', 'ENV_VAR', 'export_mode',
    'is_exporting'
]
