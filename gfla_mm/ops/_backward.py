# Copyright (c) OpenMMLab. All rights reserved.
"""The backward plumbing shared by the ops' autograd Functions."""
from typing import Callable, List, Optional, Sequence

import torch

LOW_PRECISION = (torch.float16, torch.bfloat16)


def ext_backward(backward: Callable, grad_out: torch.Tensor,
                 inputs: Sequence[torch.Tensor], needs: Sequence[bool],
                 *params) -> List[Optional[torch.Tensor]]:
    """Calls ``backward(grad_out, *inputs, *grads, *params)`` of ``_ext``.

    float16/bfloat16 inputs are upcast to float32 first, so that scattered
    gradients do not accumulate in half precision; gradients come back in
    the inputs' dtype. Only the gradients in ``needs`` are computed (the
    others are passed as empty tensors, which the kernels skip).

    Returns:
        list: One gradient or None per input.
    """
    dtype = inputs[0].dtype
    if dtype in LOW_PRECISION:
        inputs = [t.float() for t in inputs]
    grad_out = grad_out.to(inputs[0].dtype).contiguous()
    empty = inputs[0].new_empty(0)
    grads = [
        torch.empty_like(t) if need else empty
        for t, need in zip(inputs, needs)
    ]
    backward(grad_out, *inputs, *grads, *params)
    return [g.to(dtype) if need else None for g, need in zip(grads, needs)]
