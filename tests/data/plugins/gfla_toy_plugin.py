# Copyright (c) OpenMMLab. All rights reserved.
"""A tiny model, dataset and metric that tests register through
``custom_imports`` to drive the stock tools end to end in seconds on a CPU.

Registered into mmagic's registries exactly as gfla_mm's own modules are.
"""
from typing import Dict, List, Optional, Sequence, Union

import torch
from mmengine.dataset import BaseDataset
from mmengine.evaluator import BaseMetric
from mmengine.model import BaseModel
from torch import nn

from gfla_mm.registry import DATASETS, METRICS, MODELS


@MODELS.register_module()
class GFLAToyRegressor(BaseModel):
    """One 3x3 conv trained to reproduce its input with an L1 loss."""

    def __init__(self, channels: int = 3, data_preprocessor=None) -> None:
        super().__init__(data_preprocessor=data_preprocessor)
        self.conv = nn.Conv2d(channels, channels, 3, padding=1)

    def forward(self,
                inputs: torch.Tensor,
                target: Optional[torch.Tensor] = None,
                mode: str = 'tensor') -> Union[Dict, List, torch.Tensor]:
        pred = self.conv(inputs)
        if mode == 'loss':
            return dict(loss_l1=(pred - target).abs().mean())
        if mode == 'predict':
            return [
                dict(pred=p.detach(), target=t) for p, t in zip(pred, target)
            ]
        return pred


@DATASETS.register_module()
class GFLAToyDataset(BaseDataset):
    """``length`` fixed random (3, size, size) images, target = input."""

    def __init__(self, length: int = 8, size: int = 8, **kwargs) -> None:
        self.length = length
        self.size = size
        super().__init__(serialize_data=False, **kwargs)

    def load_data_list(self) -> List[dict]:
        gen = torch.Generator().manual_seed(0)
        return [
            dict(img=torch.rand(3, self.size, self.size, generator=gen))
            for _ in range(self.length)
        ]

    def prepare_data(self, idx: int) -> dict:
        img = self.get_data_info(idx)['img']
        return dict(inputs=img, target=img.clone())


@METRICS.register_module()
class GFLAToyMAE(BaseMetric):
    """Mean absolute error between ``pred`` and ``target``."""

    default_prefix = 'toy'

    def process(self, data_batch, data_samples: Sequence[dict]) -> None:
        for sample in data_samples:
            err = (sample['pred'] - sample['target']).abs().mean().item()
            self.results.append(err)

    def compute_metrics(self, results: list) -> dict:
        return dict(mae=sum(results) / len(results))


@MODELS.register_module()
class GFLAToyPoseTransfer(BaseModel):
    """One conv from (source image, source pose, target pose) to the target
    image: enough to drive the pose-pair pipeline through the stock tools.

    Expects mmagic's DataPreprocessor with ``data_keys='target'`` and the
    heatmaps as ``non_image_keys``.
    """

    def __init__(self, data_preprocessor=None) -> None:
        super().__init__(data_preprocessor=data_preprocessor)
        self.conv = nn.Conv2d(3 + 36, 3, 3, padding=1)

    def forward(self, inputs: dict, data_samples=None, mode: str = 'tensor'):
        x = torch.cat([
            inputs['source'], inputs['source_heatmap'],
            inputs['target_heatmap']
        ], 1)
        pred = torch.tanh(self.conv(x))
        if mode == 'loss':
            return dict(loss_l1=(pred - data_samples.target).abs().mean())
        return pred
