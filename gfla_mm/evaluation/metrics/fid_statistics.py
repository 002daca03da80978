# Copyright (c) OpenMMLab. All rights reserved.
"""Real-image feature statistics for FID: computed over an image folder
(the paper takes the training images) and cached as ``.npz``."""
import os
import os.path as osp
from typing import Iterable, Optional, Tuple

import numpy as np
import torch
from torch import nn

from gfla_mm.utils import list_images, read_image

from .frechet_distance import feature_statistics

__all__ = ['folder_statistics', 'load_statistics']


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
