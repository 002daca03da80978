# Copyright (c) OpenMMLab. All rights reserved.
"""``block_extract``: the official BlockExtractor (k x k bilinear patches
around p + flow(p), tiled like ``pixel_shuffle``)."""
from typing import Optional

import torch
from torch.autograd import Function
from torch.autograd.function import once_differentiable

from ._backward import ext_backward
from .amp import autocast_inputs
from .checks import check_kernel_size, check_source_flow
from .ext_loader import load_ext, resolve_backend
from .library import CUSTOM_OPS, define
from .reference import block_extract_ref


def _out_shape(source: torch.Tensor, flow: torch.Tensor,
               kernel_size: int) -> tuple:
    b, c, h, w = source.shape
    return (b, c, h * kernel_size, w * kernel_size)


def _forward(source: torch.Tensor, flow: torch.Tensor,
             kernel_size: int) -> torch.Tensor:
    out = source.new_empty(_out_shape(source, flow, kernel_size))
    load_ext().block_extract_forward(source, flow, out, kernel_size)
    return out


class BlockExtractFunction(Function):
    """Autograd Function over ``gfla_mm._ext``; gradients for source and
    flow (float32 backward for float16/bfloat16 inputs). Used where torch
    has no ``torch.library.custom_op`` (torch < 2.4); otherwise the op is
    ``torch.ops.gfla_mm.block_extract``."""

    @staticmethod
    def forward(ctx, source: torch.Tensor, flow: torch.Tensor,
                kernel_size: int) -> torch.Tensor:
        source, flow = source.contiguous(), flow.contiguous()
        ctx.kernel_size = kernel_size
        ctx.save_for_backward(source, flow)
        return _forward(source, flow, kernel_size)

    @staticmethod
    @once_differentiable
    def backward(ctx, grad_out: torch.Tensor):
        grads = ext_backward(load_ext().block_extract_backward, grad_out,
                             ctx.saved_tensors, ctx.needs_input_grad[:2],
                             ctx.kernel_size)
        return (*grads, None)


if CUSTOM_OPS:
    _op = define('block_extract', ('source', 'flow'),
                 [('int', 'kernel_size')], _forward, _out_shape,
                 lambda *args: load_ext().block_extract_backward(*args))
else:
    _op = BlockExtractFunction.apply


def block_extract(source: torch.Tensor,
                  flow: torch.Tensor,
                  kernel_size: int,
                  backend: Optional[str] = None) -> torch.Tensor:
    """k x k bilinear patches of ``source`` around p + flow(p), tiled.

    out[b, c, y*k + iy, x*k + ix] = bilinear(source[b, c],
    (x + dx + ix - k//2, y + dy + iy - k//2)), border-replicated.

    Args:
        source (Tensor): (B, C, H, W).
        flow (Tensor): (B, 2, H, W) in pixels; channel 0 = dx.
        kernel_size (int): k, in [1, 15].
        backend (str, optional): ``'ext'`` (default) or ``'reference'``;
            defaults to ``$GFLA_MM_OPS_BACKEND`` or ``'ext'``.

    Returns:
        Tensor: (B, C, k*H, k*W).
    """
    source, flow = autocast_inputs(source, flow)
    check_source_flow(source, flow)
    check_kernel_size(kernel_size)
    if resolve_backend(backend) == 'reference':
        return block_extract_ref(source, flow, kernel_size)
    return _op(source, flow, kernel_size)


__all__ = ['BlockExtractFunction', 'block_extract']
