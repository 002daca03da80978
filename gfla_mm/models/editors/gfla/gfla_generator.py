# Copyright (c) OpenMMLab. All rights reserved.
"""GFLA generator: source encoder, flow estimator and the Local Neural
Texture Renderer (paper §III; the official PoseGenerator)."""
from typing import Dict, List, Sequence, Tuple

import torch
from mmengine.model import BaseModule
from torch import nn

from gfla_mm.registry import MODELS

from ...layers import BilinearWarp, GlobalAttention, LocalAttention
from .flow_estimator import GFLAFlowEstimator
from .gfla_modules import (
    EncoderBlock,
    OutputBlock,
    ResBlockDecoder,
    ResBlocks,
    init_orthogonal,
)

FEATURE_TRANSFORMS = ('local_attention', 'bilinear', 'global_attention')


class GFLASourceEncoder(nn.Module):
    """EncoderBlocks of the source image: features at 1/2 ... 1/2**layers,
    returned finest last reversed, i.e. [1/2**layers, ..., 1/2].

    ``norm=False`` builds the blocks without InstanceNorm (see
    ``source_norm`` of :class:`GFLAGenerator`)."""

    def __init__(self,
                 in_channels: int,
                 base_channels: int,
                 max_channels: int,
                 layers: int,
                 norm: bool = True) -> None:
        super().__init__()
        self.layers = layers
        self.block0 = EncoderBlock(in_channels, base_channels, norm)
        for i in range(layers - 1):
            setattr(self, f'encoder{i}',
                    EncoderBlock(min(base_channels * 2**i, max_channels),
                                 min(base_channels * 2**(i + 1),
                                     max_channels), norm))

    def forward(self, x: torch.Tensor) -> List[torch.Tensor]:
        out = self.block0(x)
        feats = [out]
        for i in range(self.layers - 1):
            out = getattr(self, f'encoder{i}')(out)
            feats.append(out)
        return feats[::-1]


def build_feature_transform(kind: str,
                            channels: int,
                            kernel_size: int,
                            tap_reduction: str = 'mean') -> nn.Module:
    """The block that brings source features to the target at one level
    (``tap_reduction``: see :class:`LocalAttention`)."""
    if kind == 'local_attention':
        return LocalAttention(
            channels, kernel_size, tap_reduction=tap_reduction)
    if kind == 'bilinear':
        return BilinearWarp()
    if kind == 'global_attention':
        return GlobalAttention(channels)
    raise ValueError(f'feature_transform must be one of '
                     f'{FEATURE_TRANSFORMS}, got {kind!r}')


