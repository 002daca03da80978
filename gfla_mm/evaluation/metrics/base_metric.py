# Copyright (c) OpenMMLab. All rights reserved.
"""What every gfla_mm metric shares: reading images out of data samples and
the hooks mmagic's ``Evaluator`` calls (``prepare``, ``get_metric_sampler``,
``evaluate()`` without a size)."""
from typing import Any, List, Optional, Sequence

import torch
from mmengine.dist import get_world_size
from mmengine.evaluator import BaseMetric
from mmengine.model import is_model_wrapper
from torch import Tensor, nn

__all__ = ['GFLABaseMetric', 'get_sample_tensor', 'to_rgb_unit']


def get_sample_tensor(sample: dict, key: str) -> Tensor:
    """The tensor ``key`` of one data sample.

    Looks in ``sample['output']`` first (mmagic's edit models put
    predictions there), then in the sample itself (ground truth, or models
    that store predictions at the top level).

    Args:
        sample (dict): One data sample, as ``DataSample.to_dict()`` gives.
        key (str): Field name, e.g. ``'pred_img'`` or ``'gt_img'``.

    Returns:
        Tensor: The field as a tensor.
    """
    output = sample.get('output')
    for source in (output, sample):
        if isinstance(source, dict) and key in source:
            value = source[key]
            if isinstance(value, dict) and 'data' in value:
                value = value['data']  # a PixelData turned into a dict
            return torch.as_tensor(value)
    fields = sorted(sample)
    if isinstance(output, dict):
        fields += [f'output.{k}' for k in sorted(output)]
    raise KeyError(f'data sample has no {key!r}; it has {fields}')


def to_rgb_unit(img: Tensor, channel_order: str = 'BGR') -> Tensor:
    """0-255 images in ``channel_order`` to float RGB in [-1, 1].

    Args:
        img (Tensor): (..., 3, H, W) in [0, 255].
        channel_order (str): ``'BGR'`` (mmagic's order for predictions and
            ground truth at test time) or ``'RGB'``.

    Returns:
        Tensor: (..., 3, H, W) float32 RGB in [-1, 1].
    """
    if img.ndim < 3 or img.shape[-3] != 3:
        raise ValueError('expected (..., 3, H, W) colour images, got shape '
                         f'{tuple(img.shape)}')
    order = channel_order.upper()
    if order not in ('BGR', 'RGB'):
        raise ValueError(f"channel_order must be 'BGR' or 'RGB', got "
                         f'{channel_order!r}')
    img = img.float()
    if order == 'BGR':
        img = img.flip(-3)
    return img / 127.5 - 1


class GFLABaseMetric(BaseMetric):
    """Base of the gfla_mm metrics: paired prediction / ground-truth keys,
    and the interface of both mmengine's and mmagic's ``Evaluator``.

    Results are appended once per data sample, so ``evaluate`` can drop the
    padding the distributed sampler adds (``size`` = dataset length, known
    after :meth:`prepare`).

    Args:
        pred_key (str): Prediction field. Defaults to ``'pred_img'``.
        gt_key (str): Ground-truth field. Defaults to ``'gt_img'``.
        channel_order (str): Channel order of both, ``'BGR'`` (mmagic's test
            convention) or ``'RGB'``. Defaults to ``'BGR'``.
        device (str): Where feature networks run; ``'auto'`` takes the
            model's device in :meth:`prepare`. Defaults to ``'auto'``.
        collect_device (str): ``'cpu'`` or ``'gpu'``, for gathering
            results across ranks. Defaults to ``'cpu'``.
        prefix (str, optional): Prefix of the metric names.
    """

    SAMPLER_MODE = 'normal'
    sample_model = 'orig'
    default_prefix: Optional[str] = None

    def __init__(self,
                 pred_key: str = 'pred_img',
                 gt_key: str = 'gt_img',
                 channel_order: str = 'BGR',
                 device: str = 'auto',
                 collect_device: str = 'cpu',
                 prefix: Optional[str] = None) -> None:
        super().__init__(collect_device=collect_device, prefix=prefix)
        if channel_order.upper() not in ('BGR', 'RGB'):
            raise ValueError(f"channel_order must be 'BGR' or 'RGB', got "
                             f'{channel_order!r}')
        self.pred_key = pred_key
        self.gt_key = gt_key
        self.channel_order = channel_order.upper()
        self.device = 'cpu' if device == 'auto' else device
        self._auto_device = device == 'auto'
        self.size: Optional[int] = None

    def _networks(self) -> List[nn.Module]:
        """Feature networks to move to :attr:`device` in :meth:`prepare`."""
        return []

    def prepare(self, module: nn.Module, dataloader: Any) -> None:
        """Called once by mmagic's ``Evaluator`` before testing."""
        self.size = len(dataloader.dataset)
        if is_model_wrapper(module):
            module = module.module
        if self._auto_device:
            param = next(iter(module.parameters()), None)
            if param is not None:
                self.device = str(param.device)
        for net in self._networks():
            net.to(self.device)

    def get_metric_sampler(self, model: nn.Module, dataloader: Any,
                           metrics: list) -> Any:
        """Paired metrics run on the test dataloader itself."""
        return dataloader

    def evaluate(self, size: Optional[int] = None) -> dict:
        """``size`` from mmengine's ``Evaluator``, else from ``prepare``."""
        size = size if size is not None else self.size
        if size is None:
            if get_world_size() > 1:
                raise RuntimeError(
                    f'{type(self).__name__}: call prepare() (mmagic '
                    'Evaluator) or evaluate(size) in distributed runs')
            size = len(self.results)
        return super().evaluate(size)

    def pairs(self, data_samples: Sequence[dict]):
        """Yield ``(pred, gt)`` tensors of each sample, shapes checked."""
        for i, sample in enumerate(data_samples):
            pred = get_sample_tensor(sample, self.pred_key)
            gt = get_sample_tensor(sample, self.gt_key)
            if pred.shape != gt.shape:
                raise ValueError(
                    f'sample {i}: {self.pred_key} {tuple(pred.shape)} and '
                    f'{self.gt_key} {tuple(gt.shape)} differ in shape')
            yield pred, gt
