# Copyright (c) OpenMMLab. All rights reserved.
"""Affine regularisation loss (paper eq. 4-6; the official
``MultiAffineRegularizationLoss``)."""
from typing import List, Sequence

import torch
import torch.nn.functional as F
from torch import nn

from gfla_mm.registry import MODELS


def affine_residual_kernel(kernel_size: int) -> torch.Tensor:
    """Rows of I - P, P = A A^+ the projection onto affine functions of the
    kz x kz patch coordinates (A = [row, col, 1]): (kz*kz, 1, kz, kz)
    filters whose responses are the least-squares affine-fit residuals."""
    k = kernel_size
    rows, cols = torch.meshgrid(
        torch.arange(k, dtype=torch.float64),
        torch.arange(k, dtype=torch.float64),
        indexing='ij')
    a = torch.stack([rows.flatten(), cols.flatten(), torch.ones(k * k)], 1)
    # pinv: exact for k >= 2, and still defined (no NaN) for k = 1.
    residual = torch.eye(k * k, dtype=torch.float64) - a @ torch.linalg.pinv(a)
    return residual.view(k * k, 1, k, k)


@MODELS.register_module()
class AffineRegularizationLoss(nn.Module):
    """Penalises sampling coordinates that are not locally affine.

    For a flow w (pixels), the sampling coordinates g = p + w(p) of every
    kz x kz patch are fitted with an affine function by least squares; the
    loss is the mean (over patches, x and y, batch) of the squared
    residual norm, summed over scales. It is 0 for any affine flow.

    Args:
        kernel_sizes (Sequence[int]): kz per flow, coarse to fine. Defaults
            to (3, 5): 1/8 and 1/4 of DeepFashion.
        loss_weight (float): Defaults to 0.0025 (end-to-end; 0.01 when
            pre-training the flow estimator).
    """

    def __init__(self,
                 kernel_sizes: Sequence[int] = (3, 5),
                 loss_weight: float = 0.0025) -> None:
        super().__init__()
        self.kernel_sizes = list(kernel_sizes)
        self.loss_weight = loss_weight
        for k in self.kernel_sizes:
            self.register_buffer(f'kernel{k}', affine_residual_kernel(k),
                                 persistent=False)

    def forward(self, flows: List[torch.Tensor]) -> torch.Tensor:
        """
        Args:
            flows (list[Tensor]): (B, 2, h_i, w_i) flows in pixels, coarse to
                fine, one per kernel size.

        Returns:
            Tensor: scalar loss.
        """
        if len(flows) != len(self.kernel_sizes):
            raise ValueError(f'{len(flows)} flows for kernel sizes '
                             f'{self.kernel_sizes}')
        total = flows[0].new_zeros(())
        for flow, k in zip(flows, self.kernel_sizes):
            b, _, h, w = flow.shape
            ys, xs = torch.meshgrid(
                torch.arange(h, device=flow.device, dtype=flow.dtype),
                torch.arange(w, device=flow.device, dtype=flow.dtype),
                indexing='ij')
            coords = flow + torch.stack([xs, ys])  # absolute, in pixels
            kernel = getattr(self, f'kernel{k}').to(flow.dtype)
            residual = F.conv2d(coords.reshape(b * 2, 1, h, w), kernel)
            total = total + residual.pow(2).sum(dim=1).mean()
        return self.loss_weight * total


__all__ = ['AffineRegularizationLoss', 'affine_residual_kernel']
