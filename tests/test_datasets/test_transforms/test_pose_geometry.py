# Copyright (c) OpenMMLab. All rights reserved.
import numpy as np
import pytest
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


def test_rescale_image_less_pose_takes_size_from():
    # At inference the target pose has no image: it takes the source's size.
    kps = np.full((18, 2), -1.0, dtype=np.float32)
    kps[3] = (44, 64)
    target = kps.copy()
    target[3] = (88, 128)
    results = dict(source=np.zeros((128, 64, 3)), source_keypoints=kps,
                   target_keypoints=target, keypoint_frame=(256, 176))
    out = TRANSFORMS.build(
        dict(type='RescalePoseKeypoints', size_from='source'))(results)
    np.testing.assert_allclose(out['source_keypoints'][3], (16, 32))
    np.testing.assert_allclose(out['target_keypoints'][3], (32, 64))
    assert (out['target_keypoints'][0] == -1).all()
    with pytest.raises(KeyError):  # no target image and no size_from
        TRANSFORMS.build(dict(type='RescalePoseKeypoints'))(results)


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


def test_affine_moves_pixels_and_keypoints_alike():
    import random
    random.seed(4)
    img = np.zeros((128, 64, 3), np.uint8)
    kps = np.full((18, 2), -1.0, dtype=np.float32)
    kps[0] = (20, 30)
    img[30, 20] = 255  # a single bright pixel at joint 0
    t = TRANSFORMS.build(dict(type='PoseAffineAugment', keys=['source']))
    out = t(dict(source=img, source_keypoints=kps))
    y, x = np.unravel_index(out['source'][..., 0].argmax(), (128, 64))
    np.testing.assert_allclose(out['source_keypoints'][0], (x, y), atol=1.0)
    assert (out['source_keypoints'][1] == -1).all()
    # Border filled with grey where the image moved away.
    assert (out['source'] == 128).any()


def test_affine_target_is_damped():
    import random
    random.seed(7)
    centre = np.full((18, 2), -1.0, dtype=np.float32)
    centre[0] = (32, 64)  # the rotation centre of a 128x64 image
    img = np.zeros((128, 64, 3), np.uint8)
    t = TRANSFORMS.build(dict(type='PoseAffineAugment'))
    out = t(dict(source=img, target=img, source_keypoints=centre,
                 target_keypoints=centre))
    src_shift = out['source_keypoints'][0] - centre[0]
    tgt_shift = out['target_keypoints'][0] - centre[0]
    assert np.abs(src_shift).max() <= 5 and np.abs(src_shift).max() > 0
    np.testing.assert_allclose(tgt_shift, src_shift / 2, atol=1e-4)
