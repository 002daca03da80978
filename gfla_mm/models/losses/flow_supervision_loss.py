# Copyright (c) OpenMMLab. All rights reserved.
"""Supervision of the flows by a known ground-truth flow (the synthetic
set's renderer correspondences): the offline demo's stand-in for the
sampling-correctness loss, which needs ImageNet VGG19 features."""
from typing import List, Optional, Tuple

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from gfla_mm.registry import MODELS


def downsample_flow(flow: Tensor, size: Tuple[int, int],
                    min_valid: float = 0.5) -> Tuple[Tensor, Tensor]:
    """A dense flow brought to a coarser grid, values rescaled to it.

    Each cell of the coarse grid averages the defined (non-NaN) fine flow
    vectors it covers (area pooling) and is defined when at least
    ``min_valid`` of them are. Values are scaled by the grid ratio per
    axis: with pixel centres on both grids, a displacement of d fine pixels
    is d * w / W coarse pixels.

    Args:
        flow (Tensor): (2, H, W) or (B, 2, H, W) in pixels of its grid,
            channel 0 = x, NaN where undefined.
        size (tuple): (h, w) of the target grid.
        min_valid (float): Fraction of defined fine pixels a cell needs.

    Returns:
        tuple: the (B, 2, h, w) flow (0 where undefined) and the (B, h, w)
        bool mask of defined cells (B = 1 for an unbatched input).
    """
    if flow.ndim == 3:
        flow = flow[None]
    if flow.ndim != 4 or flow.shape[1] != 2:
        raise ValueError('expected a (2, H, W) or (B, 2, H, W) flow, got '
                         f'{tuple(flow.shape)}')
    flow = flow.float()
    defined = torch.isfinite(flow).all(dim=1, keepdim=True).float()
    values = torch.where(defined.bool(), flow, torch.zeros_like(flow))
    total = F.adaptive_avg_pool2d(values, size)
    share = F.adaptive_avg_pool2d(defined, size)
    mean = total / share.clamp_min(1e-6)
    h, w = size
    scale = mean.new_tensor([w / flow.shape[3], h / flow.shape[2]])
    valid = share[:, 0] >= min_valid
    mean = mean * scale.view(1, 2, 1, 1) * valid[:, None]
    return mean, valid


@MODELS.register_module()
class FlowSupervisionLoss(nn.Module):
    """Mean end-point error of each flow against the ground truth, on the
    cells where the ground truth is defined, summed over the flows.

    Not in the paper (GFLA learns its flows without labels, through
    :class:`SamplingCorrectnessLoss`); for data whose true flow is known.
    The synthetic demo uses it because a *random* VGG19 (no download
    offline) leaves the correctness loss without a minimum at the true
    flow (``configs/gfla/README.md``).

    Args:
        loss_weight (float): Defaults to 1.
        min_valid (float): See :func:`downsample_flow`. Defaults to 0.5.
    """

    def __init__(self, loss_weight: float = 1.0,
                 min_valid: float = 0.5) -> None:
        super().__init__()
        self.loss_weight = loss_weight
        self.min_valid = min_valid

    def forward(self, flows: List[Tensor],
                gt_flow: Optional[Tensor]) -> Tensor:
        """
        Args:
            flows (list[Tensor]): (B, 2, h_i, w_i) in pixels of their grid.
            gt_flow (Tensor): (B, 2, H, W) in pixels of its grid, NaN where
                undefined (data sample field ``gt_flow``,
                ``LoadFlowFromFile``).

        Returns:
            Tensor: scalar loss (0 for a batch without defined cells).
        """
        if gt_flow is None:
            raise KeyError('FlowSupervisionLoss needs the ground-truth flow '
                           "as data sample field 'gt_flow' (LoadFlowFromFile "
                           "+ PackInputs(data_keys=[..., 'gt_flow']))")
        total = flows[0].new_zeros(())
        for flow in flows:
            target, valid = downsample_flow(
                gt_flow.to(flow.device), tuple(flow.shape[-2:]),
                self.min_valid)
            err = (flow.float() - target).norm(dim=1)
            total = total + (err * valid).sum() / valid.sum().clamp_min(1)
        return self.loss_weight * total


__all__ = ['FlowSupervisionLoss', 'downsample_flow']
