# Copyright (c) OpenMMLab. All rights reserved.
"""Content-aware local attention (paper §III-B, eq. 8-9; the official
``ExtractorAttn``)."""
from typing import Optional

import torch
from torch import nn

from gfla_mm.ops import local_attention, local_attention_weights
from gfla_mm.registry import MODELS


@MODELS.register_module(name='GFLALocalAttention')
class LocalAttention(nn.Module):
    """Local attention: samples k x k source patches around the flowed point
    and mixes them with weights predicted from (target patch, source patch).

    Computes, for every target pixel p,
    ``A(p) = softmax(conv1x1(lrelu(conv_kxk_stride_k([P_t(p), P_s(p)]))))``
    and ``out(p) = (1 / k**2) * sum_j A_j(p) * P_s,j(p)``, where P_s(p) is
    the k x k bilinear source patch centred at p + flow(p) and P_t(p) the
    target neighbourhood of p (border replicated). The 1 / k**2 factor is the
    official average pool, kept for checkpoint parity; parameters are named
    as the official ``fully_connect_layer`` (indices 0 and 2).

    Memory: the official block materialises the (B, 2C, kH, kW) patch pair;
    :func:`gfla_mm.ops.local_attention` computes the target half of the
    kernel-prediction conv as an ordinary conv with replicate padding, builds
    the flowed source patches ``patch_chunk`` samples at a time inside an
    activation checkpoint, and gathers without patches.

    Args:
        channels (int): C, channels of the source/target features.
        kernel_size (int): k, the patch size. Defaults to 3.
        hidden_channels (int): Width of the kernel-prediction net.
            Defaults to 128 (the official value).
        patch_chunk (int, optional): Samples per chunk of source patches;
            None builds them for the whole batch at once. Defaults to 1.
        backend (str, optional): Op backend, ``'ext'`` or ``'reference'``
            (see :func:`gfla_mm.ops.local_attention_gather`).
        tap_reduction (str): ``'mean'`` (official: the 1 / k**2 average)
            or ``'sum'`` (the softmax-weighted sum, k**2 times larger: the
            attended features keep the source features' scale, which a
            short training cannot otherwise make up for; see
            configs/gfla/README.md, "Miniature Table II"). Defaults to
            'mean'.
    """

    def __init__(self,
                 channels: int,
                 kernel_size: int = 3,
                 hidden_channels: int = 128,
                 patch_chunk: Optional[int] = 1,
                 backend: Optional[str] = None,
                 tap_reduction: str = 'mean') -> None:
        super().__init__()
        if tap_reduction not in ('mean', 'sum'):
            raise ValueError(f"tap_reduction must be 'mean' or 'sum', got "
                             f'{tap_reduction!r}')
        self.tap_reduction = tap_reduction
        if patch_chunk is not None and patch_chunk < 1:
            raise ValueError(f'patch_chunk must be >= 1 or None, got '
                             f'{patch_chunk}')
        self.channels = channels
        self.kernel_size = kernel_size
        self.patch_chunk = patch_chunk
        self.backend = backend
        k = kernel_size
        self.fully_connect_layer = nn.Sequential(
            nn.Conv2d(2 * channels, hidden_channels, k, stride=k),
            nn.LeakyReLU(0.1),
            nn.Conv2d(hidden_channels, k * k, 1),
            nn.Softmax(dim=1))

    def forward(self, source: torch.Tensor, target: torch.Tensor,
                flow: torch.Tensor) -> torch.Tensor:
        """
        Args:
            source (Tensor): (B, C, H, W) source features F_s.
            target (Tensor): (B, C, H, W) target features F_t.
            flow (Tensor): (B, 2, H, W) flow in pixels of this resolution,
                channel 0 = dx; target p samples the source at p + flow(p).

        Returns:
            Tensor: (B, C, H, W) the attended source features.
        """
        out = local_attention(*self._op_args(source, target, flow))
        if self.tap_reduction == 'sum':
            out = out * self.kernel_size**2
        return out

    def attention_weights(self, source: torch.Tensor, target: torch.Tensor,
                          flow: torch.Tensor) -> torch.Tensor:
        """The (B, k*k, H, W) attention coefficients of :meth:`forward`
        (softmax over the k*k taps; tap j = iy * k + ix)."""
        return local_attention_weights(*self._op_args(source, target, flow))

    def _op_args(self, source: torch.Tensor, target: torch.Tensor,
                 flow: torch.Tensor) -> tuple:
        if source.shape[1] != self.channels:
            raise ValueError(f'source has {source.shape[1]} channels, the '
                             f'block was built for {self.channels}')
        hidden, act, out = self.fully_connect_layer[:3]
        return (
            source,
            target,
            flow,
            hidden.weight,
            hidden.bias,
            out.weight,
            out.bias,
            self.kernel_size,
            self.patch_chunk,
            act.negative_slope,
            self.backend)
