# Copyright (c) OpenMMLab. All rights reserved.
import numpy as np
import pytest

from gfla_mm.datasets import COCO17_NAMES, H36M17_NAMES
from gfla_mm.datasets.transforms import (
    RenderClipSkeletons,
    official_bone_image,
    official_pose_heatmaps,
    render_structure,
)
from gfla_mm.datasets.transforms.skeleton_render import (
    COCO17_BONES,
    H36M17_BONES,
    joint_colours,
)

SIZE = (48, 40)


def h36m_pose():
    """A standing H36M-17 skeleton, integer pixels inside 48x40."""
    pts = dict(pelvis=(20, 26), right_hip=(16, 26), right_knee=(15, 35),
               right_ankle=(15, 44), left_hip=(24, 26), left_knee=(25, 35),
               left_ankle=(25, 44), spine=(20, 18), thorax=(20, 11),
               neck_base=(20, 9), head=(20, 4), left_shoulder=(27, 11),
               left_elbow=(31, 17), left_wrist=(33, 23),
               right_shoulder=(13, 11), right_elbow=(9, 17),
               right_wrist=(7, 23))
    return np.array([pts[n] for n in H36M17_NAMES], np.float32)


def test_bone_lists_name_real_limbs():
    def names(bones, table):
        return {frozenset((table[a], table[b])) for a, b in bones}

    h36m = names(H36M17_BONES, H36M17_NAMES)
    assert frozenset(('left_elbow', 'left_wrist')) in h36m
    assert frozenset(('thorax', 'right_shoulder')) in h36m
    assert len(h36m) == 16
    coco = names(COCO17_BONES, COCO17_NAMES)
    assert frozenset(('left_shoulder', 'left_hip')) in coco
    assert frozenset(('nose', 'left_eye')) in coco and len(coco) == 16


def test_joint_colours_are_the_voc_palette():
    c = joint_colours(17)
    assert c[0].tolist() == [0, 0, 0]
    assert c[1].tolist() == [128, 0, 0] and c[2].tolist() == [0, 128, 0]
    assert c[7].tolist() == [128, 128, 128]
    assert c[8].tolist() == [64, 0, 0] and c[16].tolist() == [0, 64, 0]


def test_heatmap_peaks_at_joints():
    kps = h36m_pose()
    s = render_structure(kps, SIZE, H36M17_BONES)
    assert s.shape == (48, 40, 20) and s.dtype == np.float32
    for k, (x, y) in enumerate(kps.astype(int)):
        peak = np.unravel_index(np.argmax(s[..., k]), SIZE)
        assert peak == (y, x) and s[y, x, k] == pytest.approx(1.0)
    # sigma 6 px: one sigma away exp(-1/2)
    x, y = kps[0].astype(int)
    assert s[y, x + 6, 0] == pytest.approx(np.exp(-0.5), rel=1e-5)


def test_heatmaps_are_not_truncated_like_the_official_animation_maps():
    kps = np.array([[10.7, 5.0]])
    exact = official_pose_heatmaps(kps, SIZE, truncate=False)
    assert np.argmax(exact[5, :, 0]) == 11
    assert exact[5, 10, 0] == pytest.approx(np.exp(-0.7**2 / 72))
    assert np.argmax(official_pose_heatmaps(kps, SIZE)[5, :, 0]) == 10
    # the structure uses the exact coordinates; the bone image truncates
    full = np.array([[-1, -1], [10.7, 5.0]] + [[-1, -1]] * 15)
    s = render_structure(full, SIZE, H36M17_BONES)
    assert np.argmax(s[5, :, 1]) == 11
    assert s[5, 11, 17:].tolist() == joint_colours(17)[1].tolist()
    assert s[5, 12, 17:].tolist() == [0, 0, 0]  # disk centred on x = 10


def test_bone_image_along_limbs():
    kps = h36m_pose()
    img = official_bone_image(kps, SIZE, H36M17_BONES)
    assert img.dtype == np.uint8 and img.shape == (48, 40, 3)
    # the lower leg: (15, 35) -> (15, 44); its middle, away from the disks
    assert img[39, 15].tolist() == [255, 255, 255]
    assert img[39, 5].tolist() == [0, 0, 0]
    # a diagonal limb: anti-aliased grey pixels (R = G = B) in 0..255
    mid = img[13:16, 9:13]
    assert mid.max() > 0 and (mid[..., 0] == mid[..., 1]).all()
    # joint disks in their colours, radius 2 (skimage: distance < 2)
    wrist = H36M17_NAMES.index('left_wrist')
    x, y = kps[wrist].astype(int)
    assert img[y, x].tolist() == joint_colours(17)[wrist].tolist()
    assert img[y + 1, x].tolist() == joint_colours(17)[wrist].tolist()
    assert img[y + 2, x].tolist() != joint_colours(17)[wrist].tolist()
    s = render_structure(kps, SIZE, H36M17_BONES)
    np.testing.assert_array_equal(s[..., 17:], img.astype(np.float32))
    assert s[..., 17:].max() == 255  # not normalised


