# Copyright (c) OpenMMLab. All rights reserved.
"""Fréchet distance between Gaussians fitted to two feature sets.

Shared by :class:`PaperFID` (images) and :class:`FIDVideo` (clips). All
arithmetic is float64: in float32 the self-distance of 200 samples of
2048-d features is already off by several units.
"""
from typing import Tuple

import numpy as np

__all__ = [
    'feature_statistics', 'frechet_distance', 'frechet_distance_features'
]

# A result below -_NEGATIVE_TOL is a bug, not round-off: raise instead of
# clamping it to zero.
_NEGATIVE_TOL = 1e-3


def feature_statistics(feats: np.ndarray) -> Tuple[np.ndarray, np.ndarray]:
    """Mean and covariance of a feature set, in float64.

    The covariance is unbiased (``1 / (N - 1)``, as ``np.cov`` and
    pytorch-fid); StyleGAN-V's FVD uses ``1 / N``, which differs by a factor
    ``(N - 1) / N`` that is negligible for the sample sizes FID needs.

    Args:
        feats (np.ndarray): (N, D) features, N >= 2.

    Returns:
        tuple[np.ndarray, np.ndarray]: mean (D,) and covariance (D, D).
    """
    feats = np.asarray(feats, dtype=np.float64)
    if feats.ndim != 2:
        raise ValueError(f'features must be (N, D), got {feats.shape}')
    if feats.shape[0] < 2:
        raise ValueError('a covariance needs at least 2 feature vectors, got '
                         f'{feats.shape[0]}')
    return feats.mean(axis=0), np.cov(feats, rowvar=False)


def _psd_sqrt(cov: np.ndarray) -> np.ndarray:
    """Symmetric square root of a (numerically) PSD matrix."""
    w, v = np.linalg.eigh(cov)
    return (v * np.sqrt(np.clip(w, 0, None))) @ v.T


def frechet_distance(mu1: np.ndarray, sigma1: np.ndarray, mu2: np.ndarray,
                     sigma2: np.ndarray) -> float:
    """Squared 2-Wasserstein (Fréchet) distance between two Gaussians.

    ``d² = |mu1 - mu2|² + tr(S1) + tr(S2) - 2 tr((S1 S2)^½)``.

    ``S1 S2`` is similar to the symmetric PSD matrix ``R S2 R`` with
    ``R = S1^½``, so the trace of the square root is the sum of the square
    roots of that matrix's eigenvalues. Only ``eigh`` is used: no
    ``scipy.linalg.sqrtm`` (whose ``disp`` argument is gone in SciPy 1.18)
    and no complex intermediate results.

    Args:
        mu1 (np.ndarray): (D,) mean of the first set.
        sigma1 (np.ndarray): (D, D) covariance of the first set.
        mu2 (np.ndarray): (D,) mean of the second set.
        sigma2 (np.ndarray): (D, D) covariance of the second set.

    Returns:
        float: The distance, >= 0 (round-off below zero is clamped).
    """
    mu1, mu2 = (np.atleast_1d(np.asarray(m, np.float64)) for m in (mu1, mu2))
    sigma1, sigma2 = (np.atleast_2d(np.asarray(s, np.float64))
                      for s in (sigma1, sigma2))
    d = mu1.shape[0]
    if mu1.shape != (d, ) or mu2.shape != (d, ):
        raise ValueError(f'means must both be ({d},), got {mu1.shape} and '
                         f'{mu2.shape}')
    if sigma1.shape != (d, d) or sigma2.shape != (d, d):
        raise ValueError(f'covariances must both be ({d}, {d}), got '
                         f'{sigma1.shape} and {sigma2.shape}')
    # Symmetrise: np.cov output is symmetric only up to round-off.
    sigma1 = (sigma1 + sigma1.T) / 2
    sigma2 = (sigma2 + sigma2.T) / 2
    root1 = _psd_sqrt(sigma1)
    inner = root1 @ sigma2 @ root1
    eig = np.linalg.eigvalsh((inner + inner.T) / 2)
    tr_covmean = np.sqrt(np.clip(eig, 0, None)).sum()
    diff = mu1 - mu2
    dist = float(diff @ diff + np.trace(sigma1) + np.trace(sigma2) -
                 2 * tr_covmean)
    if dist < -_NEGATIVE_TOL * max(1.0, np.trace(sigma1) + np.trace(sigma2)):
        raise ArithmeticError(f'Fréchet distance came out negative ({dist}); '
                              'the covariances are not PSD')
    return max(dist, 0.0)


def frechet_distance_features(feats1: np.ndarray,
                              feats2: np.ndarray) -> float:
    """Fréchet distance between two feature sets, from the features.

    Equals ``frechet_distance(*feature_statistics(feats1),
    *feature_statistics(feats2))``. With fewer samples than dimensions
    (e.g. a few hundred clips of 400-d I3D logits) it avoids the D x D
    eigendecompositions: with centred ``X_i`` and ``S_i = X_iᵀX_i/(n_i-1)``,
    the non-zero eigenvalues of ``S1 S2`` are the squared singular values of
    ``M = X1 X2ᵀ / sqrt((n1-1)(n2-1))``, so ``tr((S1 S2)^½)`` is the
    nuclear norm of the small (n1, n2) matrix ``M``.

    Args:
        feats1 (np.ndarray): (N1, D) features, N1 >= 2.
        feats2 (np.ndarray): (N2, D) features, N2 >= 2.

    Returns:
        float: The distance, >= 0.
    """
    f1, f2 = (np.asarray(f, dtype=np.float64) for f in (feats1, feats2))
    for name, f in (('feats1', f1), ('feats2', f2)):
        if f.ndim != 2 or f.shape[0] < 2:
            raise ValueError(f'{name} must be (N >= 2, D), got {f.shape}')
    if f1.shape[1] != f2.shape[1]:
        raise ValueError(f'feature sizes differ: {f1.shape} vs {f2.shape}')
    n1, n2, d = f1.shape[0], f2.shape[0], f1.shape[1]
    if min(n1, n2) >= d:
        return frechet_distance(*feature_statistics(f1),
                                *feature_statistics(f2))
    mu1, mu2 = f1.mean(axis=0), f2.mean(axis=0)
    x1, x2 = f1 - mu1, f2 - mu2
    tr1 = (x1 * x1).sum() / (n1 - 1)
    tr2 = (x2 * x2).sum() / (n2 - 1)
    cross = x1 @ x2.T / np.sqrt((n1 - 1) * (n2 - 1))
    tr_covmean = np.linalg.svd(cross, compute_uv=False).sum()
    diff = mu1 - mu2
    dist = float(diff @ diff + tr1 + tr2 - 2 * tr_covmean)
    if dist < -_NEGATIVE_TOL * max(1.0, tr1 + tr2):
        raise ArithmeticError(f'Fréchet distance came out negative ({dist})')
    return max(dist, 0.0)
