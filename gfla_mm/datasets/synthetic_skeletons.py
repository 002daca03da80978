# Copyright (c) OpenMMLab. All rights reserved.
"""Synthetic skeleton tracks for the Motion Extraction Network: a mannequin
moving smoothly (exact joints), its clean Human3.6M-17 track and what a
2-D pose detector would report as COCO-17 (jitter, bias, outliers,
left/right swaps, dropped joints). Numpy only, deterministic per seed."""
from typing import Dict, Tuple

import numpy as np

from gfla_mm.utils import MISSING, inside_frame

from .keypoint_formats import (
                               COCO17_FLIP_INDEX,
                               COCO17_NAMES,
                               coco17_to_h36m17,
                               openpose18_to_coco17,
)
from .synthetic import Mannequin, smooth_track

# The detector's systematic offsets from the ground truth's joint
# definitions, in body heights, (dx, dy) per COCO-17 joint: detected hips
# sit higher and wider than H36M's hip-joint centres, shoulders lower, and
# the nose above the ground truth's neck_base. The network has to learn
# these, as it learns Detectron's COCO -> H36M offsets on Human3.6M.
DETECTOR_BIAS = {
    'nose': (0.0, -0.02),
    'left_shoulder': (0.0, 0.012),
    'right_shoulder': (0.0, 0.012),
    'left_hip': (0.015, -0.02),
    'right_hip': (-0.015, -0.02),
}
# COCO's per-joint keypoint sigmas (the OKS constants of mmpose's
# configs/_base_/datasets/coco.py): how much annotators disagree per joint,
# in object scales. Detector jitter follows the same pattern: hips and knees
# vibrate most, the face least.
COCO17_SIGMAS = np.array([
    0.026, 0.025, 0.025, 0.035, 0.035, 0.079, 0.079, 0.072, 0.072, 0.062,
    0.062, 0.107, 0.107, 0.087, 0.087, 0.089, 0.089
])
# Pairs swapped together in a left/right confusion: arms, legs.
_SWAP_GROUPS = (('shoulder', 'elbow', 'wrist'), ('hip', 'knee', 'ankle'))


