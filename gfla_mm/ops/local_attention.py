# Copyright (c) OpenMMLab. All rights reserved.
"""Functional form of GFLA's local-attention block (paper eq. 8-9; the
official ``ExtractorAttn``), with the patch pair never materialised whole.

Kept beside the ops (torch only) so that benchmarks and other frameworks can
run it without mmagic; :class:`gfla_mm.models.layers.LocalAttention` holds
the parameters.
"""
from typing import Optional

import torch
import torch.nn.functional as F
from torch.utils.checkpoint import checkpoint

from .block_extract import block_extract
from .checks import check_kernel_size, check_source_flow
from .export import is_exporting
from .local_attention_gather import local_attention_gather
from .reference import sample_taps
from .sample_taps import sample_taps_nhwc


def _target_term(target: torch.Tensor, weight: torch.Tensor,
                 bias: Optional[torch.Tensor], k: int) -> torch.Tensor:
    # With zero flow the k x k target patches are exactly the neighbourhoods
    # of a replicate-padded image: an ordinary convolution, no patches.
    lo, hi = k // 2, k - 1 - k // 2
    padded = F.pad(target, (lo, hi, lo, hi), mode='replicate')
    return F.conv2d(padded, weight, bias)


def _source_term(source: torch.Tensor, flow: torch.Tensor,
                 weight: torch.Tensor, k: int, patch_chunk: Optional[int],
                 backend: Optional[str]) -> torch.Tensor:
    # The flowed source patches exist only chunk by chunk, and only
    # transiently: the activation checkpoint rebuilds them in backward.
    def conv_patches(src, flw, w):
        patches = block_extract(src, flw, k, backend=backend)
        return F.conv2d(patches, w, stride=k)

    track = torch.is_grad_enabled() and any(
        t.requires_grad for t in (source, flow, weight))

    def run(*args):
        return (checkpoint(conv_patches, *args, use_reentrant=False)
                if track else conv_patches(*args))

    # Export: the whole batch at once; a loop over it would fix its size.
    if not patch_chunk or is_exporting():
        return run(source, flow, weight)
    outs = []
    for start in range(0, source.shape[0], patch_chunk):
        outs.append(
            run(source[start:start + patch_chunk],
                flow[start:start + patch_chunk], weight))
    return torch.cat(outs) if len(outs) > 1 else outs[0]


def _check_args(source: torch.Tensor, target: torch.Tensor,
                hidden_weight: torch.Tensor, k: int,
                patch_chunk: Optional[int]) -> None:
    if target.shape != source.shape:
        raise ValueError(f'target of shape {tuple(target.shape)} must match '
                         f'source of shape {tuple(source.shape)}')
    c = source.shape[1]
    if hidden_weight.shape[1:] != (2 * c, k, k):
        raise ValueError(
            f'hidden_weight of shape {tuple(hidden_weight.shape)} does not '
            f'fit source with {c} channels and kernel_size {k} (expected '
            f'(M, {2 * c}, {k}, {k}))')
    if patch_chunk is not None and patch_chunk < 1:
        raise ValueError(f'patch_chunk must be >= 1 or None, got '
                         f'{patch_chunk}')


def local_attention_weights(source: torch.Tensor,
                            target: torch.Tensor,
                            flow: torch.Tensor,
                            hidden_weight: torch.Tensor,
                            hidden_bias: Optional[torch.Tensor],
                            out_weight: torch.Tensor,
                            out_bias: Optional[torch.Tensor],
                            kernel_size: int,
                            patch_chunk: Optional[int] = 1,
                            negative_slope: float = 0.1,
                            backend: Optional[str] = None) -> torch.Tensor:
    """The attention coefficients of :func:`local_attention`:
    ``softmax_taps(conv1x1(lrelu(conv_kxk_stride_k([P_t, P_s]))))``.

    Args: as :func:`local_attention`.

    Returns:
        Tensor: (B, k*k, H, W), summing to 1 over the taps; tap
        j = iy * k + ix samples the source at p + flow(p) + (ix - k//2,
        iy - k//2).
    """
    _check_args(source, target, hidden_weight, kernel_size, patch_chunk)
    c, k = source.shape[1], kernel_size
    hidden = (_target_term(target, hidden_weight[:, :c], hidden_bias, k) +
              _source_term(source, flow, hidden_weight[:, c:], k, patch_chunk,
                           backend))
    logits = F.conv2d(F.leaky_relu(hidden, negative_slope), out_weight,
                      out_bias)
    return torch.softmax(logits, dim=1)


