# Copyright (c) OpenMMLab. All rights reserved.
import numpy as np
from mmagic.registry import TRANSFORMS

from gfla_mm.datasets import OPENPOSE18_NAMES


def test_rescale_from_annotation_frame():
    kps = np.full((18, 2), -1.0, dtype=np.float32)
    kps[0] = (88, 128)  # centre of a 256x176 frame
    results = dict(source=np.zeros((256, 256, 3)), source_keypoints=kps,
                   keypoint_frame=(256, 176))
    out = TRANSFORMS.build(
        dict(type='RescalePoseKeypoints', keys=['source']))(results)
    np.testing.assert_allclose(out['source_keypoints'][0], (128, 128))
    assert (out['source_keypoints'][1] == -1).all()


def test_flip_swaps_left_right_channels():
    img = np.zeros((4, 10, 3), np.uint8)
    img[:, 0] = 255
    kps = np.full((18, 2), -1.0, dtype=np.float32)
    lw = OPENPOSE18_NAMES.index('left_wrist')
    rw = OPENPOSE18_NAMES.index('right_wrist')
    kps[lw] = (2, 1)
    t = TRANSFORMS.build(
        dict(type='FlipPosePair', keys=['source'], flip_ratio=1.0))
    out = t(dict(source=img, source_keypoints=kps))
    assert out['flip'] is True
    assert (out['source'][:, 9] == 255).all()
    np.testing.assert_allclose(out['source_keypoints'][rw], (7, 1))
    assert (out['source_keypoints'][lw] == -1).all()
    same = TRANSFORMS.build(
        dict(type='FlipPosePair', keys=['source'], flip_ratio=0.0))(
            dict(source=img, source_keypoints=kps))
    assert same['flip'] is False and (same['source'] == img).all()
