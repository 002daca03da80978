# Copyright (c) OpenMMLab. All rights reserved.
"""Keypoint formats: OpenPose-18 (GFLA's), COCO-17 (mmpose's), Human3.6M-17.

Arrays are (..., K, 2) in (x, y) pixels unless said otherwise; a missing
joint is (-1, -1) in OpenPose-18, as in the official annotation CSVs.
"""
from typing import List, Optional, Tuple

import numpy as np

from gfla_mm.utils.keypoints import (
    MISSING,  # re-exported: a format fact
    joints_present,
)

# OpenPose-18 joint names (the CSV channel order GFLA's data uses).
OPENPOSE18_NAMES = (
    'nose', 'neck', 'right_shoulder', 'right_elbow', 'right_wrist',
    'left_shoulder', 'left_elbow', 'left_wrist', 'right_hip', 'right_knee',
    'right_ankle', 'left_hip', 'left_knee', 'left_ankle', 'right_eye',
    'left_eye', 'right_ear', 'left_ear')

# COCO-17 joint names (mmpose's configs/_base_/datasets/coco.py order).
COCO17_NAMES = (
    'nose', 'left_eye', 'right_eye', 'left_ear', 'right_ear',
    'left_shoulder', 'right_shoulder', 'left_elbow', 'right_elbow',
    'left_wrist', 'right_wrist', 'left_hip', 'right_hip', 'left_knee',
    'right_knee', 'left_ankle', 'right_ankle')

# Human3.6M-17 joint names (the animation model's skeletons).
H36M17_NAMES = (
    'pelvis', 'right_hip', 'right_knee', 'right_ankle', 'left_hip',
    'left_knee', 'left_ankle', 'spine', 'thorax', 'neck_base', 'head',
    'left_shoulder', 'left_elbow', 'left_wrist', 'right_shoulder',
    'right_elbow', 'right_wrist')

# Limbs of OpenPose-18 for drawing skeletons (pairs of joint indices).
OPENPOSE18_LIMBS: Tuple[Tuple[int, int], ...] = (
    (1, 2), (1, 5), (2, 3), (3, 4), (5, 6), (6, 7), (1, 8), (8, 9), (9, 10),
    (1, 11), (11, 12), (12, 13), (1, 0), (0, 14), (14, 16), (0, 15),
    (15, 17))


def _flip_index(names) -> List[int]:
    """For each joint, the index of its mirror image (left <-> right)."""
    swapped = [
        n.replace('left', '#').replace('right', 'left').replace('#', 'right')
        for n in names
    ]
    return [names.index(n) for n in swapped]


OPENPOSE18_FLIP_INDEX = _flip_index(OPENPOSE18_NAMES)
COCO17_FLIP_INDEX = _flip_index(COCO17_NAMES)
H36M17_FLIP_INDEX = _flip_index(H36M17_NAMES)


def _check(keypoints: np.ndarray, num: int, name: str) -> np.ndarray:
    keypoints = np.asarray(keypoints, dtype=np.float64)
    if keypoints.ndim < 2 or keypoints.shape[-2:] != (num, 2):
        raise ValueError(f'{name} keypoints must have shape (..., {num}, 2), '
                         f'got {keypoints.shape}')
    return keypoints


def coco17_to_openpose18(keypoints: np.ndarray,
                         scores: np.ndarray,
                         score_thr: float = 0.3) -> np.ndarray:
    """COCO-17 (x, y) + scores -> OpenPose-18 with -1 for missing joints.

    The neck is the shoulder midpoint, missing if either shoulder is.

    Args:
        keypoints (np.ndarray): (..., 17, 2) pixels.
        scores (np.ndarray): (..., 17) confidences.
        score_thr (float): Joints scoring below this are missing.

    Returns:
        np.ndarray: (..., 18, 2).
    """
    keypoints = _check(keypoints, 17, 'COCO-17')
    scores = np.asarray(scores, dtype=np.float64)
    if scores.shape != keypoints.shape[:-1]:
        raise ValueError(f'scores of shape {scores.shape} do not match '
                         f'keypoints of shape {keypoints.shape}')
    visible = scores >= score_thr
    out = np.full(keypoints.shape[:-2] + (18, 2), MISSING, dtype=np.float64)
    for op_idx, name in enumerate(OPENPOSE18_NAMES):
        if name == 'neck':
            ls, rs = (COCO17_NAMES.index('left_shoulder'),
                      COCO17_NAMES.index('right_shoulder'))
            both = visible[..., ls] & visible[..., rs]
            mid = (keypoints[..., ls, :] + keypoints[..., rs, :]) / 2
            out[..., op_idx, :] = np.where(both[..., None], mid, MISSING)
        else:
            ci = COCO17_NAMES.index(name)
            out[..., op_idx, :] = np.where(visible[..., ci, None],
                                           keypoints[..., ci, :], MISSING)
    return out


def openpose18_to_coco17(keypoints: np.ndarray) -> Tuple[np.ndarray,
                                                        np.ndarray]:
    """OpenPose-18 -> COCO-17 (the neck is dropped).

    Returns:
        tuple: (..., 17, 2) keypoints and (..., 17) visibility (0/1).
    """
    keypoints = _check(keypoints, 18, 'OpenPose-18')
    index = [OPENPOSE18_NAMES.index(n) for n in COCO17_NAMES]
    coco = keypoints[..., index, :]
    visible = (coco >= 0).all(-1).astype(np.float64)
    return coco, visible


