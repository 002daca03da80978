# Copyright (c) OpenMMLab. All rights reserved.
"""Building blocks shared by the GFLA networks."""
from .local_attention import LocalAttention

__all__ = ['LocalAttention']
