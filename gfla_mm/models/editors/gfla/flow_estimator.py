# Copyright (c) OpenMMLab. All rights reserved.
"""Global Flow Field Estimator (paper §III-A; the official PoseFlowNet)."""
from typing import List, Sequence, Tuple

import torch
import torch.nn.functional as F
from mmengine.model import BaseModule
from torch import nn

from gfla_mm.registry import MODELS

from .gfla_modules import EncoderBlock, Jump, ResBlockDecoder, init_orthogonal


@MODELS.register_module()
class GFLAFlowEstimator(BaseModule):
    """Flow fields and occlusion masks from (source image, source pose,
    target pose).

    A U-Net: ``encoder_layers`` EncoderBlocks down to 1/2**encoder_layers,
    then ResBlockDecoders with Jump skips. At every decoder scale whose
    level (encoder_layers - i - 1) is in ``attn_layers`` it emits a flow
    (conv3x3 -> 2) and a mask (conv3x3 -> 1, sigmoid). With the defaults
    (DeepFashion) that is 1/8 and 1/4 of the input.

    Args:
        image_channels (int): Defaults to 3.
        pose_channels (int): Channels of one pose map. Defaults to 18.
        base_channels (int): ngf. Defaults to 32.
        max_channels (int): img_f. Defaults to 256.
        encoder_layers (int): Defaults to 5.
        attn_layers (Sequence[int]): Levels with outputs: 3 = 1/8,
            2 = 1/4. Defaults to (2, 3).
    """

    def __init__(self,
                 image_channels: int = 3,
                 pose_channels: int = 18,
                 base_channels: int = 32,
                 max_channels: int = 256,
                 encoder_layers: int = 5,
                 attn_layers: Sequence[int] = (2, 3),
                 init_cfg=None) -> None:
        super().__init__(init_cfg=init_cfg)
        self.encoder_layers = encoder_layers
        self.attn_layers = sorted(attn_layers)
        self.decoder_layers = encoder_layers - min(attn_layers)

        def width(level):
            return min(base_channels * 2**level, max_channels)

        self.block0 = EncoderBlock(image_channels + 2 * pose_channels,
                                   base_channels)
        for i in range(encoder_layers - 1):
            setattr(self, f'encoder{i}', EncoderBlock(width(i),
                                                      width(i + 1)))
        for i in range(self.decoder_layers):
            level = encoder_layers - i - 1
            c_in, c_out = width(level), width(level - 1)
            setattr(self, f'decoder{i}',
                    ResBlockDecoder(c_in, c_out, c_out))
            setattr(self, f'jump{i}', Jump(c_out))
            if level in self.attn_layers:
                setattr(self, f'output{i}', nn.Conv2d(c_out, 2, 3,
                                                      padding=1))
                setattr(self, f'mask{i}',
                        nn.Sequential(
                            nn.Conv2d(c_out, 1, 3, padding=1), nn.Sigmoid()))

    def init_weights(self) -> None:
        super().init_weights()
        init_orthogonal(self)

    def forward(self, source: torch.Tensor, source_pose: torch.Tensor,
                target_pose: torch.Tensor
                ) -> Tuple[List[torch.Tensor], List[torch.Tensor]]:
        """
        Args:
            source (Tensor): (B, 3, H, W) source image in [-1, 1].
            source_pose (Tensor): (B, 18, H, W) source pose maps.
            target_pose (Tensor): (B, 18, H, W) target pose maps.

        Returns:
            tuple: ``flows`` and ``masks``, coarse to fine. Flow i is
            (B, 2, h_i, w_i) in pixels of its own resolution (channel 0 =
            dx): target pixel p samples the source at p + flow(p). Mask i
            is (B, 1, h_i, w_i) in (0, 1); h_i = ceil(H / 2**level).
        """
        x = torch.cat([source, source_pose, target_pose], 1)
        h, w = x.shape[2:]
        # Sizes that are not multiples of 2**encoder_layers (e.g. 256x176)
        # are zero-padded right/bottom, and the outputs cropped back, so
        # that the skips line up; the coordinates of the kept pixels and the
        # result on multiples of 2**encoder_layers do not change.
        m = 2**self.encoder_layers
        x = F.pad(x, (0, (-w) % m, 0, (-h) % m))
        out = self.block0(x)
        skips = [out]
        for i in range(self.encoder_layers - 1):
            out = getattr(self, f'encoder{i}')(out)
            skips.append(out)
        flows, masks = [], []
        for i in range(self.decoder_layers):
            out = getattr(self, f'decoder{i}')(out)
            out = out + getattr(self, f'jump{i}')(
                skips[self.encoder_layers - i - 2])
            if hasattr(self, f'output{i}'):
                scale = 2**(self.encoder_layers - i - 1)
                crop = (slice(None), slice(None), slice(0, -(-h // scale)),
                        slice(0, -(-w // scale)))
                flows.append(getattr(self, f'output{i}')(out)[crop])
                masks.append(getattr(self, f'mask{i}')(out)[crop])
        return flows, masks
