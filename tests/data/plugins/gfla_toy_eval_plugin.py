# Copyright (c) OpenMMLab. All rights reserved.
"""The toy pose-transfer model returning mmagic ``DataSample`` predictions,
as GFLA models do, so that metrics can run under ``tools/test.py``."""
from gfla_toy_plugin import GFLAToyPoseTransfer
from mmagic.structures import DataSample

from gfla_mm.registry import MODELS


@MODELS.register_module()
class GFLAToyPoseTransferEval(GFLAToyPoseTransfer):
    """``predict``: per sample ``output.pred_img`` and ``gt_img``, (3, H, W)
    BGR in [0, 255] (mmagic's test convention)."""

    def forward(self, inputs: dict, data_samples=None, mode: str = 'tensor'):
        if mode != 'predict':
            return super().forward(inputs, data_samples, mode)
        pred = super().forward(inputs, data_samples, 'tensor')
        pred = self.data_preprocessor.destruct(pred, data_samples, 'source')
        samples = data_samples.split(allow_nonseq_value=True)
        for sample, img in zip(samples, pred):
            sample.set_data(dict(gt_img=sample.target.cpu()))
            sample.output = DataSample(pred_img=img.detach().cpu())
        return samples
