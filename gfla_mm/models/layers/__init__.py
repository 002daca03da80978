# Copyright (c) OpenMMLab. All rights reserved.
"""Building blocks shared by the GFLA networks: the local attention and the
feature transforms of the Table II ablations."""
from .bilinear_warp import BilinearWarp, bilinear_warp
from .global_attention import GlobalAttention
from .local_attention import LocalAttention

__all__ = [
    'LocalAttention', 'BilinearWarp', 'bilinear_warp', 'GlobalAttention'
]
