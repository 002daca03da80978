# Copyright (c) OpenMMLab. All rights reserved.
"""The temporal discriminator D_V of the animation model (paper eq. 21-22;
the official TemporalDiscriminator)."""
from typing import Optional

import torch
from mmengine.model import BaseModule
from torch import nn
from torch.nn.utils import spectral_norm

from gfla_mm.registry import MODELS

from ..gfla.gfla_modules import ResBlockEncoder, init_orthogonal


class ResBlock3DEncoder(nn.Module):
    """Space-time residual block, spectral-normalised, no norm layers: act,
    conv3d 3x3x3 (i->h, padded), act, conv3d (3, 4, 4) stride (1, 2, 2)
    (h->o, no temporal padding), plus avgpool3d (3, 2, 2) + conv1x1x1.

    Halves H and W and shortens time by 2: (B, i, T, H, W) ->
    (B, o, T - 2, H / 2, W / 2).
    """

    def __init__(self, in_channels: int, out_channels: int,
                 hidden_channels: int) -> None:
        super().__init__()
        self.model = nn.Sequential(
            nn.LeakyReLU(0.1),
            spectral_norm(
                nn.Conv3d(in_channels, hidden_channels, 3, padding=1)),
            nn.LeakyReLU(0.1),
            spectral_norm(
                nn.Conv3d(hidden_channels, out_channels, (3, 4, 4),
                          stride=(1, 2, 2), padding=(0, 1, 1))))
        self.shortcut = nn.Sequential(
            nn.AvgPool3d((3, 2, 2), stride=(1, 2, 2)),
            spectral_norm(nn.Conv3d(in_channels, out_channels, 1)))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.model(x) + self.shortcut(x)


@MODELS.register_module()
class GFLATemporalDiscriminator(BaseModule):
    """Judges ``num_frames`` consecutive frames at once.

    Two :class:`ResBlock3DEncoder` (3 -> ndf -> 2 ndf channels; time
    T -> T - 4), the remaining frames folded into channels (the official
    order: channel c * (T - 4) + t), then ``layers - 2`` 2-D
    ResBlockEncoders, LeakyReLU and a 1x1 conv: one logit per
    (H / 2**layers, W / 2**layers) patch. With the defaults it has 1,032,961
    parameters, as the official ``TemporalDiscriminator(input_length=6,
    ndf=32, img_f=128, layers=4)``.

    Args:
        in_channels (int): Defaults to 3.
        num_frames (int): Frames per input (official ``frames_D_V``), at
            least 5. Defaults to 6.
        base_channels (int): ndf. Defaults to 32.
        max_channels (int): img_f. Defaults to 128.
        layers (int): Halving blocks, the two 3-D ones included. Defaults
            to 4.
        init_gain (float): Orthogonal init gain. Defaults to 0.02.
    """

    def __init__(self,
                 in_channels: int = 3,
                 num_frames: int = 6,
                 base_channels: int = 32,
                 max_channels: int = 128,
                 layers: int = 4,
                 init_gain: float = 0.02,
                 init_cfg: Optional[dict] = None) -> None:
        super().__init__(init_cfg=init_cfg)
        if num_frames < 5:
            raise ValueError('the temporal discriminator needs num_frames >= '
                             f'5 (its 3-D blocks remove 4), got {num_frames}')
        if layers < 2:
            raise ValueError(f'layers must be >= 2, got {layers}')
        self.num_frames = num_frames
        self.layers = layers
        self.init_gain = init_gain
        ndf = base_channels
        self.block0 = ResBlock3DEncoder(in_channels, ndf, ndf)
        self.block1 = ResBlock3DEncoder(ndf, 2 * ndf, ndf)
        channels = 2 * ndf * (num_frames - 4)
        for i in range(layers - 2):
            c_out = min(ndf * 2**(i + 2), max_channels)
            setattr(self, f'encoder{i}',
                    ResBlockEncoder(channels, c_out, channels))
            channels = c_out
        self.act = nn.LeakyReLU(0.1)
        self.conv = spectral_norm(nn.Conv2d(channels, 1, 1))

    def init_weights(self) -> None:
        super().init_weights()
        init_orthogonal(self, self.init_gain)

    def forward(self, frames: torch.Tensor) -> torch.Tensor:
        """
        Args:
            frames (Tensor): (B, T, 3, H, W) consecutive frames in [-1, 1],
                T = ``num_frames`` (the clip layout of the datasets).

        Returns:
            Tensor: (B, 1, H / 2**layers, W / 2**layers) logits.
        """
        if frames.ndim != 5 or frames.shape[1] != self.num_frames:
            raise ValueError(
                f'expected (B, {self.num_frames}, C, H, W) frames, got '
                f'{tuple(frames.shape)}')
        out = self.block1(self.block0(frames.transpose(1, 2)))
        b, _, _, h, w = out.shape
        out = out.reshape(b, -1, h, w)
        for i in range(self.layers - 2):
            out = getattr(self, f'encoder{i}')(out)
        return self.conv(self.act(out))


__all__ = ['GFLATemporalDiscriminator', 'ResBlock3DEncoder']
