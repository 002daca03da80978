# Copyright (c) OpenMMLab. All rights reserved.
"""FID under the GFLA paper's protocol, and mmagic's TransFID made safe for
SciPy 1.18.

Two FIDs exist for pose transfer and they are not comparable:

- :class:`PaperFID` (GFLA Tables II, III, V): torchvision's ImageNet
  Inception-v3 (``inception_v3_google-0cc3c7bd.pth``, not the TF-FID
  weights), 2048-d pool features of images resized bilinearly to 299x299 in
  [-1, 1], real statistics over the **training** images.
- :class:`GFLATransFID` (standard, comparable with clean-fid/StyleGAN
  numbers): mmagic's ``TransFID`` with the TF Inception TorchScript, real
  statistics from the evaluated dataloader's ground truth.
"""
import os
import os.path as osp
from typing import Dict, Iterable, List, Optional, Sequence, Tuple

import numpy as np
import torch
import torch.nn.functional as F
from mmagic.evaluation.metrics.fid import TransFID
from mmengine.logging import print_log
from torch import Tensor, nn
from torchvision.models.inception import Inception3

from gfla_mm.registry import METRICS
from gfla_mm.utils import list_images, read_image

from .base_metric import GFLABaseMetric, to_rgb_unit
from .frechet_distance import (
    feature_statistics,
    frechet_distance,
    frechet_distance_features,
)
from .weights import load_weights

__all__ = [
    'TORCHVISION_INCEPTION_URL', 'GFLATransFID', 'PaperFID',
    'TorchvisionInceptionFeatures', 'folder_statistics', 'load_statistics'
]

TORCHVISION_INCEPTION_URL = (
    'https://download.pytorch.org/models/inception_v3_google-0cc3c7bd.pth')
# torchvision names its files after the first hex digits of their sha256.
TORCHVISION_INCEPTION_SHA256 = '0cc3c7bd'


class TorchvisionInceptionFeatures(nn.Module):
    """2048-d pool3 features of torchvision's Inception-v3, as GFLA's FID.

    Args:
        weights (str, optional): Path or URL of torchvision's
            ``inception_v3`` ImageNet state dict. Defaults to
            :data:`TORCHVISION_INCEPTION_URL` (downloaded on first use).
        sha256 (str, optional): Expected sha256 (prefix) of the file.
            Defaults to the prefix in torchvision's file name.
        random_weights (bool): Random init instead (tests only). Defaults
            to False.
        input_size (int): Side images are resized to. Defaults to 299 (the
            protocol; smaller sizes, >= 75, only make tests fast).
    """

    def __init__(self,
                 weights: Optional[str] = TORCHVISION_INCEPTION_URL,
                 sha256: Optional[str] = TORCHVISION_INCEPTION_SHA256,
                 random_weights: bool = False,
                 input_size: int = 299) -> None:
        super().__init__()
        if input_size < 75:
            raise ValueError(f'Inception-v3 needs input_size >= 75, got '
                             f'{input_size}')
        self.input_size = input_size
        # transform_input=False: the official feeds [-1, 1] straight to the
        # convolutions, skipping torchvision's ImageNet re-normalisation.
        self.net = Inception3(
            aux_logits=True, transform_input=False, init_weights=False)
        if random_weights:
            # PyTorch's default init makes the features vanish (~1e-8)
            # through the eval-mode BNs; He init keeps them O(1).
            for m in self.net.modules():
                if isinstance(m, nn.Conv2d):
                    nn.init.kaiming_normal_(m.weight, nonlinearity='relu')
        else:
            if weights is None:
                raise ValueError('Inception weights needed (or '
                                 'random_weights=True for tests)')
            self.net.load_state_dict(
                load_weights(weights, sha256, 'Inception-v3'))
        self.net.fc = nn.Identity()
        self.net.AuxLogits = None
        self.eval().requires_grad_(False)

    def train(self, mode: bool = True) -> 'TorchvisionInceptionFeatures':
        return super().train(False)  # always frozen, BN in eval mode

    @torch.no_grad()
    def forward(self, x: Tensor) -> Tensor:
        """Features of RGB images.

        Args:
            x (Tensor): (N, 3, H, W) RGB in [-1, 1], any size.

        Returns:
            Tensor: (N, 2048) float32.
        """
        if x.ndim != 4 or x.shape[1] != 3:
            raise ValueError(f'expected (N, 3, H, W), got {tuple(x.shape)}')
        device = next(self.parameters()).device
        x = F.interpolate(
            x.float().to(device), (self.input_size, self.input_size),
            mode='bilinear',
            align_corners=False)
        return self.net(x)


