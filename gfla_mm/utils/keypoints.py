# Copyright (c) OpenMMLab. All rights reserved.
"""Keypoint conventions shared by every layer: how a missing joint is
marked and how keypoints move between frame sizes (numpy only)."""
from typing import Sequence

import numpy as np

# A joint that was not detected has both coordinates -1 (the official
# GFLA annotation CSVs, OpenPose's convention).
MISSING = -1


def joints_present(keypoints: np.ndarray) -> np.ndarray:
    """Which joints are there: neither coordinate is :data:`MISSING` (nor
    NaN/inf).

    Args:
        keypoints (np.ndarray): (..., K, 2) (x, y) pixels.

    Returns:
        np.ndarray: (..., K) bool.
    """
    kps = np.asarray(keypoints)
    return (kps != MISSING).all(axis=-1) & np.isfinite(kps).all(axis=-1)


def inside_frame(keypoints: np.ndarray, size: Sequence[int]) -> np.ndarray:
    """Which joints are present and inside an (H, W) frame, i.e. in
    [0, W) x [0, H).

    Args:
        keypoints (np.ndarray): (..., K, 2) (x, y) pixels.
        size (Sequence[int]): (H, W).

    Returns:
        np.ndarray: (..., K) bool.
    """
    kps = np.asarray(keypoints)
    h, w = size
    return (joints_present(kps) & (kps >= 0).all(axis=-1) &
            (kps[..., 0] < w) & (kps[..., 1] < h))


def rescale_keypoints(keypoints: np.ndarray, src_size: Sequence[int],
                      dst_size: Sequence[int]) -> np.ndarray:
    """Stretches (x, y) keypoints from one (H, W) frame to another.

    Args:
        keypoints (np.ndarray): (..., K, 2) (x, y) pixels in ``src_size``;
            -1 marks a missing joint, which stays -1.
        src_size, dst_size (Sequence[int]): (H, W) of the two frames.

    Returns:
        np.ndarray: float32 keypoints in ``dst_size``.
    """
    kps = np.asarray(keypoints, dtype=np.float32)
    scale = np.array([dst_size[1] / src_size[1], dst_size[0] / src_size[0]],
                     np.float32)
    return np.where(joints_present(kps)[..., None], kps * scale,
                    MISSING).astype(np.float32)


__all__ = ['MISSING', 'joints_present', 'inside_frame', 'rescale_keypoints']
