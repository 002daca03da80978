# Copyright (c) OpenMMLab. All rights reserved.
"""Dense attention between target and source features (the Global-Attn
ablation, paper Table II)."""
import torch
from torch import nn

from gfla_mm.registry import MODELS


@MODELS.register_module(name='GFLAGlobalAttention')
class GlobalAttention(nn.Module):
    """Every target position attends to every source position.

    ``A = softmax_i(q(f_t)(p) . k(f_s)(i) / sqrt(d))`` with 1x1-conv
    projections q, k to d channels, and the output is
    ``f_t + gamma * sum_i A(p, i) v(f_s)(i)``; gamma starts at 0, so the
    block starts as the identity on the target features (no flow, no mask:
    the renderer uses the output as is).

    Memory is O(B * (H*W)**2): 4096**2 weights per sample at 64 x 64.

    Args:
        channels (int): C of the source and target features.
        key_channels (int): d. Defaults to max(C // 8, 1).
    """

    def __init__(self, channels: int, key_channels: int = None) -> None:
        super().__init__()
        d = key_channels or max(channels // 8, 1)
        self.query = nn.Conv2d(channels, d, 1)
        self.key = nn.Conv2d(channels, d, 1)
        self.value = nn.Conv2d(channels, channels, 1)
        self.gamma = nn.Parameter(torch.zeros(1))
        self.scale = d**-0.5

    def forward(self, source: torch.Tensor, target: torch.Tensor,
                flow: torch.Tensor = None) -> torch.Tensor:
        """
        Args:
            source (Tensor): (B, C, H, W) source features.
            target (Tensor): (B, C, H, W) target features.
            flow: Ignored (the model has no flow estimator).

        Returns:
            Tensor: (B, C, H, W).
        """
        if source.shape != target.shape:
            raise ValueError(f'source {tuple(source.shape)} and target '
                             f'{tuple(target.shape)} must have one shape')
        b, c, h, w = target.shape
        q = self.query(target).flatten(2)  # (B, d, N)
        k = self.key(source).flatten(2)
        v = self.value(source).flatten(2)  # (B, C, N)
        attn = torch.softmax(q.transpose(1, 2) @ k * self.scale, dim=-1)
        out = (v @ attn.transpose(1, 2)).view(b, c, h, w)
        return target + self.gamma * out


__all__ = ['GlobalAttention']
