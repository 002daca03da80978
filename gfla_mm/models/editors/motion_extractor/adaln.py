# Copyright (c) OpenMMLab. All rights reserved.
"""Layer normalisation of 1-D feature sequences, plain and adaptive (ADALN,
paper appendix E, eq. 23-26)."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class ChannelLayerNorm1d(nn.Module):
    """LayerNorm over all channels and frames of each sequence, with a
    learnt per-channel affine (the official ``LayerNorm1d``).

    Args:
        channels (int): C.
        eps (float): Added to the variance. Defaults to 1e-5.
    """

    def __init__(self, channels: int, eps: float = 1e-5) -> None:
        super().__init__()
        self.eps = eps
        # (C, 1) as the official, so that its checkpoints load unchanged.
        self.weight = nn.Parameter(torch.ones(channels, 1))
        self.bias = nn.Parameter(torch.zeros(channels, 1))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """(B, C, L) -> (B, C, L)."""
        shape = x.shape[1:]
        return F.layer_norm(x, shape, self.weight.expand(shape),
                            self.bias.expand(shape), self.eps)


class ADALN1d(nn.Module):
    """Adaptive layer normalisation: ``LN(f) * (1 + gamma) + beta``.

    ``LN`` normalises each sequence over all channels and frames (eq. 24-25:
    it removes where and how large the skeleton is); ``gamma`` and ``beta``
    (per sequence and channel, eq. 26) are predicted from a global feature
    of the input joints, so that the network can put those statistics back.

    Args:
        channels (int): C of the normalised features.
        feature_channels (int): Size of the global feature.
        hidden (int): Width of the shared MLP layer. Defaults to 128.
        eps (float): Added to the variance. Defaults to 1e-5.
    """

    def __init__(self,
                 channels: int,
                 feature_channels: int,
                 hidden: int = 128,
                 eps: float = 1e-5) -> None:
        super().__init__()
        self.eps = eps
        self.mlp_shared = nn.Sequential(
            nn.Linear(feature_channels, hidden), nn.ReLU())
        self.mlp_gamma = nn.Linear(hidden, channels)
        self.mlp_beta = nn.Linear(hidden, channels)

    def forward(self, x: torch.Tensor, feature: torch.Tensor) -> torch.Tensor:
        """
        Args:
            x (Tensor): (B, C, L) features.
            feature (Tensor): (B, feature_channels) global feature.

        Returns:
            Tensor: (B, C, L).
        """
        hidden = self.mlp_shared(feature.flatten(1))
        gamma = self.mlp_gamma(hidden).unsqueeze(-1)
        beta = self.mlp_beta(hidden).unsqueeze(-1)
        # One fused multiply-add instead of a multiply and an add: this
        # elementwise work is a third of the network's CPU time.
        return torch.addcmul(beta, F.layer_norm(x, x.shape[1:], eps=self.eps),
                             1 + gamma)


__all__ = ['ChannelLayerNorm1d', 'ADALN1d']
