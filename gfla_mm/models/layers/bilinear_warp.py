# Copyright (c) OpenMMLab. All rights reserved.
"""Bilinear warping of source features (the Bi-Sample ablation, paper
Table II)."""
from typing import Optional

import torch
from torch import nn

from gfla_mm.ops import local_attention_gather
from gfla_mm.registry import MODELS


def bilinear_warp(source: torch.Tensor, flow: torch.Tensor,
                  backend: Optional[str] = None) -> torch.Tensor:
    """Samples ``source`` at p + flow(p) bilinearly: the gather op with
    k = 1 and unit weights, i.e. exactly the official bilinear/border
    convention the local attention uses.

    Args:
        source (Tensor): (B, C, H, W).
        flow (Tensor): (B, 2, H, W) in pixels, channel 0 = dx.
        backend (str, optional): Op backend, ``'ext'`` or ``'reference'``.

    Returns:
        Tensor: (B, C, H, W) warped source.
    """
    flow = flow.to(source.dtype)
    ones = flow.new_ones(flow.shape[0], 1, *flow.shape[2:])
    return local_attention_gather(source, flow, ones, 1, backend=backend)


@MODELS.register_module(name='GFLABilinearWarp')
class BilinearWarp(nn.Module):
    """Samples the source features at p + flow(p) bilinearly.

    Drop-in replacement of :class:`LocalAttention` without content-aware
    weights (:func:`bilinear_warp`).

    Args:
        backend (str, optional): Op backend, ``'ext'`` or ``'reference'``.
    """

    def __init__(self, backend: Optional[str] = None) -> None:
        super().__init__()
        self.backend = backend

    def forward(self, source: torch.Tensor, target: torch.Tensor,
                flow: torch.Tensor) -> torch.Tensor:
        """
        Args:
            source (Tensor): (B, C, H, W) source features.
            target (Tensor): (B, C, H, W) target features (unused; kept for
                the interface of :class:`LocalAttention`).
            flow (Tensor): (B, 2, H, W) in pixels, channel 0 = dx.

        Returns:
            Tensor: (B, C, H, W) warped source features.
        """
        return bilinear_warp(source, flow, self.backend)


__all__ = ['BilinearWarp', 'bilinear_warp']
