# Copyright (c) OpenMMLab. All rights reserved.
import numpy as np
import pytest
import torch

from gfla_mm.evaluation import MaskLPIPS, body_mask, keypoints_from_heatmap


def _pose():
    kps = -np.ones((18, 2))
    kps[1] = (32, 30)  # neck (x, y)
    kps[2] = (22, 32)  # right shoulder
    kps[3] = (20, 50)  # right elbow
    return kps


def test_body_mask_draws_bands_and_disks():
    mask = body_mask(_pose(), (128, 64))
    assert mask.shape == (128, 64) and mask.dtype == bool
    # Joints and the middle of a limb are inside, far pixels are not.
    for x, y in [(32, 30), (22, 32), (20, 50), (21, 41)]:
        assert mask[y, x]
    assert not mask[100, 10] and not mask[5, 60]
    # A hand-drawn disk: a single joint gives a radius-4 disk
    # (|d|² < 16), unchanged by the closing.
    one = -np.ones((18, 2))
    one[0] = (30, 60)
    yy, xx = np.mgrid[:128, :64]
    disk = (yy - 60)**2 + (xx - 30)**2 < 16
    np.testing.assert_array_equal(body_mask(one, (128, 64)), disk)
    # No joint: empty mask.
    assert not body_mask(-np.ones((18, 2)), (128, 64)).any()
    with pytest.raises(ValueError, match=r'\(18, 2\)'):
        body_mask(np.zeros((17, 2)), (128, 64))


def test_keypoints_from_heatmap_round_trip():
    kps = _pose()
    heat = np.zeros((18, 128, 64))
    yy, xx = np.mgrid[:128, :64]
    for k, (x, y) in enumerate(kps):
        if x >= 0:
            heat[k] = np.exp(-((yy - y)**2 + (xx - x)**2) / (2 * 6**2))
    np.testing.assert_array_equal(keypoints_from_heatmap(heat), kps)


def test_mask_lpips_reads_keypoints_or_heatmaps():
    torch.manual_seed(0)
    metric = MaskLPIPS(pnet_rand=True)
    x, y = torch.rand(2, 3, 128, 64) * 255
    kps = _pose()
    heat = torch.zeros(18, 128, 64)
    for k, (px, py) in enumerate(kps):
        if px >= 0:
            heat[k, int(py), int(px)] = 1
    metric.process(None, [
        dict(output=dict(pred_img=x), gt_img=y, target_keypoints=kps)
    ])
    metric.process(
        dict(inputs=dict(target_heatmap=[heat])),
        [dict(output=dict(pred_img=x), gt_img=y)])
    assert metric.results[0] == pytest.approx(metric.results[1], rel=1e-6)
    # Outside the body the images do not matter.
    mask = torch.from_numpy(body_mask(kps, (128, 64)))
    y2 = torch.where(mask, y, torch.zeros_like(y))
    metric.process(None, [
        dict(output=dict(pred_img=x), gt_img=y2, target_keypoints=kps)
    ])
    assert metric.results[2] == pytest.approx(metric.results[0], rel=1e-6)
    with pytest.raises(KeyError, match='target pose'):
        metric.process(None, [dict(output=dict(pred_img=x), gt_img=y)])