def local_attention(source: torch.Tensor,
                    target: torch.Tensor,
                    flow: torch.Tensor,
                    hidden_weight: torch.Tensor,
                    hidden_bias: Optional[torch.Tensor],
                    out_weight: torch.Tensor,
                    out_bias: Optional[torch.Tensor],
                    kernel_size: int,
                    patch_chunk: Optional[int] = 1,
                    negative_slope: float = 0.1,
                    backend: Optional[str] = None) -> torch.Tensor:
    """GFLA local attention.

    ``A = softmax_taps(conv1x1(lrelu(conv_kxk_stride_k([P_t, P_s]))))`` and
    ``out(p) = (1 / k**2) * sum_j A_j(p) * P_s,j(p)``, with P_s the k x k
    bilinear source patches around p + flow(p) and P_t the (border
    replicated) target neighbourhoods; 1 / k**2 is the official average pool.

    Args:
        source (Tensor): (B, C, H, W) source features.
        target (Tensor): (B, C, H, W) target features.
        flow (Tensor): (B, 2, H, W) in pixels, channel 0 = dx.
        hidden_weight (Tensor): (M, 2C, k, k) kernel-prediction conv; input
            channels [0, C) see the target patch, [C, 2C) the source patch.
        hidden_bias (Tensor, optional): (M,).
        out_weight (Tensor): (k*k, M, 1, 1).
        out_bias (Tensor, optional): (k*k,).
        kernel_size (int): k.
        patch_chunk (int, optional): Samples per chunk of source patches;
            None builds them for the whole batch at once. Defaults to 1.
        negative_slope (float): LeakyReLU slope. Defaults to 0.1.
        backend (str, optional): ``'ext'`` or ``'reference'`` op backend.

    Returns:
        Tensor: (B, C, H, W).
    """
    if is_exporting():
        _check_args(source, target, hidden_weight, kernel_size, patch_chunk)
        check_source_flow(source, flow)
        check_kernel_size(kernel_size)
        return _export_local_attention(source, target, flow, hidden_weight,
                                       hidden_bias, out_weight, out_bias,
                                       kernel_size, negative_slope)
    attn = local_attention_weights(source, target, flow, hidden_weight,
                                   hidden_bias, out_weight, out_bias,
                                   kernel_size, patch_chunk, negative_slope,
                                   backend)
    out = local_attention_gather(
        source, flow, attn, kernel_size, backend=backend)
    return out / (kernel_size * kernel_size)


def _export_local_attention(source: torch.Tensor, target: torch.Tensor,
                            flow: torch.Tensor, hidden_weight: torch.Tensor,
                            hidden_bias: Optional[torch.Tensor],
                            out_weight: torch.Tensor,
                            out_bias: Optional[torch.Tensor], k: int,
                            negative_slope: float) -> torch.Tensor:
    """:func:`local_attention` in standard operators, for export.

    The flowed source taps are sampled once (one ``grid_sample``, ONNX
    ``GridSample``) and serve both the attention logits and the gather: the
    stride-k convolution of the tiled patches is a 1x1 convolution of the
    (C * k*k)-channel taps with the same weights, reshaped.
    """
    b, c, h, w = source.shape
    taps = sample_taps(source, flow, k)  # (B, C, k*k, H, W)
    m = hidden_weight.shape[0]
    source_weight = hidden_weight[:, c:].reshape(m, c * k * k, 1, 1)
    hidden = (_target_term(target, hidden_weight[:, :c], hidden_bias, k) +
              F.conv2d(taps.reshape(b, c * k * k, h, w), source_weight))
    logits = F.conv2d(F.leaky_relu(hidden, negative_slope), out_weight,
                      out_bias)
    attn = torch.softmax(logits, dim=1)
    out = (taps * attn.unsqueeze(1)).sum(dim=2)
    return out / (k * k)


