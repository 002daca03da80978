# Copyright (c) OpenMMLab. All rights reserved.
"""Perceptual (content) and style losses on precomputed VGG19 features."""
from typing import Dict, Mapping

import torch
import torch.nn.functional as F
from torch import nn

from gfla_mm.registry import MODELS

Features = Dict[str, torch.Tensor]


def gram_matrix(feat: torch.Tensor) -> torch.Tensor:
    """(B, C, H, W) -> (B, C, C) Gram matrix divided by C*H*W."""
    b, c, h, w = feat.shape
    flat = feat.reshape(b, c, h * w)
    return flat @ flat.transpose(1, 2) / (c * h * w)


@MODELS.register_module()
class GFLAPerceptualLoss(nn.Module):
    """Sum over layers of weight * L1(features(pred), features(target)).

    Args:
        layer_weights (dict): VGG19 layer -> weight. Defaults to GFLA's
            relu1_1 ... relu5_1, weight 1 each.
        loss_weight (float): Defaults to 0.5 (GFLA's lambda_content).
    """

    def __init__(self,
                 layer_weights: Mapping[str, float] = None,
                 loss_weight: float = 0.5) -> None:
        super().__init__()
        self.layer_weights = dict(layer_weights or {
            f'relu{i}_1': 1.0
            for i in range(1, 6)
        })
        self.loss_weight = loss_weight

    def forward(self, pred: Features, target: Features) -> torch.Tensor:
        loss = sum(w * F.l1_loss(pred[n], target[n].detach())
                   for n, w in self.layer_weights.items())
        return self.loss_weight * loss


@MODELS.register_module()
class GFLAStyleLoss(nn.Module):
    """Sum over layers of weight * L1(Gram(pred), Gram(target)).

    Args:
        layer_weights (dict): VGG19 layer -> weight. Defaults to GFLA's
            relu2_2, relu3_4, relu4_4, relu5_2, weight 1 each.
        loss_weight (float): Defaults to 500 (GFLA's lambda_style).
    """

    def __init__(self,
                 layer_weights: Mapping[str, float] = None,
                 loss_weight: float = 500.0) -> None:
        super().__init__()
        self.layer_weights = dict(layer_weights or {
            n: 1.0
            for n in ('relu2_2', 'relu3_4', 'relu4_4', 'relu5_2')
        })
        self.loss_weight = loss_weight

    def forward(self, pred: Features, target: Features) -> torch.Tensor:
        loss = sum(w * F.l1_loss(
            gram_matrix(pred[n]), gram_matrix(target[n].detach()))
                   for n, w in self.layer_weights.items())
        return self.loss_weight * loss


__all__ = ['GFLAPerceptualLoss', 'GFLAStyleLoss', 'gram_matrix']
