# Copyright (c) OpenMMLab. All rights reserved.
"""Sampling correctness loss (paper eq. 2-3; the official
``PerceptualCorrectness``)."""
import math
from typing import Dict, List, Optional, Sequence

import torch
import torch.nn.functional as F
from torch import nn

from gfla_mm.ops import gaussian_resample
from gfla_mm.registry import MODELS


def max_cosine_similarity(source: torch.Tensor,
                          target: torch.Tensor,
                          chunk: int = 1024) -> torch.Tensor:
    """mu_max(j) = max over all source positions i of cos(V_s(i), V_t(j)).

    Args:
        source (Tensor): (B, C, h, w) source features.
        target (Tensor): (B, C, h, w) target features.
        chunk (int): Target positions per block, bounding the (B, N, chunk)
            similarity block held at once.

    Returns:
        Tensor: (B, h, w).
    """
    b, c, h, w = target.shape
    src = F.normalize(source.reshape(b, c, -1), dim=1, eps=1e-8)
    tgt = F.normalize(target.reshape(b, c, -1), dim=1, eps=1e-8)
    best = [
        torch.bmm(src.transpose(1, 2), tgt[:, :, j:j + chunk]).amax(dim=1)
        for j in range(0, h * w, chunk)
    ]
    return torch.cat(best, dim=1).view(b, h, w)


@MODELS.register_module()
class SamplingCorrectnessLoss(nn.Module):
    """How well the flow samples target-like source features.

    For each (flow, VGG layer) pair: the source features are resampled at
    p + flow(p) with the Gaussian sampler (official Resample2d: K=4, d=1,
    sigma=2), mu(p) is their cosine similarity to the target features,
    mu_max(p) the best cosine similarity any source position reaches, and
    the loss is mean(exp(-mu / mu_max) - e^-1) (optionally mask-weighted),
    summed over the pairs.

    Args:
        layers (Sequence[str]): VGG19 layer per flow, coarse to fine.
            Defaults to ('relu4_1', 'relu3_1'): 1/8 and 1/4 of a 256 input.
        loss_weight (float): Defaults to 5 (end-to-end; 20 when
            pre-training the flow estimator).
        kernel_size, dilation, sigma: Gaussian sampler. Defaults 4, 1, 2.
    """

    def __init__(self,
                 layers: Sequence[str] = ('relu4_1', 'relu3_1'),
                 loss_weight: float = 5.0,
                 kernel_size: int = 4,
                 dilation: int = 1,
                 sigma: float = 2.0) -> None:
        super().__init__()
        self.layers = list(layers)
        self.loss_weight = loss_weight
        self.sampler = dict(
            kernel_size=kernel_size, dilation=dilation, sigma=sigma)

    def forward(self,
                flows: List[torch.Tensor],
                source_feats: Dict[str, torch.Tensor],
                target_feats: Dict[str, torch.Tensor],
                mask: Optional[torch.Tensor] = None) -> torch.Tensor:
        """
        Args:
            flows (list[Tensor]): (B, 2, h_i, w_i) flows, coarse to fine,
                one per entry of ``layers``.
            source_feats (dict): VGG19 features of the source image.
            target_feats (dict): VGG19 features of the target image.
            mask (Tensor, optional): (B, 1, H, W) weights of target pixels
                (resized to each layer).

        Returns:
            Tensor: scalar loss.
        """
        if len(flows) != len(self.layers):
            raise ValueError(f'{len(flows)} flows for {len(self.layers)} '
                             f'layers {self.layers}')
        total = flows[0].new_zeros(())
        for flow, name in zip(flows, self.layers):
            src = source_feats[name].detach()
            tgt = target_feats[name].detach()
            h, w = tgt.shape[2:]
            if flow.shape[2:] != (h, w):
                # Nearest resize of the field, values kept (official).
                flow = F.interpolate(flow, size=(h, w), mode='nearest')
            with torch.no_grad():
                mu_max = max_cosine_similarity(src, tgt)
            warped = gaussian_resample(src, flow, **self.sampler)
            mu = F.cosine_similarity(warped, tgt, dim=1, eps=1e-8)
            term = torch.exp(-mu / (mu_max + 1e-8)) - math.exp(-1)
            if mask is None:
                total = total + term.mean()
            else:
                m = F.interpolate(mask, size=(h, w), mode='nearest')[:, 0]
                total = total + (term * m).sum() / m.sum().clamp_min(1e-8)
        return self.loss_weight * total


__all__ = ['SamplingCorrectnessLoss', 'max_cosine_similarity']