@torch.no_grad()
def _batched_features(extractor: nn.Module, images: Iterable[np.ndarray],
                      batch_size: int) -> np.ndarray:
    """Features of (H, W, 3) uint8 RGB images, batched."""
    feats, batch = [], []

    def flush():
        x = torch.from_numpy(np.stack(batch)).permute(0, 3, 1, 2)
        feats.append(extractor(x.float() / 127.5 - 1).double().cpu().numpy())
        batch.clear()

    for img in images:
        if batch and img.shape != batch[0].shape:
            flush()
        batch.append(img)
        if len(batch) == batch_size:
            flush()
    if batch:
        flush()
    return np.concatenate(feats)


def folder_statistics(folder: str,
                      extractor: nn.Module,
                      batch_size: int = 64,
                      cache: Optional[str] = None,
                      progress: bool = True) -> Tuple[np.ndarray, np.ndarray]:
    """Mean and covariance of the features of every image of a folder.

    Every image counts (the official drops the last partial batch).

    Args:
        folder (str): Image folder, e.g. the training images.
        extractor (nn.Module): Maps (N, 3, H, W) RGB [-1, 1] to (N, D).
        batch_size (int): Images per forward. Defaults to 64.
        cache (str, optional): ``.npz`` to load the statistics from if it
            exists, and to save them to otherwise.
        progress (bool): Show a tqdm bar. Defaults to True.

    Returns:
        tuple[np.ndarray, np.ndarray]: (D,) mean and (D, D) covariance.
    """
    if cache is not None and osp.isfile(cache):
        return load_statistics(cache)
    names = list_images(folder)
    if len(names) < 2:
        raise ValueError(f'{folder}: {len(names)} images, need at least 2 '
                         'for real statistics')
    paths = [osp.join(folder, n) for n in names]
    if progress:
        from tqdm import tqdm
        paths = tqdm(paths, desc=f'features of {folder}', unit='img')
    feats = _batched_features(extractor, (read_image(p) for p in paths),
                              batch_size)
    mu, sigma = feature_statistics(feats)
    if cache is not None:
        os.makedirs(osp.dirname(osp.abspath(cache)), exist_ok=True)
        np.savez(cache, mu=mu, sigma=sigma, num=len(feats))
    return mu, sigma


def load_statistics(path: str) -> Tuple[np.ndarray, np.ndarray]:
    """``mu`` and ``sigma`` of a statistics ``.npz``."""
    with np.load(path) as stats:
        if 'mu' not in stats or 'sigma' not in stats:
            raise ValueError(f'{path} lacks "mu"/"sigma": {list(stats)}')
        return stats['mu'].astype(np.float64), stats['sigma'].astype(
            np.float64)


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


@METRICS.register_module()
class GFLATransFID(TransFID):
    """mmagic's ``TransFID`` (TF-Inception TorchScript, standard protocol)
    with gfla_mm's float64 ``eigh`` Fréchet distance, which needs no
    ``scipy.linalg.sqrtm(disp=...)`` (removed in SciPy 1.18), and reading
    predictions under ``output`` as edit models store them.

    Arguments as ``TransFID``; defaults changed to ``fake_key='pred_img'``,
    ``real_key='gt_img'``, ``sample_model='orig'``. ``inception_path``
    points to ``inception-2015-12-05.pt`` (else mmagic downloads it into
    ``~/.cache/openmmlab/mmagic/``).
    """

    def __init__(self,
                 fake_nums: int = -1,
                 real_nums: int = -1,
                 inception_style: str = 'StyleGAN',
                 inception_path: Optional[str] = None,
                 inception_pkl: Optional[str] = None,
                 fake_key: Optional[str] = 'pred_img',
                 real_key: Optional[str] = 'gt_img',
                 sample_model: str = 'orig',
                 collect_device: str = 'cpu',
                 prefix: Optional[str] = None) -> None:
        super().__init__(fake_nums, real_nums, inception_style,
                         inception_path, inception_pkl, fake_key, real_key,
                         sample_model, collect_device, prefix)

    def prepare(self, module: nn.Module, dataloader) -> None:
        """``fake_nums=-1`` means the whole evaluated dataset."""
        if self.fake_nums == -1:
            self.fake_nums = len(dataloader.dataset)
        super().prepare(module, dataloader)

    def process(self, data_batch: dict, data_samples: Sequence[dict]) -> None:
        """Lifts ``output.<fake_key>`` to the top level, then as TransFID."""
        lifted = []
        for sample in data_samples:
            output = sample.get('output')
            if isinstance(output, dict):
                sample = {**sample, **output}
            lifted.append(sample)
        super().process(data_batch, lifted)

    @staticmethod
    def _calc_fid(sample_mean: np.ndarray,
                  sample_cov: np.ndarray,
                  real_mean: np.ndarray,
                  real_cov: np.ndarray,
                  eps: float = 1e-6) -> Tuple[float, float, float]:
        """(FID, mean term, covariance term) as mmagic's ``_calc_fid``."""
        fid = frechet_distance(sample_mean, sample_cov, real_mean, real_cov)
        diff = np.asarray(sample_mean, np.float64) - np.asarray(
            real_mean, np.float64)
        mean_term = float(diff @ diff)
        return fid, mean_term, fid - mean_term
