# Copyright (c) OpenMMLab. All rights reserved.
"""``local_attention_gather``: flow-guided, attention-weighted k x k sampling
without materialising the patches (paper eq. 8-9)."""
from typing import Optional

import torch
from torch.autograd import Function
from torch.autograd.function import once_differentiable

from ._backward import ext_backward
from .amp import autocast_inputs
from .checks import (
    check_kernel_size,
    check_same,
    check_source_flow,
    check_tensor,
)
from .ext_loader import load_ext, resolve_backend
from .library import CUSTOM_OPS, define
from .reference import local_attention_gather_ref


def _forward(source: torch.Tensor, flow: torch.Tensor, attn: torch.Tensor,
             kernel_size: int) -> torch.Tensor:
    out = torch.empty_like(source)
    load_ext().local_attention_gather_forward(source, flow, attn, out,
                                              kernel_size)
    return out


class LocalAttentionGatherFunction(Function):
    """Autograd Function over ``gfla_mm._ext``; gradients for all inputs.
    Used where torch has no ``torch.library.custom_op`` (torch < 2.4);
    otherwise the op is ``torch.ops.gfla_mm.local_attention_gather``.

    float16/bfloat16 (CUDA): the forward runs natively (float accumulation);
    the backward runs in float32 and casts the gradients back, so that the
    scattered source gradient does not accumulate in half precision.
    """

    @staticmethod
    def forward(ctx, source: torch.Tensor, flow: torch.Tensor,
                attn: torch.Tensor, kernel_size: int) -> torch.Tensor:
        source, flow, attn = (t.contiguous() for t in (source, flow, attn))
        ctx.kernel_size = kernel_size
        ctx.save_for_backward(source, flow, attn)
        return _forward(source, flow, attn, kernel_size)

    @staticmethod
    @once_differentiable
    def backward(ctx, grad_out: torch.Tensor):
        grads = ext_backward(load_ext().local_attention_gather_backward,
                             grad_out, ctx.saved_tensors,
                             ctx.needs_input_grad[:3], ctx.kernel_size)
        return (*grads, None)


if CUSTOM_OPS:
    _op = define(
        'local_attention_gather', ('source', 'flow', 'attn'),
        [('int', 'kernel_size')],
        _forward,
        lambda source, *_: source.shape,
        lambda *args: load_ext().local_attention_gather_backward(*args))
else:
    _op = LocalAttentionGatherFunction.apply


def local_attention_gather(source: torch.Tensor,
                           flow: torch.Tensor,
                           attn: torch.Tensor,
                           kernel_size: int,
                           backend: Optional[str] = None) -> torch.Tensor:
    """out[b,c,p] = sum_j attn[b,j,p] * bilinear(source[b,c], p+flow(p)+o_j).

    Tap j = iy * k + ix has offset o_j = (ix - k//2, iy - k//2) pixels.
    Bilinear weights use the unclamped fractional part of the sample point;
    neighbour indices are clamped to the image (border replicate), as the
    official BlockExtractor. No (B, C, k*k, H, W) intermediate is created.

    Args:
        source (Tensor): (B, C, H, W) features to sample.
        flow (Tensor): (B, 2, H, W) offsets in pixels of this grid; channel
            0 = dx, channel 1 = dy.
        attn (Tensor): (B, k*k, H, W) weights of the taps.
        kernel_size (int): k, in [1, 15].
        backend (str, optional): ``'ext'`` (compiled, default) or
            ``'reference'`` (pure PyTorch); defaults to
            ``$GFLA_MM_OPS_BACKEND`` or ``'ext'``.

    Returns:
        Tensor: (B, C, H, W).
    """
    source, flow, attn = autocast_inputs(source, flow, attn)
    check_source_flow(source, flow)
    check_kernel_size(kernel_size)
    check_tensor('attn', attn, 4)
    check_same('attn', attn, 'source', source)
    if attn.shape[1] != kernel_size * kernel_size:
        raise ValueError(
            f'attn must have kernel_size**2 = {kernel_size ** 2} channels, '
            f'got shape {tuple(attn.shape)}')
    if resolve_backend(backend) == 'reference':
        return local_attention_gather_ref(source, flow, attn, kernel_size)
    return _op(source, flow, attn, kernel_size)


__all__ = ['LocalAttentionGatherFunction', 'local_attention_gather']
