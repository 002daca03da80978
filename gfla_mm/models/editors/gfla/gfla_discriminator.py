# Copyright (c) OpenMMLab. All rights reserved.
"""GFLA's residual discriminator (the official ResDiscriminator)."""
import torch
from mmengine.model import BaseModule
from torch import nn
from torch.nn.utils import spectral_norm

from gfla_mm.registry import MODELS

from .gfla_modules import ResBlockEncoder, init_orthogonal


@MODELS.register_module()
class GFLADiscriminator(BaseModule):
    """Unconditional residual patch discriminator with spectral norm.

    ResBlockEncoder(3 -> ndf), then ``layers - 1`` more halving blocks
    (channels doubling up to ``max_channels``), then LeakyReLU and a 1x1
    conv to one logit per patch: (B, 1, H / 2**layers, W / 2**layers).

    Args:
        in_channels (int): Defaults to 3.
        base_channels (int): ndf. Defaults to 32.
        max_channels (int): img_f. Defaults to 128.
        layers (int): Halving blocks. Defaults to 4 (DeepFashion); 3 for
            Market-1501.
        init_gain (float): Orthogonal init gain. Defaults to 0.02.
    """

    def __init__(self,
                 in_channels: int = 3,
                 base_channels: int = 32,
                 max_channels: int = 128,
                 layers: int = 4,
                 init_gain: float = 0.02,
                 init_cfg=None) -> None:
        super().__init__(init_cfg=init_cfg)
        self.layers = layers
        self.init_gain = init_gain
        self.block0 = ResBlockEncoder(in_channels, base_channels,
                                      base_channels)
        for i in range(layers - 1):
            c_in = min(base_channels * 2**i, max_channels)
            c_out = min(base_channels * 2**(i + 1), max_channels)
            setattr(self, f'encoder{i}', ResBlockEncoder(c_in, c_out, c_in))
        self.act = nn.LeakyReLU(0.1)
        self.conv = spectral_norm(
            nn.Conv2d(min(base_channels * 2**(layers - 1), max_channels), 1,
                      1))

    def init_weights(self) -> None:
        super().init_weights()
        init_orthogonal(self, self.init_gain)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """(B, 3, H, W) image in [-1, 1] -> (B, 1, H/2**L, W/2**L)."""
        out = self.block0(x)
        for i in range(self.layers - 1):
            out = getattr(self, f'encoder{i}')(out)
        return self.conv(self.act(out))


__all__ = ['GFLADiscriminator']
