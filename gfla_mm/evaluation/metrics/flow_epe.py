# Copyright (c) OpenMMLab. All rights reserved.
"""End-point error of the estimated flows against a ground-truth flow (the
synthetic set's renderer correspondences), on the body, at each flow's own
resolution."""
from typing import List, Sequence, Tuple

import torch
from torch import Tensor

from gfla_mm.models.losses import downsample_flow
from gfla_mm.registry import METRICS

from .base_metric import GFLABaseMetric, get_sample_tensor

__all__ = ['FlowEPE', 'flow_end_point_error']


def flow_end_point_error(pred: Tensor, gt: Tensor) -> Tuple[Tensor, int]:
    """Mean end-point error of ``pred`` against a finer ground truth.

    Args:
        pred (Tensor): (2, h, w) flow in pixels of its own grid.
        gt (Tensor): (2, H, W) flow in pixels of its grid, NaN undefined.

    Returns:
        tuple: the mean EPE (pixels of ``pred``'s grid) over the defined
        cells (NaN when none is), and the number of those cells.
    """
    target, valid = downsample_flow(gt, tuple(pred.shape[-2:]))
    err = (pred.float()[None] - target).norm(dim=1)[valid]
    count = int(err.numel())
    return (err.mean() if count else err.new_tensor(float('nan'))), count


@METRICS.register_module()
class FlowEPE(GFLABaseMetric):
    """End-point error of each estimated flow on the body (in pixels of the
    flow's own grid), with the zero flow's error beside it.

    Reads ``output.flows`` (list of (2, h_i, w_i), coarse to fine, as GFLA
    models predict) and the ground-truth flow ``gt_key`` ((2, H, W), NaN
    off the body or where the source does not show the point; the
    synthetic set with ``LoadFlowFromFile``). The ground truth is brought
    to each flow's grid by :func:`downsample_flow`. Per image the mean over
    its defined cells; the metric averages the images. Keys, for a flow of
    1/s of the image: ``FlowEPE_1/s`` and ``ZeroFlowEPE_1/s`` (the error of
    predicting no motion: the scale of the problem).

    Args:
        gt_key (str): Ground-truth flow field. Defaults to ``'gt_flow'``.
        pred_key (str): Predicted flow list. Defaults to ``'flows'``.
        image_key (str): A (3, H, W) field of the image size, to name the
            scales. Defaults to ``'pred_img'``.
        prefix (str, optional): Metric name prefix.
    """

    def __init__(self,
                 gt_key: str = 'gt_flow',
                 pred_key: str = 'flows',
                 image_key: str = 'pred_img',
                 collect_device: str = 'cpu',
                 prefix=None) -> None:
        super().__init__(
            pred_key=pred_key,
            gt_key=gt_key,
            collect_device=collect_device,
            prefix=prefix)
        self.image_key = image_key

    @staticmethod
    def _flows(sample: dict, key: str) -> List[Tensor]:
        output = sample.get('output', {})
        flows = output.get(key, sample.get(key)) if isinstance(
            output, dict) else sample.get(key)
        if not flows:
            raise KeyError(f'data sample has no {key!r} flows to score '
                           '(a model without a flow estimator?)')
        return [torch.as_tensor(f) for f in flows]

    def process(self, data_batch: dict, data_samples: Sequence[dict]) -> None:
        for i, sample in enumerate(data_samples):
            gt = get_sample_tensor(sample, self.gt_key)
            if gt.ndim != 3 or gt.shape[0] != 2:
                raise ValueError(f'sample {i}: {self.gt_key} must be (2, H, '
                                 f'W), got {tuple(gt.shape)}')
            height = get_sample_tensor(sample, self.image_key).shape[-2]
            result = {}
            for flow in self._flows(sample, self.pred_key):
                scale = f'1/{round(height / flow.shape[-2])}'
                epe, count = flow_end_point_error(flow, gt)
                zero, _ = flow_end_point_error(torch.zeros_like(flow), gt)
                if count:
                    result[f'FlowEPE_{scale}'] = float(epe)
                    result[f'ZeroFlowEPE_{scale}'] = float(zero)
            self.results.append(result)

    def compute_metrics(self, results: List[dict]) -> dict:
        keys = sorted({k for r in results for k in r})
        return {
            k: sum(r[k] for r in results if k in r) /
            max(1, sum(k in r for r in results))
            for k in keys
        }