def test_missing_joints_give_empty_channels():
    kps = h36m_pose()
    knee = H36M17_NAMES.index('right_knee')
    kps[knee] = -1
    s = render_structure(kps, SIZE, H36M17_BONES)
    assert not s[..., knee].any()
    # no bones to or from it: the thigh and shin are gone, the disk too
    assert s[39, 15, 17:].tolist() == [0, 0, 0]
    assert s[35, 15, 17:].tolist() == [0, 0, 0]
    # the other leg is intact
    assert s[39, 25, 17:].tolist() == [255, 255, 255]
    nothing = render_structure(np.full((17, 2), -1.0), SIZE, H36M17_BONES)
    assert not nothing.any()


def test_limbs_leaving_the_image_are_clipped_onto_its_border():
    kps = np.full((17, 2), -1.0)
    kps[0], kps[1] = (20, 30), (-30, 30)  # pelvis -> right hip, off-image
    img = official_bone_image(kps, SIZE, H36M17_BONES)
    assert img[30, 0].max() > 0  # the official np.clip piles them there
    assert img[30, 1:17].max() > 0


def test_transform_renders_reference_with_coco_bones():
    kps = h36m_pose()
    results = dict(frames=np.zeros((3, 48, 40, 3), np.uint8),
                   keypoints=np.stack([kps, kps, kps * 0 - 1]),
                   ref_keypoints=kps)
    out = RenderClipSkeletons()(results)
    assert out['skeletons'].shape == (3, 48, 40, 20)
    assert out['ref_skeleton'].shape == (48, 40, 20)
    np.testing.assert_array_equal(out['skeletons'][0], out['skeletons'][1])
    assert not out['skeletons'][2].any()
    # same heatmaps, different bones: the reference is drawn as COCO-17
    np.testing.assert_array_equal(out['ref_skeleton'][..., :17],
                                  out['skeletons'][0][..., :17])
    np.testing.assert_array_equal(
        out['ref_skeleton'][..., 17:],
        official_bone_image(kps, SIZE, COCO17_BONES))
    assert (out['ref_skeleton'][..., 17:] != out['skeletons'][0][...,
                                                                17:]).any()
    no_bones = RenderClipSkeletons(bone_image=False)(results)
    assert no_bones['skeletons'].shape[-1] == 17
    with pytest.raises(ValueError, match=r'\(T, 17, 2\)'):
        RenderClipSkeletons()(dict(results, keypoints=kps))


def test_pose_maps_for_the_image_model():
    # Naive-Animation: 18 OpenPose maps per driving frame and reference.
    from gfla_mm.datasets import OPENPOSE18_NAMES
    from gfla_mm.datasets.transforms import RenderClipPoseMaps
    kps = h36m_pose()
    coco = np.full((17, 2), -1, np.float32)
    coco[COCO17_NAMES.index('left_wrist')] = (33, 23)
    coco[COCO17_NAMES.index('left_shoulder')] = (27, 11)
    coco[COCO17_NAMES.index('right_shoulder')] = (13, 11)
    out = RenderClipPoseMaps()(
        dict(frames=np.zeros((2, 48, 40, 3), np.uint8),
             keypoints=np.stack([kps, kps * 0 - 1]),
             ref_keypoints=coco))
    assert out['pose_maps'].shape == (2, 48, 40, 18)
    assert out['ref_pose_map'].shape == (48, 40, 18)
    wrist = OPENPOSE18_NAMES.index('left_wrist')
    assert np.unravel_index(out['pose_maps'][0][..., wrist].argmax(),
                            SIZE) == (23, 33)
    assert not out['pose_maps'][1].any()  # all joints missing
    # The reference's neck is its shoulder midpoint; its eyes are missing.
    neck = OPENPOSE18_NAMES.index('neck')
    assert np.unravel_index(out['ref_pose_map'][..., neck].argmax(),
                            SIZE) == (11, 20)
    assert not out['ref_pose_map'][...,
                                   OPENPOSE18_NAMES.index('left_eye')].any()