def local_attention_shared_taps(source: torch.Tensor,
                                target: torch.Tensor,
                                flow: torch.Tensor,
                                hidden_weight: torch.Tensor,
                                hidden_bias: Optional[torch.Tensor],
                                out_weight: torch.Tensor,
                                out_bias: Optional[torch.Tensor],
                                kernel_size: int,
                                negative_slope: float = 0.1,
                                backend: Optional[str] = None
                                ) -> torch.Tensor:
    """:func:`local_attention` for inference: the source taps sampled once,
    pixel-major, and the kernel-prediction net as matrix products.

    :func:`gfla_mm.ops.sample_taps_nhwc` writes each pixel's k x k source
    patch as one (k*k*C) row; the official stride-k convolution over the
    tiled patches is then one GEMM of those rows with its weights (reordered
    to (M, k, k, C)), and the 1x1 logits convolution another. On the CPU
    oneDNN runs the stride-k convolution several times slower than the same
    FLOPs as a GEMM, and the tiled patches cost a copy more
    (benchmarks/cpu_inference/). The same taps, weighted by the softmax,
    give the output (a batched matrix-vector product), so nothing is
    sampled twice. Equal to :func:`local_attention` up to float rounding
    (summation order); no activation checkpoint, the whole batch at once.

    Args: as :func:`local_attention` (no ``patch_chunk``).

    Returns:
        Tensor: (B, C, H, W), in ``source``'s memory format (NCHW or
        ``channels_last``).
    """
    _check_args(source, target, hidden_weight, kernel_size, None)
    if is_exporting():
        check_source_flow(source, flow)
        check_kernel_size(kernel_size)
        return _export_local_attention(source, target, flow, hidden_weight,
                                       hidden_bias, out_weight, out_bias,
                                       kernel_size, negative_slope)
    b, c, h, w = source.shape
    k, m = kernel_size, hidden_weight.shape[0]
    taps = sample_taps_nhwc(source, flow, k, backend)  # (B, HW, k*k, C)
    taps = taps.to(source.dtype) if taps.dtype != source.dtype else taps
    # The rows as a channels_last (B, k*k*C, H, W) image: the GEMMs run as
    # oneDNN 1x1 convolutions, faster than torch.mm here.
    rows = taps.reshape(b, h, w, k * k * c).permute(0, 3, 1, 2)
    source_weight = hidden_weight[:, c:].permute(0, 2, 3, 1).reshape(
        m, k * k * c, 1, 1)
    hidden = F.conv2d(rows, source_weight) + _target_term(
        target, hidden_weight[:, :c], hidden_bias, k)
    logits = F.conv2d(
        F.leaky_relu(hidden, negative_slope), out_weight, out_bias)
    attn = torch.softmax(logits, dim=1).permute(0, 2, 3, 1)  # (B,H,W,k*k)
    # (B*HW, 1, k*k) @ (B*HW, k*k, C): the attention-weighted taps.
    out = torch.matmul(
        attn.reshape(b, h * w, 1, k * k).to(taps.dtype), taps)
    out = out.reshape(b, h, w, c).permute(0, 3, 1, 2) / (k * k)
    if source.is_contiguous(memory_format=torch.channels_last):
        return out
    return out.contiguous()


__all__ = [
    'local_attention', 'local_attention_weights', 'local_attention_shared_taps'
]
