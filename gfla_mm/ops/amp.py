# Copyright (c) OpenMMLab. All rights reserved.
"""What the ops do under ``torch.autocast`` (mmengine's ``--amp``)."""
from typing import Tuple

import torch


def autocast_inputs(*tensors: torch.Tensor) -> Tuple[torch.Tensor, ...]:
    """Casts op inputs to the one dtype the kernels take under autocast.

    Autocast leaves custom ops alone, so their inputs arrive in mixed
    dtypes (e.g. bf16 features with a float32 softmax). On CUDA they run in
    the autocast dtype (native half kernels); on CPU, where the kernels are
    float32/float64 only, in float32. Outside autocast nothing changes and
    the dtype checks still apply.
    """
    device = tensors[0].device.type
    if not torch.is_autocast_enabled(device):
        return tensors
    dtype = (torch.get_autocast_dtype(device)
             if device == 'cuda' else torch.float32)
    return tuple(t.to(dtype) for t in tensors)


__all__ = ['autocast_inputs']
