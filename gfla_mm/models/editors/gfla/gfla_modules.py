# Copyright (c) OpenMMLab. All rights reserved.
"""Building blocks of the GFLA networks (the official ``base_function``).

All generator blocks are pre-activation: InstanceNorm2d(affine=True) ->
LeakyReLU(0.1) -> conv. Submodule names and indices follow the official
networks so that official checkpoints load key for key.
"""
from typing import Optional

import torch
from torch import nn
from torch.nn.utils import spectral_norm


def _act() -> nn.Module:
    return nn.LeakyReLU(0.1)


def _norm(channels: int, enabled: bool = True) -> nn.Module:
    return (nn.InstanceNorm2d(channels, affine=True)
            if enabled else nn.Identity())


class EncoderBlock(nn.Module):
    """Halves H and W: IN, act, conv4x4 s2 (i->o), IN, act, conv3x3 (o->o).

    ``norm=False`` replaces both INs by identities (conv keys unchanged).
    """

    def __init__(self,
                 in_channels: int,
                 out_channels: int,
                 norm: bool = True) -> None:
        super().__init__()
        self.model = nn.Sequential(
            _norm(in_channels, norm), _act(),
            nn.Conv2d(in_channels, out_channels, 4, stride=2, padding=1),
            _norm(out_channels, norm), _act(),
            nn.Conv2d(out_channels, out_channels, 3, padding=1))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.model(x)


class ResBlock(nn.Module):
    """IN, act, conv3x3, IN, act, conv3x3 plus the identity."""

    def __init__(self, channels: int) -> None:
        super().__init__()
        self.model = nn.Sequential(
            nn.InstanceNorm2d(channels, affine=True), _act(),
            nn.Conv2d(channels, channels, 3, padding=1),
            nn.InstanceNorm2d(channels, affine=True), _act(),
            nn.Conv2d(channels, channels, 3, padding=1))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x + self.model(x)


class ResBlocks(nn.Module):
    """``num_blocks`` ResBlocks in sequence."""

    def __init__(self, num_blocks: int, channels: int) -> None:
        super().__init__()
        self.model = nn.Sequential(
            *[ResBlock(channels) for _ in range(num_blocks)])

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.model(x)


def _up(in_channels: int, out_channels: int) -> nn.ConvTranspose2d:
    return nn.ConvTranspose2d(
        in_channels, out_channels, 3, stride=2, padding=1, output_padding=1)


class ResBlockDecoder(nn.Module):
    """Doubles H and W: IN, act, conv3x3 (i->h), IN, act, convT3x3 s2
    (h->o), plus a convT3x3 s2 (i->o) shortcut."""

    def __init__(self,
                 in_channels: int,
                 out_channels: int,
                 hidden_channels: Optional[int] = None) -> None:
        super().__init__()
        hidden = hidden_channels or in_channels
        self.model = nn.Sequential(
            nn.InstanceNorm2d(in_channels, affine=True), _act(),
            nn.Conv2d(in_channels, hidden, 3, padding=1),
            nn.InstanceNorm2d(hidden, affine=True), _act(),
            _up(hidden, out_channels))
        self.shortcut = nn.Sequential(_up(in_channels, out_channels))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.model(x) + self.shortcut(x)


class Jump(nn.Module):
    """Skip connection of the flow estimator: act, reflection pad, conv3x3.

    The official block registers its conv twice (``conv1`` and
    ``model.2``, one module): both keys are in its checkpoints.
    """

    def __init__(self, channels: int) -> None:
        super().__init__()
        self.conv1 = nn.Conv2d(channels, channels, 3)
        self.model = nn.Sequential(_act(), nn.ReflectionPad2d(1), self.conv1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.model(x)


class OutputBlock(nn.Module):
    """Image head: act, reflection pad, conv3x3, tanh (``conv1`` and
    ``model.2`` are one module, as in the official ``Output``)."""

    def __init__(self, in_channels: int, out_channels: int = 3) -> None:
        super().__init__()
        self.conv1 = nn.Conv2d(in_channels, out_channels, 3)
        self.model = nn.Sequential(_act(), nn.ReflectionPad2d(1), self.conv1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.tanh(self.model(x))


class ResBlockEncoder(nn.Module):
    """Discriminator block, spectral-normalised, no norm layers: act,
    conv3x3 (i->h), act, conv4x4 s2 (h->o), plus avgpool2 + conv1x1."""

    def __init__(self, in_channels: int, out_channels: int,
                 hidden_channels: int) -> None:
        super().__init__()
        self.model = nn.Sequential(
            _act(),
            spectral_norm(nn.Conv2d(in_channels, hidden_channels, 3,
                                    padding=1)), _act(),
            spectral_norm(
                nn.Conv2d(hidden_channels, out_channels, 4, stride=2,
                          padding=1)))
        self.shortcut = nn.Sequential(
            nn.AvgPool2d(2, stride=2),
            spectral_norm(nn.Conv2d(in_channels, out_channels, 1)))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.model(x) + self.shortcut(x)


def init_orthogonal(module: nn.Module, gain: float = 0.02) -> None:
    """The official init: orthogonal (gain 0.02) conv (2-D, 3-D,
    transposed) and linear weights, zero biases; normalisation layers keep
    (1, 0). Spectral-normalised layers are initialised through their
    ``weight_orig``."""
    for m in module.modules():
        if isinstance(m, (nn.Conv2d, nn.Conv3d, nn.ConvTranspose2d,
                          nn.Linear)):
            weight = getattr(m, 'weight_orig', None)
            if weight is None:
                weight = m.weight
            nn.init.orthogonal_(weight, gain=gain)
            if m.bias is not None:
                nn.init.zeros_(m.bias)


__all__ = [
    'EncoderBlock', 'ResBlock', 'ResBlocks', 'ResBlockDecoder', 'Jump',
    'OutputBlock', 'ResBlockEncoder', 'init_orthogonal'
]
