# Copyright (c) OpenMMLab. All rights reserved.
"""The Motion Extraction Network (paper §IV-A, Fig. 4 / E.22): a temporal
1-D dilated convolution net that maps a noisy 2-D skeleton sequence to a
clean one."""
from typing import List

import torch
import torch.nn as nn

from gfla_mm.registry import MODELS

from .adaln import ADALN1d, ChannelLayerNorm1d


def joints_to_channels(joints: torch.Tensor) -> torch.Tensor:
    """(B, T, K, 2) (x, y) -> the official (B, 2K, T) layout: the K y's,
    then the K x's, per frame."""
    return joints.flip(-1).permute(0, 3, 2, 1).flatten(1, 2)


def channels_to_joints(channels: torch.Tensor) -> torch.Tensor:
    """Inverse of :func:`joints_to_channels`: (B, 2K, T) -> (B, T, K, 2)."""
    b, c, t = channels.shape
    return channels.view(b, 2, c // 2, t).permute(0, 3, 2, 1).flip(-1)


class TemporalJointNet(nn.Module):
    """The official ``KPInputNet2D``, on the (B, 2K, T) channel layout.

    ``expand_conv`` (kernel 3) then ``layers - 1`` residual blocks, each a
    kernel-3 convolution of dilation 3, 9, 27, ... and a 1x1 convolution,
    every convolution followed by ADALN, LeakyReLU(0.1) and dropout;
    unpadded, so that a window of ``receptive_field`` frames gives one
    output frame. ADALN's global feature: three stride-2 kernel-3
    convolutions (LeakyReLU 0.1) over the input joints, averaged over time.

    Args:
        num_joints (int): K. Defaults to 17.
        channels (int): Width. Defaults to 256.
        layers (int): 1 + the number of residual blocks. Defaults to 4
            (receptive field 81 frames).
        dropout (float): Defaults to 0.15.
    """

    kernel_size = 3

    def __init__(self,
                 num_joints: int = 17,
                 channels: int = 256,
                 layers: int = 4,
                 dropout: float = 0.15) -> None:
        super().__init__()
        if layers < 1:
            raise ValueError(f'layers must be >= 1, got {layers}')
        k = self.kernel_size
        coords = 2 * num_joints
        self.expand_conv = nn.Conv1d(coords, channels, k, bias=False)
        self.expand_ln = ChannelLayerNorm1d(channels)
        self.shrink = nn.Conv1d(channels, coords, 1)
        self.drop = nn.Dropout(dropout)
        # In place: every input it gets is a fresh normalisation output.
        self.lrelu = nn.LeakyReLU(0.1, inplace=True)
        convs, norms = [], []
        # Frames each block's dilated convolution trims from either end.
        self.trims: List[int] = []
        dilation = k
        for _ in range(1, layers):
            self.trims.append((k - 1) * dilation // 2)
            convs += [
                nn.Conv1d(channels, channels, k, dilation=dilation,
                          bias=False),
                nn.Conv1d(channels, channels, 1, bias=False)
            ]
            norms += [ADALN1d(channels, channels), ADALN1d(channels, channels)]
            dilation *= k
        self.layers_conv = nn.ModuleList(convs)
        self.layers_ln = nn.ModuleList(norms)
        self.feature_conv_1 = nn.Conv1d(coords, channels, k, 2, bias=False)
        self.feature_conv_2 = nn.Conv1d(channels, channels, k, 2, bias=False)
        self.feature_conv_3 = nn.Conv1d(channels, channels, k, 2, bias=False)
        self.receptive_field = 1 + (k - 1) // 2 * 2 + 2 * sum(self.trims)

    def global_feature(self, x: torch.Tensor) -> torch.Tensor:
        """(B, 2K, T) -> (B, C): the statistic extractor E of eq. 26."""
        for conv in (self.feature_conv_1, self.feature_conv_2,
                     self.feature_conv_3):
            x = self.lrelu(conv(x))
        return x.mean(2)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """(B, 2K, T) -> (B, 2K, T - receptive_field + 1)."""
        if x.shape[2] < max(self.receptive_field, 15):
            # 15: the shortest input the three stride-2 convolutions take.
            raise ValueError(
                f'the Motion Extraction Network needs at least '
                f'{max(self.receptive_field, 15)} frames, got {x.shape[2]} '
                '(input shape (B, 2K, T) = '
                f'{tuple(x.shape)}); pad the sequence or use denoise_joints')
        feature = self.global_feature(x)
        x = self.drop(self.lrelu(self.expand_ln(self.expand_conv(x))))
        for i, trim in enumerate(self.trims):
            residual = x[:, :, trim:x.shape[2] - trim]
            x = self.drop(self.lrelu(self.layers_ln[2 * i](
                self.layers_conv[2 * i](x), feature)))
            x = residual + self.drop(self.lrelu(self.layers_ln[2 * i + 1](
                self.layers_conv[2 * i + 1](x), feature)))
        return self.shrink(x)


@MODELS.register_module()
class MotionExtractionNet(nn.Module):
    """The Motion Extraction Network, architecture-exact to the official
    ``KPInput2DGenerator(structure_nc=17, channels=256, layers=4)``:
    1,834,786 parameters, the same state-dict keys (``kp_input.*``), so the
    released checkpoint loads with ``load_state_dict`` unchanged.

    Input: noisy COCO-17 joints in normalised screen coordinates
    (:func:`gfla_mm.utils.normalize_screen_coordinates`); output: clean
    Human3.6M-17 joints in the same coordinates, ``receptive_field - 1`` =
    80 frames fewer (the centre frames of each 81-frame window). For whole
    tracks of any length see :func:`denoise_joints`.

    Args:
        num_joints (int): K of input and output. Defaults to 17.
        channels (int): Defaults to 256.
        layers (int): Defaults to 4.
        dropout (float): Defaults to 0.15.
    """

    def __init__(self,
                 num_joints: int = 17,
                 channels: int = 256,
                 layers: int = 4,
                 dropout: float = 0.15) -> None:
        super().__init__()
        self.num_joints = num_joints
        self.kp_input = TemporalJointNet(num_joints, channels, layers,
                                         dropout)

    @property
    def receptive_field(self) -> int:
        """Input frames per output frame (81 for the official net)."""
        return self.kp_input.receptive_field

    def forward(self, joints: torch.Tensor) -> torch.Tensor:
        """
        Args:
            joints (Tensor): (B, T, K, 2) (x, y), normalised; T >=
                ``receptive_field``.

        Returns:
            Tensor: (B, T - receptive_field + 1, K, 2).
        """
        if joints.dim() != 4 or joints.shape[2:] != (self.num_joints, 2):
            raise ValueError(
                f'MotionExtractionNet expects joints of shape (B, T, '
                f'{self.num_joints}, 2), got {tuple(joints.shape)}')
        return channels_to_joints(self.kp_input(joints_to_channels(joints)))


__all__ = [
    'MotionExtractionNet', 'TemporalJointNet', 'joints_to_channels',
    'channels_to_joints'
]
