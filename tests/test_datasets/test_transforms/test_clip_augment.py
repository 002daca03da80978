# Copyright (c) OpenMMLab. All rights reserved.
import math

import numpy as np
import pytest

from gfla_mm.datasets.transforms import (
    ClipAffineAugment,
    official_affine_matrix,
)

H, W = 48, 40
IPER = dict(angle=5, shift=(0, 0), scale=(1, 1), fill=0, ref_own_draw=False)


def official_reference(size, angle, shift, scale):
    """The official keypoint matrix, T C RSS C^-1, written out."""
    h, w = size
    cx, cy = w * 0.5 + 0.5, h * 0.5 + 0.5
    a = math.radians(angle)
    rss = np.array([[math.cos(a), -math.sin(a), 0],
                    [math.sin(a), math.cos(a), 0], [0, 0, 1]]) * [scale,
                                                                   scale, 1]
    c = np.array([[1, 0, cx], [0, 1, cy], [0, 0, 1]])
    c_inv = np.array([[1, 0, -cx], [0, 1, -cy], [0, 0, 1]])
    t = np.array([[1, 0, shift[0]], [0, 1, shift[1]], [0, 0, 1]])
    return (t @ c @ rss @ c_inv)[:2]


@pytest.mark.parametrize('angle, shift, scale', [(4.0, (3.0, -2.0), 1.02),
                                                 (-5.0, (-20.0, 1.5), 0.98),
                                                 (0.0, (0.0, 0.0), 1.0)])
def test_matrix_is_the_official_one(angle, shift, scale):
    np.testing.assert_allclose(
        official_affine_matrix((H, W), angle, shift, scale),
        official_reference((H, W), angle, shift, scale), atol=1e-9)


def clip(frame, keypoints, n=3):
    return dict(frames=np.stack([frame] * n),
                keypoints=np.stack([keypoints] * n),
                ref_img=frame.copy(), ref_keypoints=keypoints[:17].copy(),
                masks=np.stack([(frame[..., 0] > 0).astype(np.uint8) * 255] *
                               n))


def dot_frame(points):
    """3x3 white dots centred on the points (nearest warping may drop a
    single pixel)."""
    img = np.zeros((H, W, 3), np.uint8)
    for x, y in points:
        img[int(y) - 1:int(y) + 2, int(x) - 1:int(x) + 2] = 255
    return img


def test_every_frame_gets_the_same_transform():
    np.random.seed(3)
    kps = np.array([[10, 12], [25, 30], [-1, -1]] + [[20, 20]] * 14,
                   np.float32)
    rng = np.random.default_rng(0)
    frame = rng.integers(0, 256, (H, W, 3), dtype=np.uint8)
    out = ClipAffineAugment()(clip(frame, kps))
    np.testing.assert_array_equal(out['frames'][0], out['frames'][1])
    np.testing.assert_array_equal(out['frames'][0], out['frames'][2])
    np.testing.assert_array_equal(out['keypoints'][0], out['keypoints'][2])
    np.testing.assert_array_equal(out['masks'][0], out['masks'][1])
    assert not np.array_equal(out['frames'][0], frame)
    # missing joints stay missing, the others are truncated to ints
    assert (out['keypoints'][:, 2] == -1).all()
    assert (out['keypoints'] == np.trunc(out['keypoints'])).all()
    m = out['clip_affine']
    expect = np.trunc(kps[:2] @ m[:, :2].T + m[:, 2])
    np.testing.assert_array_equal(out['keypoints'][1, :2], expect)


def test_keypoints_follow_the_pixels():
    np.random.seed(4)
    aug = ClipAffineAugment(angle=20, shift=(6, 4), scale=(0.9, 1.1), fill=0)
    for x, y in ((8, 9), (30, 12), (20, 38)):
        pts = np.array([[x, y]] + [[-1, -1]] * 16, np.float32)
        out = aug(clip(dot_frame(pts[:1]), pts, n=2))
        m = out['clip_affine']
        exact = pts[0] @ m[:, :2].T + m[:, 2]
        ys, xs = np.nonzero(out['frames'][1][..., 0])
        assert len(ys), f'dot at ({x}, {y}) left the image'
        # nearest warping puts the dot within a pixel of its keypoint
        assert abs(xs.mean() - exact[0]) <= 1 and abs(ys.mean() -
                                                      exact[1]) <= 1
        np.testing.assert_array_equal(out['keypoints'][1, 0],
                                      np.trunc(exact))


def test_fashion_reference_draw_and_white_fill():
    np.random.seed(5)
    kps = np.full((17, 2), 20, np.float32)
    frame = np.zeros((H, W, 3), np.uint8)
    out = ClipAffineAugment(angle=5, shift=(20, 3), scale=(0.98, 1.02))(
        clip(frame, kps))
    assert not np.allclose(out['ref_affine'], out['clip_affine'])
    # the border the shift/rotation opens is white
    assert (out['frames'] == 255).any() and (out['ref_img'] == 255).any()
    assert set(np.unique(out['masks'])) <= {0, 255}


def test_iper_shares_the_clip_transform_rotation_only():
    np.random.seed(6)
    kps = np.full((17, 2), 20, np.float32)
    rng = np.random.default_rng(1)
    frame = rng.integers(1, 256, (H, W, 3), dtype=np.uint8)
    out = ClipAffineAugment(**IPER)(clip(frame, kps))
    m = out['clip_affine']
    assert out['ref_affine'] is m
    np.testing.assert_array_equal(out['ref_img'], out['frames'][0])
    np.testing.assert_allclose(np.linalg.det(m[:, :2]), 1.0)  # no scale
    centre = np.array([W / 2 + 0.5, H / 2 + 0.5])
    np.testing.assert_allclose(m[:, :2] @ centre + m[:, 2], centre)
    if (out['frames'] == 0).any():  # black fill (the frame has no 0)
        assert (out['frames'][0][0, 0] == 0).all()


def test_options_checked():
    with pytest.raises(ValueError, match='interpolation'):
        ClipAffineAugment(interpolation='cubic')
    with pytest.raises(ValueError, match='pairs'):
        ClipAffineAugment(shift=(1, 2, 3))
