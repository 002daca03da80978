# Copyright (c) OpenMMLab. All rights reserved.
"""LPIPS (Zhang et al., CVPR 2018) as an mmagic metric, on the ``lpips``
package: AlexNet trunk, v0.1 linear heads, inputs in [-1, 1] — the variant
GFLA reports (paper Tables II, III and V)."""
from typing import List, Optional, Sequence

import torch
from torch import Tensor, nn

from gfla_mm.registry import METRICS
from gfla_mm.utils.weights import load_weights

from .base_metric import GFLABaseMetric, to_rgb_unit

__all__ = ['LPIPS', 'build_lpips']


def build_lpips(net: str = 'alex',
                version: str = '0.1',
                backbone_weights: Optional[str] = None,
                backbone_sha256: Optional[str] = None,
                pnet_rand: bool = False) -> nn.Module:
    """An ``lpips.LPIPS`` network in eval mode, gradients off.

    The linear heads ship inside the ``lpips`` wheel. The ImageNet trunk
    comes from one of three places:

    - ``backbone_weights`` (a torchvision ``alexnet``/``vgg16``/
      ``squeezenet1_1`` state dict, path or URL): no other download;
    - neither option: ``lpips`` lets torchvision download the trunk into
      ``$TORCH_HOME/hub/checkpoints`` (alexnet-owt-7be5be79.pth, 233 MB);
    - ``pnet_rand=True``: a random trunk, for offline tests only (the
      scores mean nothing).

    Args:
        net (str): ``'alex'``, ``'vgg'`` or ``'squeeze'``. Defaults to
            ``'alex'`` (the paper's).
        version (str): Linear-head version. Defaults to ``'0.1'``.
        backbone_weights (str, optional): Trunk state dict path or URL.
        backbone_sha256 (str, optional): Its expected sha256 (prefix).
        pnet_rand (bool): Random trunk. Defaults to False.

    Returns:
        nn.Module: ``model(x, y)`` -> (N, 1, 1, 1) distances for (N, 3, H, W)
        RGB inputs in [-1, 1].
    """
    # Deferred: importing lpips imports torchvision's model zoo.
    import lpips

    model = lpips.LPIPS(
        net=net,
        version=version,
        pnet_rand=pnet_rand or backbone_weights is not None,
        verbose=False)
    if backbone_weights is not None:
        state = load_weights(backbone_weights, backbone_sha256,
                             f'LPIPS {net} trunk')
        # lpips keeps the trunk's layers under slice<k>.<index>, with the
        # index of torchvision's ``features`` Sequential.
        mapped = {}
        for key in model.net.state_dict():
            index_and_param = key.split('.', 1)[1]
            src = f'features.{index_and_param}'
            if src not in state:
                raise ValueError(f'LPIPS trunk weights lack {src!r}; is '
                                 f'{backbone_weights} a torchvision {net} '
                                 'state dict?')
            mapped[key] = state[src]
        model.net.load_state_dict(mapped)
    model.eval()
    for param in model.parameters():
        param.requires_grad_(False)
    return model


@METRICS.register_module()
class LPIPS(GFLABaseMetric):
    """Learned Perceptual Image Patch Similarity between prediction and
    ground truth (lower is better).

    Predictions and ground truth are 0-255 images in ``channel_order``,
    (3, H, W) or, for videos, (T, 3, H, W) (the score of a video is the mean
    over its frames). They are mapped to RGB [-1, 1]. Every image counts
    once: unlike the official script, a last partial batch is not dropped.

    Args:
        net (str): LPIPS trunk. Defaults to ``'alex'``.
        version (str): LPIPS version. Defaults to ``'0.1'``.
        backbone_weights (str, optional): Local path or URL of the trunk's
            torchvision state dict; see :func:`build_lpips`.
        backbone_sha256 (str, optional): Its expected sha256 (prefix).
        pnet_rand (bool): Random trunk, for tests only. Defaults to False.
        pred_key (str): Prediction field. Defaults to ``'pred_img'``.
        gt_key (str): Ground-truth field. Defaults to ``'gt_img'``.
        channel_order (str): ``'BGR'`` or ``'RGB'``. Defaults to ``'BGR'``.
        device (str): Device of the network. Defaults to ``'auto'``.
        collect_device (str): Defaults to ``'cpu'``.
        prefix (str, optional): Metric name prefix.

    Metrics:
        - LPIPS (float): mean distance over samples.
    """

    metric = 'LPIPS'

    def __init__(self,
                 net: str = 'alex',
                 version: str = '0.1',
                 backbone_weights: Optional[str] = None,
                 backbone_sha256: Optional[str] = None,
                 pnet_rand: bool = False,
                 pred_key: str = 'pred_img',
                 gt_key: str = 'gt_img',
                 channel_order: str = 'BGR',
                 device: str = 'auto',
                 collect_device: str = 'cpu',
                 prefix: Optional[str] = None) -> None:
        super().__init__(pred_key, gt_key, channel_order, device,
                         collect_device, prefix)
        self.lpips = build_lpips(net, version, backbone_weights,
                                 backbone_sha256, pnet_rand)

    def _networks(self) -> List[nn.Module]:
        return [self.lpips]

    @torch.no_grad()
    def distance(self, pred: Tensor, gt: Tensor) -> Tensor:
        """LPIPS of RGB [-1, 1] image pairs.

        Args:
            pred (Tensor): (N, 3, H, W).
            gt (Tensor): (N, 3, H, W).

        Returns:
            Tensor: (N,) distances (on the CPU).
        """
        net_device = next(self.lpips.parameters()).device
        dist = self.lpips(pred.to(net_device), gt.to(net_device))
        return dist.reshape(-1).cpu()

    def sample_mask(self, index: int, sample: dict, data_batch: Optional[dict],
                    shape: torch.Size) -> Optional[Tensor]:
        """Mask applied to both images before the distance; None: no mask.

        Overridden by :class:`MaskLPIPS`.
        """
        return None

    def process(self, data_batch: Optional[dict],
                data_samples: Sequence[dict]) -> None:
        """Score each sample of a batch; one result per sample."""
        preds, gts, counts = [], [], []
        for i, (pred, gt) in enumerate(self.pairs(data_samples)):
            if pred.ndim not in (3, 4):
                raise ValueError(
                    f'sample {i}: {self.pred_key} must be (3, H, W) or '
                    f'(T, 3, H, W), got {tuple(pred.shape)}')
            pred = to_rgb_unit(pred, self.channel_order).reshape(
                -1, *pred.shape[-3:])
            gt = to_rgb_unit(gt, self.channel_order).reshape(
                -1, *gt.shape[-3:])
            mask = self.sample_mask(i, data_samples[i], data_batch,
                                    pred.shape)
            if mask is not None:
                pred, gt = pred * mask, gt * mask
            preds.append(pred)
            gts.append(gt)
            counts.append(pred.shape[0])
        if not preds:
            return
        if all(p.shape[1:] == preds[0].shape[1:] for p in preds):
            dists = self.distance(torch.cat(preds), torch.cat(gts))
            per_sample = dists.split(counts)
        else:  # mixed sizes: one forward per sample
            per_sample = [self.distance(p, g) for p, g in zip(preds, gts)]
        self.results.extend(float(d.mean()) for d in per_sample)

    def compute_metrics(self, results: list) -> dict:
        """Mean over samples."""
        if not results:
            raise ValueError(f'{self.metric}: no samples were processed')
        return {self.metric: float(sum(results) / len(results))}