def mannequin_motion(rng: np.random.Generator,
                     num_frames: int,
                     size: Tuple[int, int] = (256, 256),
                     keyframe_every: Tuple[int, int] = (30, 60),
                     person: Mannequin = None) -> np.ndarray:
    """Exact OpenPose-18 joints (num_frames, 18, 2) in pixels of an (H, W)
    frame: random poses as evenly spaced keyframes (a gap of 30-60 frames
    on average: 1-2 s at 30 fps, about a fashion video's pace), eased
    between, plus a slow drift of the whole body."""
    person = person or Mannequin(rng)
    gaps = rng.integers(*keyframe_every, size=num_frames // 12 + 2)
    num_keys = int(np.searchsorted(np.cumsum(gaps), num_frames)) + 2
    keys = np.stack([person.pose(rng, size) for _ in range(num_keys)])
    track = smooth_track(keys, num_frames)
    drift = np.linspace(0, 1, num_frames)[:, None] * rng.uniform(
        -0.1, 0.1, size=2) * size[1]
    return track + drift[:, None, :]


def detector_noise(rng: np.random.Generator,
                   coco: np.ndarray,
                   size: Tuple[int, int],
                   jitter: float = 0.3,
                   drift: float = 0.004,
                   track_offset: float = 0.003,
                   outlier_prob: float = 0.01,
                   swap_prob: float = 0.005,
                   drop_prob: float = 0.03) -> Tuple[np.ndarray, np.ndarray]:
    """What a per-frame 2-D pose detector reports for exact COCO-17 joints.

    Sizes are fractions of the body height (the track's median top-to-bottom
    extent): white jitter of ``jitter`` x :data:`COCO17_SIGMAS` per joint
    (the frame-to-frame vibration of a per-image detector, which the
    network removes; 0.3: 3.2 % of the body for hips, 0.8 % for the nose);
    temporally correlated error ``drift`` (smoothed over ~10 frames) and a
    per-track per-joint offset ``track_offset`` (both look like motion or
    body shape: no denoiser can remove them, so they are small);
    :data:`DETECTOR_BIAS` (learnable); outliers (a joint off by 10 % of the
    body for one frame) with ``outlier_prob`` per joint and frame;
    left/right swaps of an arm or leg with ``swap_prob`` per limb and frame;
    dropped joints (``drop_prob``) and joints outside the frame come out
    missing.

    Args:
        rng (np.random.Generator): Randomness.
        coco (np.ndarray): (T, 17, 2) exact joints, pixels.
        size (tuple): (H, W) of the frame.

    Returns:
        tuple: (T, 17, 2) noisy joints (-1 = missing) and (T, 17) scores in
        [0, 1] (0 where missing, lower for outliers).
    """
    num, k = coco.shape[:2]
    height = np.median(np.ptp(coco[..., 1], axis=1))
    noisy = coco + rng.normal(0, 1, coco.shape) * (
        jitter * height * COCO17_SIGMAS[:, None])
    slow = rng.normal(0, 1, (num + 20, k, 2))
    kernel = np.hanning(11) / np.hanning(11).sum()
    slow = np.apply_along_axis(np.convolve, 0, slow, kernel, 'valid')[:num]
    noisy += slow / np.sqrt((kernel**2).sum()) * drift * height
    noisy += rng.normal(0, track_offset * height, (1, k, 2))
    for name, offset in DETECTOR_BIAS.items():
        noisy[:, COCO17_NAMES.index(name)] += np.array(offset) * height
    scores = rng.uniform(0.6, 1.0, (num, k))
    outlier = rng.random((num, k)) < outlier_prob
    angle = rng.uniform(0, 2 * np.pi, (num, k))
    jump = np.stack([np.cos(angle), np.sin(angle)], -1) * 0.1 * height
    noisy[outlier] += jump[outlier]
    scores[outlier] *= 0.5
    for group in _SWAP_GROUPS:
        left = [COCO17_NAMES.index(f'left_{j}') for j in group]
        right = [COCO17_FLIP_INDEX[i] for i in left]
        swap = np.flatnonzero(rng.random(num) < swap_prob)
        noisy[np.ix_(swap, left + right)] = noisy[np.ix_(swap,
                                                         right + left)]
    keep = inside_frame(noisy, size) & (rng.random((num, k)) >= drop_prob)
    noisy[~keep] = MISSING
    scores[~keep] = 0
    return noisy, scores


def synthetic_skeleton_track(rng: np.random.Generator,
                             num_frames: int,
                             size: Tuple[int, int] = (256, 256),
                             **noise) -> Dict[str, np.ndarray]:
    """One synthetic track: clean Human3.6M-17 and noisy detected COCO-17.

    Args:
        rng (np.random.Generator): Randomness.
        num_frames (int): T.
        size (tuple): (H, W) frame the joints live in.
        **noise: Options of :func:`detector_noise`.

    Returns:
        dict: ``openpose`` (T, 18, 2) exact joints, ``clean`` (T, 17, 2) the
        Human3.6M-17 ground truth (:func:`coco17_to_h36m17` of the exact
        joints; never missing), ``noisy`` (T, 17, 2) COCO-17 detections
        (-1 = missing) and ``scores`` (T, 17), all float64 pixels.
    """
    exact = mannequin_motion(rng, num_frames, size)
    coco, _ = openpose18_to_coco17(exact)
    noisy, scores = detector_noise(rng, coco, size, **noise)
    return dict(openpose=exact, clean=coco17_to_h36m17(coco),
                noisy=noisy, scores=scores)


__all__ = [
    'COCO17_SIGMAS', 'DETECTOR_BIAS', 'mannequin_motion', 'detector_noise',
    'synthetic_skeleton_track'
]