class GFLATargetRenderer(nn.Module):
    """Local Neural Texture Renderer: encodes the target pose, then decodes,
    injecting the transformed source features where ``layers - i`` is an
    attended level: ``f = f*(1-m) + attn*m`` (flow-based transforms) or
    ``f = attn`` (global attention, which has no flow and no mask).
    ``encoder_norm=False`` drops the InstanceNorms of its encoder (the
    Baseline, whose encoder sees the source image).

    ``branches`` names one feature transform per source at each attended
    level: ``('',)`` gives the image model's ``attn{i}``; the animation
    model's ``('_p', '_r')`` (previous frame, reference) gives
    ``attn_p{i}``/``attn_r{i}``, fused as the sum over sources of
    ``f*(1-m_s) + attn_s*m_s`` (paper eq. 19-20, official FaceTargetNet)."""

    def __init__(self,
                 pose_channels: int,
                 image_channels: int,
                 base_channels: int,
                 max_channels: int,
                 layers: int,
                 num_blocks: int,
                 attn_kernel_sizes: Dict[int, int],
                 feature_transform: str = 'local_attention',
                 encoder_norm: bool = True,
                 attn_tap_reduction: str = 'mean',
                 branches: Sequence[str] = ('', )) -> None:
        super().__init__()
        if not branches or len(set(branches)) != len(branches):
            raise ValueError(f'branches must be distinct names, got '
                             f'{branches!r}')
        self.layers = layers
        self.branches = tuple(branches)
        self.attn_levels = sorted(attn_kernel_sizes)
        self.uses_flow = feature_transform != 'global_attention'

        def width(level):
            return min(base_channels * 2**level, max_channels)

        self.block0 = EncoderBlock(pose_channels, base_channels, encoder_norm)
        for i in range(layers - 1):
            setattr(self, f'encoder{i}',
                    EncoderBlock(width(i), width(i + 1), encoder_norm))
        for i in range(layers):
            level = layers - i
            c_in, c_out = width(level - 1), width(max(level - 2, 0))
            if level in attn_kernel_sizes:
                for branch in self.branches:
                    setattr(
                        self, f'attn{branch}{i}',
                        build_feature_transform(feature_transform, c_in,
                                                attn_kernel_sizes[level],
                                                attn_tap_reduction))
            setattr(self, f'decoder{i}',
                    nn.Sequential(
                        ResBlocks(num_blocks - 1, c_in),
                        ResBlockDecoder(c_in, c_out, c_in)))
        self.outconv = OutputBlock(base_channels, image_channels)

    def forward(self, target_pose: torch.Tensor,
                source_feats: List[torch.Tensor], flows: List[torch.Tensor],
                masks: List[torch.Tensor]) -> torch.Tensor:
        """One source (``branches=('',)``): see :meth:`render`."""
        return self.render(target_pose, [(source_feats, flows, masks)])

    def render(self, target_pose: torch.Tensor,
               sources: Sequence[Tuple[List[torch.Tensor], List[torch.Tensor],
                                       List[torch.Tensor]]]
               ) -> torch.Tensor:
        """
        Args:
            target_pose (Tensor): (B, C_pose, H, W).
            sources (sequence): Per branch, in ``branches`` order: the
                source features (coarse first, as
                :class:`GFLASourceEncoder` returns them), the flows and the
                masks (coarse to fine, one per attended level; empty
                lists for global attention).

        Returns:
            Tensor: (B, 3, H, W) image in [-1, 1].
        """
        if len(sources) != len(self.branches):
            raise ValueError(f"{len(sources)} sources for the renderer's "
                             f'{len(self.branches)} branches '
                             f'{self.branches}')
        out = self.block0(target_pose)
        for i in range(self.layers - 1):
            out = getattr(self, f'encoder{i}')(out)
        k = 0
        for i in range(self.layers):
            if hasattr(self, f'attn{self.branches[0]}{i}'):
                fused = None
                for branch, (feats, flows, masks) in zip(
                        self.branches, sources):
                    transform = getattr(self, f'attn{branch}{i}')
                    if self.uses_flow:
                        attn = transform(feats[i], out, flows[k])
                        term = out * (1 - masks[k]) + attn * masks[k]
                    else:
                        term = transform(feats[i], out)
                    fused = term if fused is None else fused + term
                out = fused
                k += 1
            out = getattr(self, f'decoder{i}')(out)
        return self.outconv(out)


