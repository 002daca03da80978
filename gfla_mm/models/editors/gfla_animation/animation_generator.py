# Copyright (c) OpenMMLab. All rights reserved.
"""The sequential GFLA generator for person image animation (paper §IV-B,
eq. 19-20; the official DanceGenerator)."""
from typing import Dict, List, NamedTuple, Optional, Tuple

import torch
from mmengine.model import BaseModule

from gfla_mm.registry import MODELS

from ..gfla.flow_estimator import GFLAFlowEstimator
from ..gfla.gfla_generator import GFLASourceEncoder, GFLATargetRenderer
from ..gfla.gfla_modules import init_orthogonal

BRANCHES = ('_p', '_r')  # previous frame, reference image


class AnimationOutput(NamedTuple):
    """What :meth:`GFLAAnimationGenerator.forward` returns for T frames.

    Attributes:
        images (Tensor): (B, T, 3, H, W) generated frames in [-1, 1].
        previous_flows, reference_flows (list[Tensor]): Per attended level,
            coarse to fine, (B, T, 2, h, w) flows in pixels of their grid
            (channel 0 = dx) from the previous frame / the reference to
            each generated frame.
        previous_masks, reference_masks (list[Tensor]): The same levels,
            (B, T, 1, h, w) occlusion masks in (0, 1).
        previous_images (Tensor): (B, T, 3, H, W) the "previous" frame each
            frame was generated from (the reference for the very first).
    """
    images: torch.Tensor
    previous_flows: List[torch.Tensor]
    reference_flows: List[torch.Tensor]
    previous_masks: List[torch.Tensor]
    reference_masks: List[torch.Tensor]
    previous_images: torch.Tensor


