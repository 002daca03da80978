# Copyright (c) OpenMMLab. All rights reserved.
"""Mixed precision on CPU-only machines (mmengine's ``AmpOptimWrapper``
refuses to run without an accelerator)."""
from contextlib import contextmanager

import torch
from mmengine.optim import OptimWrapper
from torch import nn

from gfla_mm.registry import OPTIM_WRAPPERS


@OPTIM_WRAPPERS.register_module()
class CPUAmpOptimWrapper(OptimWrapper):
    """``OptimWrapper`` whose forward context is CPU bfloat16 autocast.

    bfloat16 has float32's exponent range, so no loss scaling is needed
    (and none is done); float16 on CPU would need a scaler and is refused.
    ``tools/train.py --amp`` picks this wrapper where CUDA is absent.

    Args:
        dtype (str | torch.dtype): Must be bfloat16. Defaults to bfloat16.
        **kwargs: As :class:`mmengine.optim.OptimWrapper`.
    """

    def __init__(self, dtype='bfloat16', **kwargs) -> None:
        super().__init__(**kwargs)
        if isinstance(dtype, str):
            dtype = getattr(torch, dtype, None)
        if dtype is not torch.bfloat16:
            raise ValueError('CPUAmpOptimWrapper supports dtype bfloat16 '
                             f'only, got {dtype}')
        self.cast_dtype = dtype

    @contextmanager
    def optim_context(self, model: nn.Module):
        with super().optim_context(model), torch.autocast(
                'cpu', dtype=self.cast_dtype):
            yield


__all__ = ['CPUAmpOptimWrapper']
