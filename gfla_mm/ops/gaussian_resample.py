# Copyright (c) OpenMMLab. All rights reserved.
"""``gaussian_resample``: the official Resample2d (Gaussian-weighted
sampling), used by the sampling-correctness loss."""
from typing import Optional

import torch
from torch.autograd import Function
from torch.autograd.function import once_differentiable

from ._backward import ext_backward
from .amp import autocast_inputs
from .checks import MAX_KERNEL_SIZE, check_source_flow
from .ext_loader import load_ext, resolve_backend
from .library import CUSTOM_OPS, define
from .reference import gaussian_resample_ref


def _forward(source: torch.Tensor, flow: torch.Tensor, kernel_size: int,
             dilation: int, sigma: float) -> torch.Tensor:
    out = torch.empty_like(source)
    load_ext().gaussian_resample_forward(source, flow, out, kernel_size,
                                         dilation, sigma)
    return out


class GaussianResampleFunction(Function):
    """Autograd Function over ``gfla_mm._ext``; gradients for source and
    flow (float32 backward for float16/bfloat16 inputs). Used where torch
    has no ``torch.library.custom_op`` (torch < 2.4); otherwise the op is
    ``torch.ops.gfla_mm.gaussian_resample``."""

    @staticmethod
    def forward(ctx, source: torch.Tensor, flow: torch.Tensor,
                kernel_size: int, dilation: int,
                sigma: float) -> torch.Tensor:
        source, flow = source.contiguous(), flow.contiguous()
        ctx.params = (kernel_size, dilation, sigma)
        ctx.save_for_backward(source, flow)
        return _forward(source, flow, kernel_size, dilation, sigma)

    @staticmethod
    @once_differentiable
    def backward(ctx, grad_out: torch.Tensor):
        grads = ext_backward(load_ext().gaussian_resample_backward, grad_out,
                             ctx.saved_tensors, ctx.needs_input_grad[:2],
                             *ctx.params)
        return (*grads, None, None, None)


if CUSTOM_OPS:
    _op = define(
        'gaussian_resample', ('source', 'flow'),
        [('int', 'kernel_size'), ('int', 'dilation'), ('float', 'sigma')],
        _forward,
        lambda source, *_: source.shape,
        lambda *args: load_ext().gaussian_resample_backward(*args))
else:
    _op = GaussianResampleFunction.apply


def gaussian_resample(source: torch.Tensor,
                      flow: torch.Tensor,
                      kernel_size: int = 4,
                      dilation: int = 1,
                      sigma: float = 2.0,
                      backend: Optional[str] = None) -> torch.Tensor:
    """Gaussian-weighted mean of a K x K neighbourhood around p + flow(p).

    With f = floor(p + flow) and a = p + flow - f per axis, the taps are
    f - i*d (distance i*d + a) and f + (i+1)*d (distance (i+1)*d - a),
    i in [0, K/2), clamped to the image; each weighs
    exp(-(dx^2 + dy^2) / (2 sigma^2)). Unlike the official Resample2d,
    whose source-gradient used ``int()`` truncation, ``floor`` is used
    everywhere, so gradients are right for negative coordinates too.

    Args:
        source (Tensor): (B, C, H, W).
        flow (Tensor): (B, 2, H, W) in pixels; channel 0 = dx.
        kernel_size (int): K, even, in [2, 14]. Defaults to 4 (GFLA's).
        dilation (int): d >= 1. Defaults to 1.
        sigma (float): Gaussian sigma in pixels, > 0. Defaults to 2.0.
        backend (str, optional): ``'ext'`` (default) or ``'reference'``.

    Returns:
        Tensor: (B, C, H, W).
    """
    source, flow = autocast_inputs(source, flow)
    check_source_flow(source, flow)
    if (isinstance(kernel_size, bool) or not isinstance(kernel_size, int)
            or kernel_size < 2 or kernel_size % 2
            or kernel_size > MAX_KERNEL_SIZE):
        raise ValueError('kernel_size must be an even int in '
                         f'[2, {MAX_KERNEL_SIZE - 1}], got {kernel_size!r}')
    if isinstance(dilation, bool) or not isinstance(dilation,
                                                    int) or dilation < 1:
        raise ValueError(f'dilation must be an int >= 1, got {dilation!r}')
    if not sigma > 0:
        raise ValueError(f'sigma must be > 0, got {sigma!r}')
    if resolve_backend(backend) == 'reference':
        return gaussian_resample_ref(source, flow, kernel_size, dilation,
                                     sigma)
    return _op(source, flow, kernel_size, dilation, float(sigma))


__all__ = ['GaussianResampleFunction', 'gaussian_resample']