@MODELS.register_module()
class GFLAAnimationGenerator(BaseModule):
    """Generates a video from a reference image and a skeleton sequence,
    one frame at a time: frame t is rendered from two sources, the
    previously generated frame and the reference, each with its own source
    encoder and flow estimator, fused by the renderer's two local
    attentions per attended level.

    Submodules keep the official names (``source_previous``,
    ``source_reference``, ``target`` with ``attn_p{i}``/``attn_r{i}``,
    ``flow_net_previous``, ``flow_net_reference``) so official ``dance``
    checkpoints load key for key; the blocks are the image model's. With
    the defaults it has 23,510,195 parameters, as the official.

    Args:
        image_channels (int): Defaults to 3.
        structure_channels (int): Channels of one frame's structure: 17
            heatmaps + the 3-channel bone image. Defaults to 20.
        base_channels (int): ngf of the source encoders and renderer.
            Defaults to 64.
        max_channels (int): img_f. Defaults to 512.
        layers (int): Encoder/decoder depth. Defaults to 3.
        num_blocks (int): Residual blocks per decoder stage. Defaults to 2.
        attn_kernel_sizes (dict): Attended level -> local attention kernel
            size. Defaults to the official {3: 3, 2: 5}.
        flow_cfg (dict, optional): Overrides for both
            :class:`GFLAFlowEstimator` (official: base 32, max 256,
            5 encoder layers).
        source_norm (bool): InstanceNorm in the source encoders (official:
            True; see :class:`~gfla_mm.models.GFLAGenerator`).
        attn_tap_reduction (str): ``'mean'`` (official) or ``'sum'``.
        init_gain (float): Orthogonal init gain. Defaults to 0.02.
    """

    def __init__(self,
                 image_channels: int = 3,
                 structure_channels: int = 20,
                 base_channels: int = 64,
                 max_channels: int = 512,
                 layers: int = 3,
                 num_blocks: int = 2,
                 attn_kernel_sizes: Optional[Dict[int, int]] = None,
                 flow_cfg: Optional[dict] = None,
                 source_norm: bool = True,
                 attn_tap_reduction: str = 'mean',
                 init_gain: float = 0.02,
                 init_cfg: Optional[dict] = None) -> None:
        super().__init__(init_cfg=init_cfg)
        kernel_sizes = {
            int(k): int(v)
            for k, v in (attn_kernel_sizes or {3: 3, 2: 5}).items()
        }
        self.init_gain = init_gain
        self.structure_channels = structure_channels
        for name in ('source_previous', 'source_reference'):
            setattr(self, name,
                    GFLASourceEncoder(image_channels, base_channels,
                                      max_channels, layers, source_norm))
        self.target = GFLATargetRenderer(
            structure_channels,
            image_channels,
            base_channels,
            max_channels,
            layers,
            num_blocks,
            kernel_sizes,
            attn_tap_reduction=attn_tap_reduction,
            branches=BRANCHES)
        flow_args = dict(
            image_channels=image_channels,
            pose_channels=structure_channels,
            attn_layers=sorted(kernel_sizes))
        flow_args.update(flow_cfg or {})
        self.flow_net_previous = GFLAFlowEstimator(**flow_args)
        self.flow_net_reference = GFLAFlowEstimator(**flow_args)

    def init_weights(self) -> None:
        super().init_weights()
        init_orthogonal(self, self.init_gain)

    def step(self, structure: torch.Tensor,
             reference_feats: List[torch.Tensor], reference: torch.Tensor,
             reference_structure: torch.Tensor,
             previous: torch.Tensor, previous_structure: torch.Tensor
             ) -> Tuple[torch.Tensor, Tuple[List[torch.Tensor], ...]]:
        """One frame.

        Args:
            structure (Tensor): (B, 20, H, W) the frame's structure.
            reference_feats (list[Tensor]): ``source_reference(reference)``
                (the same for every frame, so computed once per call).
            reference, previous (Tensor): (B, 3, H, W) images in [-1, 1].
            reference_structure, previous_structure (Tensor): Their
                (B, 20, H, W) structures.

        Returns:
            tuple: the (B, 3, H, W) frame and (flows_p, flows_r, masks_p,
            masks_r), each a list over attended levels, coarse to fine.
        """
        flows_p, masks_p = self.flow_net_previous(previous,
                                                  previous_structure,
                                                  structure)
        flows_r, masks_r = self.flow_net_reference(reference,
                                                   reference_structure,
                                                   structure)
        image = self.target.render(structure, [
            (self.source_previous(previous), flows_p, masks_p),
            (reference_feats, flows_r, masks_r),
        ])
        return image, (flows_p, flows_r, masks_p, masks_r)

    def forward(self,
                structures: torch.Tensor,
                reference: torch.Tensor,
                reference_structure: torch.Tensor,
                previous: Optional[torch.Tensor] = None,
                previous_structure: Optional[torch.Tensor] = None
                ) -> AnimationOutput:
        """Generates T frames recurrently (gradients flow through the
        previous frames within the call; detach ``previous`` between calls
        for truncated back-propagation through time).

        Args:
            structures (Tensor): (B, T, 20, H, W) structures of the frames
                (heatmaps in [0, 1], bone channels in 0..255).
            reference (Tensor): (B, 3, H, W) reference image in [-1, 1].
            reference_structure (Tensor): (B, 20, H, W) its structure.
            previous (Tensor, optional): (B, 3, H, W) the frame before the
                first one; None (the start of a video) uses the reference,
                as the official.
            previous_structure (Tensor, optional): Its (B, 20, H, W)
                structure; None uses ``reference_structure``.

        Returns:
            AnimationOutput: frames, flows, masks (stacked over T).
        """
        if structures.ndim != 5 or structures.shape[2] != \
                self.structure_channels:
            raise ValueError(
                'structures must be (B, T, '
                f'{self.structure_channels}, H, W), got '
                f'{tuple(structures.shape)}')
        if (previous is None) != (previous_structure is None):
            raise ValueError('give previous and previous_structure '
                             'together (or neither, at a video start)')
        if previous is None:
            previous, previous_structure = reference, reference_structure
        reference_feats = self.source_reference(reference)
        images, used, per_frame = [], [], []
        for t in range(structures.shape[1]):
            structure = structures[:, t]
            used.append(previous)
            image, fields = self.step(structure, reference_feats, reference,
                                      reference_structure, previous,
                                      previous_structure)
            images.append(image)
            per_frame.append(fields)
            previous, previous_structure = image, structure

        def stack(j):
            return [
                torch.stack([f[j][k] for f in per_frame], 1)
                for k in range(len(per_frame[0][j]))
            ]

        return AnimationOutput(
            torch.stack(images, 1), stack(0), stack(1), stack(2), stack(3),
            torch.stack(used, 1))


__all__ = ['GFLAAnimationGenerator', 'AnimationOutput', 'BRANCHES']
