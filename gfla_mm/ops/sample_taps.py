# Copyright (c) OpenMMLab. All rights reserved.
"""``sample_taps_nhwc``: every pixel's k x k bilinear source taps, written
pixel-major, for the CPU inference form of the local attention."""
from typing import Optional

import torch

from .amp import autocast_inputs
from .checks import check_kernel_size, check_source_flow
from .ext_loader import load_ext, resolve_backend
from .reference import sample_taps


def sample_taps_nhwc(source: torch.Tensor,
                     flow: torch.Tensor,
                     kernel_size: int,
                     backend: Optional[str] = None) -> torch.Tensor:
    """The k x k bilinear taps around p + flow(p), one row per pixel.

    ``out[b, y * W + x, iy * k + ix, c]`` samples ``source[b, c]`` at
    ``(x + dx + ix - k//2, y + dy + iy - k//2)`` (border replicated): the
    values of :func:`block_extract`, laid out so that a row is one pixel's
    (k*k, C) patch. That is the row of a GEMM with the local attention's
    kernel-prediction weights, and a ``channels_last`` source is read
    contiguously.

    The compiled kernel (CPU, float32/float64, forward only) runs when no
    gradient is needed; otherwise, on CUDA, under export and with the
    reference backend, ``grid_sample`` does (differentiable).

    Args:
        source (Tensor): (B, C, H, W), any memory format.
        flow (Tensor): (B, 2, H, W) in pixels; channel 0 = dx.
        kernel_size (int): k, in [1, 15].
        backend (str, optional): ``'ext'`` (default) or ``'reference'``;
            defaults to ``$GFLA_MM_OPS_BACKEND`` or ``'ext'``.

    Returns:
        Tensor: (B, H*W, k*k, C), contiguous.
    """
    source, flow = autocast_inputs(source, flow)
    check_source_flow(source, flow)
    check_kernel_size(kernel_size)
    b, c, h, w = source.shape
    k2 = kernel_size * kernel_size
    needs_grad = torch.is_grad_enabled() and (source.requires_grad
                                              or flow.requires_grad)
    if (resolve_backend(backend) == 'reference' or needs_grad
            or source.device.type != 'cpu'):
        taps = sample_taps(source, flow, kernel_size)  # (B, C, k*k, H, W)
        return taps.permute(0, 3, 4, 2, 1).reshape(b, h * w, k2, c)
    ext = load_ext()
    if not hasattr(ext, 'sample_taps_nhwc_forward'):
        raise RuntimeError(
            f'gfla_mm._ext ({ext.__file__}) was built before '
            'sample_taps_nhwc existed: rebuild it (`make env`, or `pip '
            'install --no-build-isolation -e .`)')
    out = source.new_empty(b, h * w, k2, c)
    ext.sample_taps_nhwc_forward(
        source.permute(0, 2, 3, 1).contiguous(), flow.contiguous(), out,
        kernel_size)
    return out


__all__ = ['sample_taps_nhwc']
