# Copyright (c) OpenMMLab. All rights reserved.
import cv2
import numpy as np
import pytest
import torch
from torch import nn

from gfla_mm.evaluation import (
    GFLATransFID,
    PaperFID,
    TorchvisionInceptionFeatures,
    frechet_distance,
)


class _TinyFeatures(nn.Module):
    """12-d stand-in for Inception: the 2048-d Fréchet distance alone takes
    seconds on a busy 2-core machine."""

    def __init__(self):
        super().__init__()
        self.w = nn.Parameter(torch.ones(1))

    def forward(self, x):
        return nn.functional.adaptive_avg_pool2d(x, 2).flatten(1) * self.w


def _samples(pred, gt):
    return [
        dict(output=dict(pred_img=p), gt_img=g) for p, g in zip(pred, gt)
    ]


def _metric(**kwargs):
    metric = PaperFID(random_weights=True, input_size=75, **kwargs)
    metric.inception = _TinyFeatures()
    return metric


def test_torchvision_inception_features():
    torch.manual_seed(0)
    net = TorchvisionInceptionFeatures(random_weights=True, input_size=75)
    feats = net(torch.rand(2, 3, 32, 32) * 2 - 1)
    assert feats.shape == (2, 2048) and torch.isfinite(feats).all()
    assert not net.train().training  # always frozen
    with pytest.raises(ValueError, match=r'\(N, 3, H, W\)'):
        net(torch.zeros(3, 32, 32))
    with pytest.raises(ValueError, match='>= 75'):
        TorchvisionInceptionFeatures(random_weights=True, input_size=64)
    with pytest.raises(ValueError, match='random_weights'):
        TorchvisionInceptionFeatures(weights=None)


def test_identical_sets_score_zero_with_test_set_reals():
    metric = _metric()
    x = torch.rand(4, 3, 32, 32) * 255
    metric.process(None, _samples(x, x))
    assert metric.evaluate() == {'FID': pytest.approx(0, abs=1e-9)}
    # Videos: every frame counts.
    metric.process(None, _samples(x[None], x[None].flip(1)))
    assert metric.results[0]['fake'].shape == (4, 12)


def test_real_dir_statistics_are_cached(tmp_path):
    real = tmp_path / 'train'
    real.mkdir()
    rng = np.random.default_rng(0)
    for i in range(3):
        cv2.imwrite(str(real / f'{i}.png'),
                    rng.integers(0, 256, (32, 32, 3), dtype=np.uint8))
    stats = tmp_path / 'stats.npz'
    metric = _metric(real_dir=str(real), real_stats=str(stats))
    metric.process(None, _samples(torch.rand(2, 3, 32, 32) * 255,
                                  torch.zeros(2, 3, 32, 32)))
    assert metric.results[0]['real'] is None  # gt unused
    results = list(metric.results)  # evaluate() clears them
    fid = metric.evaluate()['FID']
    assert fid > 0 and stats.is_file()
    # A second run reads the cache only (no folder needed).
    again = _metric(real_stats=str(stats))
    again.results = results
    assert again.evaluate()['FID'] == pytest.approx(fid, rel=1e-12)


def test_trans_fid_distance_needs_no_sqrtm():
    rng = np.random.default_rng(0)
    a, b = rng.uniform(0.5, 2, 8), rng.uniform(0.5, 2, 8)
    mu1, mu2 = np.zeros(8), np.ones(8)
    fid, mean_term, cov_term = GFLATransFID._calc_fid(
        mu1, np.diag(a), mu2, np.diag(b))
    assert fid == pytest.approx(frechet_distance(mu1, np.diag(a), mu2,
                                                 np.diag(b)))
    assert mean_term == pytest.approx(8)
    assert cov_term == pytest.approx(((np.sqrt(a) - np.sqrt(b))**2).sum())
