# Copyright (c) OpenMMLab. All rights reserved.
import numpy as np
import pytest
from mmagic.registry import TRANSFORMS

from gfla_mm.datasets.transforms import (
    mmpose_pose_heatmaps,
    official_pose_heatmaps,
)


def keypoints(**joints):
    kps = np.full((18, 2), -1.0)
    for j, xy in joints.items():
        kps[int(j[1:])] = xy
    return kps


def test_official_peak_sigma_and_truncation():
    maps = official_pose_heatmaps(keypoints(j0=(10.7, 20.9)), (64, 48))
    assert maps.shape == (64, 48, 18) and maps.dtype == np.float32
    # Truncated to (x=10, y=20), value 1 there.
    assert np.unravel_index(maps[..., 0].argmax(), (64, 48)) == (20, 10)
    assert maps[20, 10, 0] == 1
    # sigma = 6: one sigma away the value is exp(-1/2).
    assert maps[20, 16, 0] == pytest.approx(np.exp(-0.5), rel=1e-6)
    # The official maps do not cut at 3 sigma.
    assert maps[20, 10 + 20, 0] == pytest.approx(
        np.exp(-400 / 72), rel=1e-5)
    assert (maps[..., 1:] == 0).all()  # missing joints: zero channels


def test_all_missing_is_zero_and_finite():
    maps = official_pose_heatmaps(np.full((18, 2), -1.0), (8, 8))
    assert np.isfinite(maps).all() and (maps == 0).all()


def test_mmpose_method_differs_as_documented():
    kps = keypoints(j0=(10.7, 20.9), j1=(-5.0, 3.0))
    official = official_pose_heatmaps(kps, (64, 48))
    mmpose = mmpose_pose_heatmaps(kps, (64, 48))
    # Rounded centre (11, 21) instead of the truncated (10, 20) ...
    assert np.unravel_index(mmpose[..., 0].argmax(), (64, 48)) == (21, 11)
    # ... zero beyond 3 sigma, where the official map is not.
    assert mmpose[20, 10 + 20, 0] == 0 and official[20, 30, 0] > 0
    # A joint outside the image still paints its tail officially.
    assert official[3, 0, 1] > 0


def test_transform_renders_both_images():
    t = TRANSFORMS.build(dict(type='PoseToHeatmap', keys=['source', 'target']))
    results = dict(
        source=np.zeros((32, 16, 3), np.uint8),
        target=np.zeros((32, 16, 3), np.uint8),
        source_keypoints=keypoints(j2=(3, 4)),
        target_keypoints=keypoints(j5=(8, 9)))
    out = t(results)
    assert out['source_heatmap'].shape == (32, 16, 18)
    assert out['source_heatmap'][4, 3, 2] == 1
    assert out['target_heatmap'][9, 8, 5] == 1
    with pytest.raises(ValueError, match='method'):
        TRANSFORMS.build(dict(type='PoseToHeatmap', method='nope'))


def test_transform_image_less_pose_takes_size_from():
    t = TRANSFORMS.build(dict(type='PoseToHeatmap', size_from='source'))
    results = dict(
        source=np.zeros((32, 16, 3), np.uint8),
        source_keypoints=keypoints(j2=(3, 4)),
        target_keypoints=keypoints(j5=(8, 9)))
    out = t(results)
    assert out['target_heatmap'].shape == (32, 16, 18)
    assert out['target_heatmap'][9, 8, 5] == 1