@MODELS.register_module()
class GFLAGenerator(BaseModule):
    """The GFLA pose-transfer generator.

    Submodules keep the official names (``source``, ``target``,
    ``flow_net``), so official checkpoints load key for key.

    Args:
        image_channels (int): Defaults to 3.
        pose_channels (int): Defaults to 18 (OpenPose-18 maps).
        base_channels (int): ngf of source/target nets. Defaults to 64.
        max_channels (int): img_f. Defaults to 512.
        layers (int): Encoder/decoder depth. Defaults to 3.
        num_blocks (int): Residual blocks per decoder stage (one is the
            up-sampling block). Defaults to 2.
        attn_kernel_sizes (dict): Attended level -> local attention kernel
            size; level 3 = 1/8, 2 = 1/4 of the input. Defaults to
            DeepFashion's {3: 3, 2: 5}; Market-1501 uses {2: 3}.
        flow_cfg (dict, optional): Overrides for :class:`GFLAFlowEstimator`
            (its ``attn_layers`` follow ``attn_kernel_sizes``).
        feature_transform (str): How source features reach the target:
            ``'local_attention'`` (GFLA), ``'bilinear'`` (the Bi-Sample
            ablation) or ``'global_attention'`` (Global-Attn: dense
            attention, no flow estimator). Defaults to 'local_attention'.
        source_norm (bool): InstanceNorm in the source encoder (official:
            True). With it the generator's output is exactly invariant to
            any per-channel affine recolouring ``a * source + b`` (a > 0)
            of the source, because the first layer normalises the image:
            absolute colours are inferred from dataset priors (DeepFashion's
            white backgrounds), never read. False lets the source encoder
            see colours; the synthetic demo (random backgrounds and
            colours) needs it. Defaults to True.
        attn_tap_reduction (str): ``'mean'`` (official) or ``'sum'`` of
            the local attention's k*k taps (:class:`LocalAttention`).
            Defaults to 'mean'.
        init_gain (float): Orthogonal init gain. Defaults to 0.02.
    """

    def __init__(self,
                 image_channels: int = 3,
                 pose_channels: int = 18,
                 base_channels: int = 64,
                 max_channels: int = 512,
                 layers: int = 3,
                 num_blocks: int = 2,
                 attn_kernel_sizes: Dict[int, int] = None,
                 flow_cfg: dict = None,
                 feature_transform: str = 'local_attention',
                 source_norm: bool = True,
                 attn_tap_reduction: str = 'mean',
                 init_gain: float = 0.02,
                 init_cfg=None) -> None:
        super().__init__(init_cfg=init_cfg)
        if feature_transform not in FEATURE_TRANSFORMS:
            raise ValueError(
                f'feature_transform must be one of {FEATURE_TRANSFORMS}, '
                f'got {feature_transform!r}')
        kernel_sizes = {
            int(k): int(v)
            for k, v in (attn_kernel_sizes or {3: 3, 2: 5}).items()
        }
        self.init_gain = init_gain
        self.source = GFLASourceEncoder(image_channels, base_channels,
                                        max_channels, layers, source_norm)
        self.target = GFLATargetRenderer(pose_channels, image_channels,
                                         base_channels, max_channels, layers,
                                         num_blocks, kernel_sizes,
                                         feature_transform,
                                         attn_tap_reduction=attn_tap_reduction)
        self.flow_net = None
        if self.target.uses_flow:
            flow_args = dict(
                image_channels=image_channels,
                pose_channels=pose_channels,
                attn_layers=sorted(kernel_sizes))
            flow_args.update(flow_cfg or {})
            self.flow_net = GFLAFlowEstimator(**flow_args)

    def init_weights(self) -> None:
        super().init_weights()
        init_orthogonal(self, self.init_gain)

    def forward(self, source: torch.Tensor, source_pose: torch.Tensor,
                target_pose: torch.Tensor
                ) -> Tuple[torch.Tensor, List[torch.Tensor],
                           List[torch.Tensor]]:
        """
        Args:
            source (Tensor): (B, 3, H, W) in [-1, 1].
            source_pose (Tensor): (B, 18, H, W) pose maps.
            target_pose (Tensor): (B, 18, H, W) pose maps.

        Returns:
            tuple: the (B, 3, H, W) image in [-1, 1], and the flows and
            masks of the flow estimator, coarse to fine (empty lists
            without a flow estimator).
        """
        flows, masks = [], []
        if self.flow_net is not None:
            flows, masks = self.flow_net(source, source_pose, target_pose)
        image = self.target(target_pose, self.source(source), flows, masks)
        return image, flows, masks


@MODELS.register_module()
class GFLABaselineGenerator(BaseModule):
    """The Baseline of paper Table II: an auto-encoder on the concatenated
    (source image, source pose, target pose), no attention, no flow.

    It is the renderer of :class:`GFLAGenerator` without attended levels,
    fed 3 + 2 * 18 channels. Args as :class:`GFLAGenerator`;
    ``source_norm`` applies to its encoder, which sees the source.
    """

    def __init__(self,
                 image_channels: int = 3,
                 pose_channels: int = 18,
                 base_channels: int = 64,
                 max_channels: int = 512,
                 layers: int = 3,
                 num_blocks: int = 2,
                 source_norm: bool = True,
                 init_gain: float = 0.02,
                 init_cfg=None) -> None:
        super().__init__(init_cfg=init_cfg)
        self.init_gain = init_gain
        self.target = GFLATargetRenderer(image_channels + 2 * pose_channels,
                                         image_channels, base_channels,
                                         max_channels, layers, num_blocks, {},
                                         encoder_norm=source_norm)

    def init_weights(self) -> None:
        super().init_weights()
        init_orthogonal(self, self.init_gain)

    def forward(self, source: torch.Tensor, source_pose: torch.Tensor,
                target_pose: torch.Tensor
                ) -> Tuple[torch.Tensor, List[torch.Tensor],
                           List[torch.Tensor]]:
        """Same interface as :meth:`GFLAGenerator.forward`; no flows."""
        inputs = torch.cat([source, source_pose, target_pose], 1)
        return self.target(inputs, [], [], []), [], []


__all__ = [
    'GFLAGenerator', 'GFLABaselineGenerator', 'GFLASourceEncoder',
    'GFLATargetRenderer', 'FEATURE_TRANSFORMS', 'build_feature_transform'
]
