# Copyright (c) OpenMMLab. All rights reserved.
"""MPJPE: mean per-joint position error of 2-D skeletons (the Motion
Extraction Network's metric)."""
from typing import List, Optional, Sequence

import torch

from gfla_mm.registry import METRICS

from .base_metric import GFLABaseMetric

__all__ = ['MPJPE', 'mean_joint_error']


def mean_joint_error(pred: torch.Tensor, gt: torch.Tensor) -> torch.Tensor:
    """Mean Euclidean distance between corresponding joints.

    Args:
        pred, gt (Tensor): (..., K, 2), same units.

    Returns:
        Tensor: Scalar, in those units.
    """
    return (pred.double() - gt.double()).norm(dim=-1).mean()


@METRICS.register_module()
class MPJPE(GFLABaseMetric):
    """Mean per-joint position error over every joint of every frame.

    Reads ``pred_joints`` and ``gt_joints`` ((T, K, 2), normalised screen
    coordinates, as :class:`MotionExtractor` predicts) and the sample's
    ``frame_width``. Keys: ``MPJPE`` in pixels of the frames and
    ``MPJPE_normalized`` in normalised units (the frame width = 2).
    Frames are weighted equally across samples.

    Args:
        pred_key (str): Defaults to ``'pred_joints'``.
        gt_key (str): Defaults to ``'gt_joints'``.
        prefix (str, optional): Metric name prefix.
    """

    def __init__(self,
                 pred_key: str = 'pred_joints',
                 gt_key: str = 'gt_joints',
                 collect_device: str = 'cpu',
                 prefix: Optional[str] = None) -> None:
        super().__init__(
            pred_key=pred_key,
            gt_key=gt_key,
            collect_device=collect_device,
            prefix=prefix)

    def process(self, data_batch: dict, data_samples: Sequence[dict]) -> None:
        for sample, (pred, gt) in zip(data_samples, self.pairs(data_samples)):
            if 'frame_width' not in sample:
                raise KeyError('MPJPE needs the frame_width of each sample '
                               '(PackSkeletonInputs puts it in the metainfo)')
            joints = pred.shape[:-1].numel()
            err = mean_joint_error(pred, gt).item() * joints
            self.results.append(
                (err, err * float(sample['frame_width']) / 2, joints))

    def compute_metrics(self, results: List) -> dict:
        total = sum(r[2] for r in results)
        if total == 0:
            raise ValueError('MPJPE: no joints to score')
        return dict(
            MPJPE=sum(r[1] for r in results) / total,
            MPJPE_normalized=sum(r[0] for r in results) / total)
