# Copyright (c) OpenMMLab. All rights reserved.
import numpy as np

from gfla_mm.utils import (
    MISSING,
    inside_frame,
    joints_present,
    rescale_keypoints,
)


def test_joints_present():
    kps = np.array([[3, 4], [MISSING, MISSING], [MISSING, 2], [np.nan, 1],
                    [0, 0]], float)
    # One -1 coordinate marks the joint missing, as does NaN; (0, 0) is a
    # joint at the corner.
    assert joints_present(kps).tolist() == [True, False, False, False, True]
    assert joints_present(np.stack([kps, kps])).shape == (2, 5)


def test_inside_frame():
    kps = np.array([[0, 0], [9.5, 4.9], [10, 2], [3, 5], [-0.5, 1],
                    [MISSING, MISSING]])
    assert inside_frame(kps, (5, 10)).tolist() == [
        True, True, False, False, False, False]


def test_rescale_keeps_missing_joints():
    kps = np.array([[10, 20], [MISSING, MISSING], [MISSING, 5]], float)
    out = rescale_keypoints(kps, (256, 176), (128, 88))
    assert out.dtype == np.float32
    np.testing.assert_allclose(out, [[5, 10], [-1, -1], [-1, -1]])
    # Sequences (T, K, 2) too.
    seq = rescale_keypoints(np.stack([kps] * 2), (10, 10), (20, 40))
    np.testing.assert_allclose(seq[1, 0], [40, 40])
