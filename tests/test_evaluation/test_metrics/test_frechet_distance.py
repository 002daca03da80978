# Copyright (c) OpenMMLab. All rights reserved.
import numpy as np
import pytest

from gfla_mm.evaluation import (
    feature_statistics,
    frechet_distance,
    frechet_distance_features,
)


def _spd(rng, d):
    a = rng.standard_normal((d, d))
    return a @ a.T / d + 0.1 * np.eye(d)


def test_one_dimensional_closed_form():
    # FD(N(m1, s1²), N(m2, s2²)) = (m1 - m2)² + (s1 - s2)².
    got = frechet_distance([1.5], [[4.0]], [-0.5], [[0.25]])
    assert got == pytest.approx(2.0**2 + (2.0 - 0.5)**2, rel=1e-12)


def test_diagonal_closed_form():
    rng = np.random.default_rng(0)
    a, b = rng.uniform(0.1, 3, 64), rng.uniform(0.1, 3, 64)
    mu1, mu2 = rng.standard_normal(64), rng.standard_normal(64)
    want = ((mu1 - mu2)**2).sum() + ((np.sqrt(a) - np.sqrt(b))**2).sum()
    got = frechet_distance(mu1, np.diag(a), mu2, np.diag(b))
    assert got == pytest.approx(want, rel=1e-10)


def test_identity_against_any_spd():
    # Non-commuting case: sum_i (1 - sqrt(lambda_i(S2)))².
    rng = np.random.default_rng(1)
    s2 = _spd(rng, 32)
    want = ((1 - np.sqrt(np.linalg.eigvalsh(s2)))**2).sum()
    got = frechet_distance(np.zeros(32), np.eye(32), np.zeros(32), s2)
    assert got == pytest.approx(want, rel=1e-9)


def test_scaled_covariance():
    # S2 = k² S1: |dmu|² + (1 - k)² tr S1.
    rng = np.random.default_rng(2)
    s1, k = _spd(rng, 48), 1.7
    mu1, mu2 = rng.standard_normal(48), rng.standard_normal(48)
    want = ((mu1 - mu2)**2).sum() + (1 - k)**2 * np.trace(s1)
    got = frechet_distance(mu1, s1, mu2, k**2 * s1)
    assert got == pytest.approx(want, rel=1e-9)


def test_invariances_on_samples():
    rng = np.random.default_rng(3)
    x = rng.standard_normal((300, 16))
    y = rng.standard_normal((300, 16)) * 1.3 + 0.2
    base = frechet_distance(*feature_statistics(x), *feature_statistics(y))
    assert base > 0
    # Symmetric.
    assert frechet_distance(*feature_statistics(y), *feature_statistics(
        x)) == pytest.approx(base, rel=1e-9)
    # Rotation and common translation leave it unchanged.
    q, _ = np.linalg.qr(rng.standard_normal((16, 16)))
    t = rng.standard_normal(16)
    rotated = frechet_distance(*feature_statistics(x @ q + t),
                               *feature_statistics(y @ q + t))
    assert rotated == pytest.approx(base, rel=1e-9)
    # Scaling by c multiplies it by c².
    scaled = frechet_distance(*feature_statistics(3 * x),
                              *feature_statistics(3 * y))
    assert scaled == pytest.approx(9 * base, rel=1e-9)


def test_self_distance_is_zero_in_float64():
    # Rank-deficient (N < D) and float32 input: still ~0, never negative.
    feats = np.random.default_rng(4).standard_normal((100, 256))
    stats = feature_statistics(feats.astype(np.float32))
    assert stats[1].dtype == np.float64
    assert 0 <= frechet_distance(*stats, *stats) < 1e-6


def test_bad_shapes():
    with pytest.raises(ValueError, match='covariances'):
        frechet_distance(np.zeros(3), np.eye(3), np.zeros(3), np.eye(2))
    with pytest.raises(ValueError, match='means'):
        frechet_distance(np.zeros(3), np.eye(3), np.zeros(2), np.eye(3))
    with pytest.raises(ValueError, match='at least 2'):
        feature_statistics(np.zeros((1, 4)))


@pytest.mark.parametrize('n1,n2,d', [(30, 50, 64), (200, 150, 8)])
def test_distance_from_features_matches_statistics(n1, n2, d):
    rng = np.random.default_rng(5)
    x = rng.standard_normal((n1, d))
    y = rng.standard_normal((n2, d)) @ rng.standard_normal((d, d)) * 0.5 + 1
    want = frechet_distance(*feature_statistics(x), *feature_statistics(y))
    # Rank-deficient covariances (N < D) cost the eigh route ~1e-8.
    assert frechet_distance_features(x, y) == pytest.approx(want, rel=1e-7)
    assert frechet_distance_features(x, x) == pytest.approx(0, abs=1e-9)
    with pytest.raises(ValueError, match='feature sizes differ'):
        frechet_distance_features(x, y[:, :-1])
