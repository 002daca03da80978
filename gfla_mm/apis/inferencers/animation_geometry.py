# Copyright (c) OpenMMLab. All rights reserved.
"""Where the people go when a photo is animated: the photo fitted to the
model's frame, and a driving skeleton track moved onto the photo's person
(numpy and OpenCV only)."""
from typing import NamedTuple, Sequence, Tuple

import cv2
import numpy as np

from gfla_mm.datasets.transforms.skeleton_render import H36M17_BONES
from gfla_mm.utils import MISSING, joints_present

FIT_MODES = ('stretch', 'pad')
RETARGET_MODES = ('align', 'none')
# Human3.6M-17 joints the track is anchored at, in order of preference.
PELVIS, THORAX = 0, 8


class FrameFit(NamedTuple):
    """An axis-aligned map from a (H, W) frame onto the model's frame:
    ``x' = x * scale[0] + offset[0]``, ``y' = y * scale[1] + offset[1]``."""
    scale: Tuple[float, float]
    offset: Tuple[float, float]
    resized: Tuple[int, int]  # (H, W) of the frame's picture once scaled


def frame_fit(src_size: Sequence[int], dst_size: Sequence[int],
              mode: str = 'stretch') -> FrameFit:
    """How a (H, W) frame maps onto the model's (H, W) frame.

    Args:
        src_size (Sequence[int]): (H, W) of the photo or driving frame.
        dst_size (Sequence[int]): (H, W) of the model's frames.
        mode (str): ``'stretch'``: x and y scaled independently (what the
            data converters did to FashionVideo/iPER videos and what the
            image inferencer does); ``'pad'``: one scale that fits the
            frame inside, centred, the rest padded.

    Raises:
        ValueError: unknown mode or an empty size.
    """
    if mode not in FIT_MODES:
        raise ValueError(f'fit must be one of {FIT_MODES}, got {mode!r}')
    (sh, sw), (dh, dw) = src_size[:2], dst_size[:2]
    if min(sh, sw, dh, dw) <= 0:
        raise ValueError(f'frame sizes must be > 0, got {tuple(src_size)} '
                         f'-> {tuple(dst_size)}')
    if mode == 'stretch':
        return FrameFit((dw / sw, dh / sh), (0.0, 0.0), (dh, dw))
    s = min(dw / sw, dh / sh)
    rh, rw = max(1, round(sh * s)), max(1, round(sw * s))
    return FrameFit((rw / sw, rh / sh), ((dw - rw) // 2, (dh - rh) // 2),
                    (rh, rw))


def fit_image(image: np.ndarray, dst_size: Sequence[int],
              fit: FrameFit) -> np.ndarray:
    """Resizes an (H, W, 3) image by ``fit`` (bicubic, as the data
    converters and ``LoadClipFrames``) and pads it to ``dst_size`` with its
    border pixels (``'pad'``: background-coloured margins)."""
    rh, rw = fit.resized
    out = cv2.resize(image, (rw, rh), interpolation=cv2.INTER_CUBIC)
    top, left = int(fit.offset[1]), int(fit.offset[0])
    bottom, right = dst_size[0] - rh - top, dst_size[1] - rw - left
    if top or left or bottom or right:
        out = cv2.copyMakeBorder(out, top, bottom, left, right,
                                 cv2.BORDER_REPLICATE)
    return out


def fit_keypoints(keypoints: np.ndarray, fit: FrameFit) -> np.ndarray:
    """(..., K, 2) keypoints mapped by ``fit``; missing joints stay
    missing."""
    kps = np.asarray(keypoints, np.float64)
    out = kps * np.asarray(fit.scale) + np.asarray(fit.offset)
    return np.where(joints_present(kps)[..., None], out, MISSING)


def _bone_length(kps: np.ndarray, bones) -> np.ndarray:
    """(..., len(bones)) lengths of bones of (..., 17, 2) keypoints."""
    a, b = zip(*bones)
    return np.linalg.norm(kps[..., list(a), :] - kps[..., list(b), :],
                          axis=-1)


def align_track(track: np.ndarray,
                source: np.ndarray) -> Tuple[np.ndarray, float, np.ndarray]:
    """Moves a driving track onto the source person: one scale and one
    shift for the whole track (its motion is kept).

    The scale is the ratio of the summed lengths of the Human3.6M-17 bones
    the source shows (both joints present) to the same bones' summed
    lengths in the track (median over its frames; bone lengths do not
    change with the pose, unlike a bounding box). The shift puts the
    track's first-frame pelvis on the source's pelvis (the thorax if the
    source shows no pelvis, else the centroid of the joints it shows).

    Args:
        track (np.ndarray): (T, 17, 2) Human3.6M-17, every joint present.
        source (np.ndarray): (17, 2) Human3.6M-17 of the source, -1 where
            missing.

    Returns:
        tuple: the (T, 17, 2) aligned track, the scale, the (2,) shift.

    Raises:
        ValueError: the source shows no joint.
    """
    track = np.asarray(track, np.float64)
    source = np.asarray(source, np.float64)
    seen = joints_present(source)
    if not seen.any():
        raise ValueError('the source skeleton has no joint to align to')
    bones = [(a, b) for a, b in H36M17_BONES if seen[a] and seen[b]]
    scale = 1.0
    if bones:
        src_len = _bone_length(source, bones).sum()
        drv_len = float(np.median(_bone_length(track, bones).sum(-1)))
        if src_len > 1e-6 and drv_len > 1e-6:
            scale = float(src_len / drv_len)
    for anchor in (PELVIS, THORAX):
        if seen[anchor]:
            src_at, drv_at = source[anchor], track[0, anchor]
            break
    else:
        src_at, drv_at = source[seen].mean(0), track[0, seen].mean(0)
    shift = src_at - scale * drv_at
    return track * scale + shift, scale, shift


__all__ = [
    'FrameFit', 'frame_fit', 'fit_image', 'fit_keypoints', 'align_track',
    'FIT_MODES', 'RETARGET_MODES'
]
