# Copyright (c) OpenMMLab. All rights reserved.
"""FID under the GFLA paper's protocol.

Two FIDs exist for pose transfer and they are not comparable:

- :class:`PaperFID` (GFLA Tables II, III, V): torchvision's ImageNet
  Inception-v3 (``inception_v3_google-0cc3c7bd.pth``, not the TF-FID
  weights), 2048-d pool features of images resized bilinearly to 299x299 in
  [-1, 1], real statistics over the **training** images.
- :class:`GFLATransFID` (standard, comparable with clean-fid/StyleGAN
  numbers): mmagic's ``TransFID`` with the TF Inception TorchScript, real
  statistics from the evaluated dataloader's ground truth
  (``trans_fid.py``).
"""
import os.path as osp
from typing import Dict, List, Optional, Sequence, Tuple

import numpy as np
import torch
from mmengine.logging import print_log
from torch import Tensor, nn

from gfla_mm.registry import METRICS

from .base_metric import GFLABaseMetric, to_rgb_unit
from .fid_statistics import folder_statistics, load_statistics
from .frechet_distance import (
    feature_statistics,
    frechet_distance,
    frechet_distance_features,
)
from .inception_features import (
    TORCHVISION_INCEPTION_SHA256,
    TORCHVISION_INCEPTION_URL,
    TorchvisionInceptionFeatures,
)

__all__ = ['PaperFID']


@METRICS.register_module()
class PaperFID(GFLABaseMetric):
    """FID as GFLA reports it (paper Tables II, III and V, image FID).

    Features: :class:`TorchvisionInceptionFeatures`. Real statistics, in
    this order:

    1. ``real_stats`` ``.npz`` (``mu``, ``sigma``) if the file exists;
    2. else the images of ``real_dir`` (the paper: the whole training set,
       e.g. ``data/fashion/train_256``), saved to ``real_stats`` if given;
    3. else the ground truth of the evaluated samples (test-set real
       statistics: not the paper's protocol, a warning says so).

    Predictions (and ground truth) are 0-255 (3, H, W) images, or
    (T, 3, H, W) videos whose frames all count (Table V frame FID).

    Args:
        inception_weights (str, optional): Path or URL of the torchvision
            Inception-v3 weights. Defaults to
            :data:`TORCHVISION_INCEPTION_URL`.
        inception_sha256 (str, optional): Expected sha256 (prefix).
        random_weights (bool): Random Inception (tests only). Defaults to
            False.
        real_stats (str, optional): Statistics ``.npz`` (cache).
        real_dir (str, optional): Folder of real (training) images.
        batch_size (int): Batch size over ``real_dir``. Defaults to 64.
        input_size (int): Inception input side. Defaults to 299 (keep it;
            see :class:`TorchvisionInceptionFeatures`).
        **kwargs: :class:`GFLABaseMetric` arguments (``pred_key``,
            ``gt_key``, ``channel_order``, ``device``, ...).

    Metrics:
        - FID (float)
    """

    metric = 'FID'

    def __init__(self,
                 inception_weights: Optional[str] = TORCHVISION_INCEPTION_URL,
                 inception_sha256: Optional[str] = None,
                 random_weights: bool = False,
                 real_stats: Optional[str] = None,
                 real_dir: Optional[str] = None,
                 batch_size: int = 64,
                 input_size: int = 299,
                 **kwargs) -> None:
        super().__init__(**kwargs)
        if (inception_sha256 is None
                and inception_weights == TORCHVISION_INCEPTION_URL):
            inception_sha256 = TORCHVISION_INCEPTION_SHA256
        self.inception = TorchvisionInceptionFeatures(
            inception_weights, inception_sha256, random_weights, input_size)
        self.real_stats = real_stats
        self.real_dir = real_dir
        self.batch_size = batch_size
        self._use_gt = not (real_dir or
                            (real_stats and osp.isfile(real_stats)))

    def _networks(self) -> List[nn.Module]:
        return [self.inception]

    @torch.no_grad()
    def _features(self, img: Tensor) -> np.ndarray:
        frames = to_rgb_unit(img, self.channel_order).reshape(
            -1, *img.shape[-3:])
        return self.inception(frames).double().cpu().numpy()

    def process(self, data_batch: Optional[dict],
                data_samples: Sequence[dict]) -> None:
        """Inception features of each prediction (and ground truth)."""
        pairs = list(self.pairs(data_samples))
        if not pairs:
            return
        preds, gts = zip(*pairs)
        if all(p.shape == preds[0].shape for p in preds):
            # One forward for the batch, split back per sample.
            counts = [p.reshape(-1, *p.shape[-3:]).shape[0] for p in preds]
            fake = np.split(self._features(torch.stack(preds)),
                            np.cumsum(counts)[:-1])
            real = (np.split(self._features(torch.stack(gts)),
                             np.cumsum(counts)[:-1])
                    if self._use_gt else [None] * len(preds))
        else:
            fake = [self._features(p) for p in preds]
            real = ([self._features(g) for g in gts]
                    if self._use_gt else [None] * len(preds))
        self.results.extend(
            dict(fake=f, real=r) for f, r in zip(fake, real))

    def real_statistics(self, results: list) -> Tuple[np.ndarray, np.ndarray]:
        """Real mean and covariance, following the order in the docstring."""
        if self.real_stats and osp.isfile(self.real_stats):
            return load_statistics(self.real_stats)
        if self.real_dir:
            return folder_statistics(self.real_dir, self.inception,
                                     self.batch_size, self.real_stats)
        print_log(
            'PaperFID: no real_dir/real_stats, using the test ground truth '
            'as real images; the paper uses the training set', 'current')
        return feature_statistics(np.concatenate([r['real']
                                                  for r in results]))

    def compute_metrics(self, results: list) -> Dict[str, float]:
        """FID between the predictions and the real statistics."""
        fake = np.concatenate([r['fake'] for r in results])
        if self._use_gt:
            print_log(
                'PaperFID: no real_dir/real_stats, using the test ground '
                'truth as real images; the paper uses the training set',
                'current')
            real = np.concatenate([r['real'] for r in results])
            return {self.metric: frechet_distance_features(fake, real)}
        mu_r, sigma_r = self.real_statistics(results)
        mu_f, sigma_f = feature_statistics(fake)
        return {self.metric: frechet_distance(mu_f, sigma_f, mu_r, sigma_r)}