# Human3.6M-17 joints COCO-17 has under the same name; the others are
# derived (mmpose's ``convert_keypoint_definition`` for COCO -> H36M, so that
# skeletons agree with mmpose's pose lifters).
_H36M_FROM_COCO = {
    n: COCO17_NAMES.index(n)
    for n in H36M17_NAMES if n in COCO17_NAMES
}
_H36M_FROM_COCO['neck_base'] = COCO17_NAMES.index('nose')


def _midpoint(a: np.ndarray, b: np.ndarray, ok_a: np.ndarray,
              ok_b: np.ndarray) -> Tuple[np.ndarray, np.ndarray]:
    ok = ok_a & ok_b
    return np.where(ok[..., None], (a + b) / 2, MISSING), ok


def coco17_to_h36m17(keypoints: np.ndarray,
                     visible: Optional[np.ndarray] = None) -> np.ndarray:
    """COCO-17 -> Human3.6M-17, joints derived as mmpose does:

    pelvis = hip midpoint, thorax = shoulder midpoint, spine = midpoint of
    pelvis and thorax, neck_base = nose, head = eye midpoint; limbs copied.
    A derived joint is missing (-1) when one of its inputs is.

    Args:
        keypoints (np.ndarray): (..., 17, 2) pixels.
        visible (np.ndarray, optional): (..., 17), nonzero = present.
            Defaults to "not -1".

    Returns:
        np.ndarray: (..., 17, 2) float64.
    """
    keypoints = _check(keypoints, 17, 'COCO-17')
    ok = (joints_present(keypoints) if visible is None else
          np.asarray(visible).astype(bool) & joints_present(keypoints))
    out = np.full(keypoints.shape, MISSING, dtype=np.float64)
    out_ok = np.zeros(keypoints.shape[:-1], dtype=bool)
    for h_idx, name in enumerate(H36M17_NAMES):
        if name in _H36M_FROM_COCO:
            c = _H36M_FROM_COCO[name]
            out[..., h_idx, :] = np.where(ok[..., c, None],
                                          keypoints[..., c, :], MISSING)
            out_ok[..., h_idx] = ok[..., c]

    def coco_mid(a: str, b: str):
        ia, ib = COCO17_NAMES.index(a), COCO17_NAMES.index(b)
        return _midpoint(keypoints[..., ia, :], keypoints[..., ib, :],
                         ok[..., ia], ok[..., ib])

    h = H36M17_NAMES.index
    out[..., h('pelvis'), :], out_ok[..., h('pelvis')] = coco_mid(
        'left_hip', 'right_hip')
    out[..., h('thorax'), :], out_ok[..., h('thorax')] = coco_mid(
        'left_shoulder', 'right_shoulder')
    out[..., h('head'), :], _ = coco_mid('left_eye', 'right_eye')
    out[..., h('spine'), :], _ = _midpoint(
        out[..., h('pelvis'), :], out[..., h('thorax'), :],
        out_ok[..., h('pelvis')], out_ok[..., h('thorax')])
    return out


def h36m17_to_coco17(keypoints: np.ndarray) -> Tuple[np.ndarray,
                                                    np.ndarray]:
    """Human3.6M-17 -> COCO-17: limbs copied, the nose from neck_base (the
    inverse of :func:`coco17_to_h36m17`); eyes and ears, which H36M does not
    have, come out missing.

    Returns:
        tuple: (..., 17, 2) keypoints (-1 where missing) and (..., 17)
        visibility (0/1).
    """
    keypoints = _check(keypoints, 17, 'Human3.6M-17')
    out = np.full(keypoints.shape, MISSING, dtype=np.float64)
    for name, c in _H36M_FROM_COCO.items():
        out[..., c, :] = keypoints[..., H36M17_NAMES.index(name), :]
    visible = joints_present(out)
    out[~visible] = MISSING
    return out, visible.astype(np.float64)


def openpose18_to_h36m17(keypoints: np.ndarray) -> np.ndarray:
    """OpenPose-18 -> Human3.6M-17 through COCO-17
    (:func:`coco17_to_h36m17`; the thorax is the shoulder midpoint, not
    OpenPose's own neck estimate)."""
    coco, visible = openpose18_to_coco17(keypoints)
    return coco17_to_h36m17(coco, visible)


def h36m17_to_openpose18(keypoints: np.ndarray) -> np.ndarray:
    """Human3.6M-17 -> OpenPose-18 through COCO-17: eyes and ears missing
    (-1), the neck the shoulder midpoint, the nose H36M's neck_base."""
    coco, visible = h36m17_to_coco17(keypoints)
    return coco17_to_openpose18(coco, visible, score_thr=0.5)


__all__ = [
    'MISSING', 'OPENPOSE18_NAMES', 'COCO17_NAMES', 'H36M17_NAMES',
    'OPENPOSE18_LIMBS', 'OPENPOSE18_FLIP_INDEX', 'COCO17_FLIP_INDEX',
    'H36M17_FLIP_INDEX', 'coco17_to_openpose18', 'openpose18_to_coco17',
    'h36m17_to_openpose18', 'openpose18_to_h36m17', 'coco17_to_h36m17',
    'h36m17_to_coco17'
]
