# Copyright (c) OpenMMLab. All rights reserved.
"""The VGG19-based and flow losses that GFLA's two training stages share,
computed from one VGG19 pass per image."""
from typing import Dict, List, Optional, Sequence

import torch
from torch import nn

from gfla_mm.registry import MODELS

Features = Dict[str, torch.Tensor]


class SharedVGGLossesMixin:
    """Builds the frozen VGG19 once, with exactly the layers that the
    configured losses read, and evaluates the losses from its features.

    Subclasses call :meth:`_build_feature_losses` in ``__init__``.
    """

    def _build_feature_losses(self,
                              vgg: Optional[dict] = None,
                              perceptual_loss: Optional[dict] = None,
                              style_loss: Optional[dict] = None,
                              correctness_loss: Optional[dict] = None,
                              regularization_loss: Optional[dict] = None,
                              flow_supervision_loss: Optional[dict] = None,
                              flow_levels: Sequence[int] = ()) -> None:
        """Builds the losses and the VGG19 they read.

        ``flow_levels`` are the flow estimator's levels (empty without one):
        L_c takes one VGG layer and L_r one kernel size per flow, coarse to
        fine, so a config whose lists do not match fails here, at build,
        naming the keys (not at the first training step).
        """

        def build(cfg):
            return MODELS.build(cfg) if cfg else None

        self.perceptual_loss = build(perceptual_loss)
        self.style_loss = build(style_loss)
        self.correctness_loss = build(correctness_loss)
        self.regularization_loss = build(regularization_loss)
        self.flow_supervision_loss = build(flow_supervision_loss)
        self._check_per_flow_lists(list(flow_levels))
        layers = set()
        for loss in (self.perceptual_loss, self.style_loss):
            if loss is not None:
                layers.update(loss.layer_weights)
        if self.correctness_loss is not None:
            layers.update(self.correctness_loss.layers)
        self.vgg: Optional[nn.Module] = None
        if layers:
            vgg = dict(vgg or dict(type='GFLAVGG19Features'))
            self.vgg = MODELS.build(dict(vgg, layers=sorted(layers)))

    def _check_per_flow_lists(self, levels: List[int]) -> None:
        if not levels:
            return
        for key, loss, attr in (('correctness_loss', self.correctness_loss,
                                 'layers'),
                                ('regularization_loss',
                                 self.regularization_loss, 'kernel_sizes')):
            values = getattr(loss, attr, None)
            if values is not None and len(values) != len(levels):
                raise ValueError(
                    f'model.{key}.{attr} = {tuple(values)} has '
                    f'{len(values)} entries, but the flow estimator predicts '
                    f'{len(levels)} flow(s), at levels {levels} (1/2^level '
                    'of the image): give one per flow, coarse to fine')

    def _reference_features(self, source: torch.Tensor,
                            target: torch.Tensor) -> Optional[tuple]:
        """VGG19 features of the source and target images, no gradient:
        one batched pass. Returns None without a VGG."""
        if self.vgg is None:
            return None
        with torch.no_grad():
            feats = self.vgg(torch.cat([source, target]))
        b = source.shape[0]
        return ({k: v[:b]
                 for k, v in feats.items()}, {k: v[b:]
                                              for k, v in feats.items()})

    def _flow_losses(self,
                     flows: List[torch.Tensor],
                     source_feats: Optional[Features],
                     target_feats: Optional[Features],
                     gt_flow: Optional[torch.Tensor] = None) -> dict:
        """Sampling correctness and affine regularisation of the flows, and
        their supervision where the true flow is known (none without flows,
        e.g. the Baseline / Global-Attn ablations)."""
        losses = {}
        if not flows:
            return losses
        if self.correctness_loss is not None:
            losses['loss_correctness'] = self.correctness_loss(
                flows, source_feats, target_feats)
        if self.regularization_loss is not None:
            losses['loss_regularization'] = self.regularization_loss(flows)
        if self.flow_supervision_loss is not None:
            losses['loss_flow'] = self.flow_supervision_loss(flows, gt_flow)
        return losses

    def _image_feature_losses(self, fake: torch.Tensor,
                              target_feats: Optional[Features]) -> dict:
        """Perceptual and style losses of the generated image."""
        losses = {}
        if self.perceptual_loss is None and self.style_loss is None:
            return losses
        fake_feats = self.vgg(fake)
        if self.perceptual_loss is not None:
            losses['loss_perceptual'] = self.perceptual_loss(
                fake_feats, target_feats)
        if self.style_loss is not None:
            losses['loss_style'] = self.style_loss(fake_feats, target_feats)
        return losses


__all__ = ['SharedVGGLossesMixin']
