# Copyright (c) OpenMMLab. All rights reserved.
"""Keypoint conventions shared by every layer: how a missing joint is
marked and how keypoints move between frame sizes (numpy only)."""
from typing import Optional, Sequence, Tuple

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


def normalize_screen_coordinates(keypoints: np.ndarray,
                                 width: float) -> np.ndarray:
    """Pixels -> the Motion Extraction Network's coordinates: x and y both
    divided by the frame *width*, ``v / width * 2 - 1`` (the official and
    VideoPose3D's convention; the aspect ratio is kept, so y spans
    [-h/w, h/w]).

    Args:
        keypoints (np.ndarray | Tensor): (..., 2) (x, y) pixels.
        width (float): Frame width in pixels (1000 for Human3.6M).
    """
    return keypoints / width * 2 - 1


def unnormalize_screen_coordinates(keypoints: np.ndarray,
                                   width: float) -> np.ndarray:
    """Inverse of :func:`normalize_screen_coordinates`: back to pixels."""
    return (keypoints + 1) * width / 2


def fill_missing_joints(track: np.ndarray,
                        present: Optional[np.ndarray] = None,
                        mirror: Optional[Sequence[int]] = None,
                        name: str = 'track') -> Tuple[np.ndarray, int]:
    """Fills the joints missing in some frames of a track, for networks
    that need every joint in every frame (the Motion Extraction Network).

    A joint missing in some frames is interpolated linearly in time between
    the nearest frames that have it and held (copied) before the first and
    after the last. A joint missing in *every* frame takes its mirror
    joint's track (``mirror``, e.g. the left ear for the right one), else
    the centroid of the frame's other joints.

    Args:
        track (np.ndarray): (T, K, 2) (x, y); values of missing joints are
            ignored.
        present (np.ndarray, optional): (T, K) bool. Defaults to
            :func:`joints_present`.
        mirror (Sequence[int], optional): K indices, each joint's mirror.
        name (str): What the track is, for the error message.

    Returns:
        tuple: The (T, K, 2) float64 filled track and the number of joint
        positions filled.

    Raises:
        ValueError: The track has no joint in any frame (no person).
    """
    track = np.asarray(track, dtype=np.float64)
    if track.ndim != 3 or track.shape[-1] != 2:
        raise ValueError(f'{name}: a track must have shape (T, K, 2), got '
                         f'{track.shape}')
    present = (joints_present(track) if present is None else
               np.asarray(present, dtype=bool) & np.isfinite(track).all(-1))
    if present.shape != track.shape[:2]:
        raise ValueError(f'{name}: mask of shape {present.shape} does not '
                         f'match the track {track.shape}')
    if len(track) == 0 or not present.any():
        raise ValueError(f'{name}: no joint in any of its {len(track)} '
                         'frames (no person found)')
    out = np.full_like(track, np.nan)
    frames = np.arange(len(track))
    for k in range(track.shape[1]):
        seen = np.flatnonzero(present[:, k])
        if len(seen) == 0:
            continue
        for c in range(2):
            # np.interp holds the end values outside [seen[0], seen[-1]].
            out[:, k, c] = np.interp(frames, seen, track[seen, k, c])
    never = ~present.any(0)
    if never.any():
        centroid = np.nanmean(out[:, ~never], axis=1)
        for k in np.flatnonzero(never):
            m = mirror[k] if mirror is not None else k
            out[:, k] = out[:, m] if not never[m] else centroid
    return out, int((~present).sum())


__all__ = [
    'MISSING', 'joints_present', 'inside_frame', 'rescale_keypoints',
    'normalize_screen_coordinates', 'unnormalize_screen_coordinates',
    'fill_missing_joints'
]
