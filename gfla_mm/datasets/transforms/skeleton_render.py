# Copyright (c) OpenMMLab. All rights reserved.
"""The animation model's 20-channel structure: 17 Gaussian heatmaps and the
official RGB bone image."""
from typing import Sequence, Tuple

import numpy as np
from mmcv.transforms import BaseTransform

from gfla_mm.registry import TRANSFORMS
from gfla_mm.utils import joints_present

from ..keypoint_formats import coco17_to_openpose18, h36m17_to_openpose18
from .pose_heatmap import official_pose_heatmaps

# Limbs the official draws (``util/openpose_utils.py``): joint index pairs.
H36M17_BONES: Tuple[Tuple[int, int], ...] = (
    (0, 1), (1, 2), (2, 3), (0, 4), (4, 5), (5, 6), (0, 7), (7, 8), (8, 9),
    (9, 10), (8, 11), (11, 12), (12, 13), (8, 14), (14, 15), (15, 16))
COCO17_BONES: Tuple[Tuple[int, int], ...] = (
    (0, 1), (1, 3), (0, 2), (2, 4), (5, 7), (7, 9), (6, 8), (8, 10),
    (11, 12), (5, 6), (11, 13), (12, 14), (13, 15), (14, 16), (5, 11),
    (6, 12))
JOINT_RADIUS = 2  # official draw_joint default
STRUCTURE_CHANNELS = 20


def joint_colours(num: int) -> np.ndarray:
    """The official joint colours (``labelcolormap(N)`` for N != 18): the
    PASCAL VOC palette, bit j of the index's r/g/b bits at bit 7 - j.

    Returns:
        np.ndarray: (num, 3) uint8; index 0 is black.
    """
    out = np.zeros((num, 3), np.uint8)
    for i in range(num):
        rgb = [0, 0, 0]
        code = i
        for j in range(7):
            for c in range(3):
                rgb[c] |= ((code >> c) & 1) << (7 - j)
            code >>= 3
        out[i] = rgb
    return out


def official_bone_image(keypoints: np.ndarray, size: Tuple[int, int],
                        bones: Sequence[Tuple[int, int]]) -> np.ndarray:
    """The official animation bone image (``openpose_utils.draw_joint``).

    Coordinates are truncated to int. For each bone whose two joints are
    present, an anti-aliased 1-pixel line (``skimage.draw.line_aa``) is
    written as ``255 * coverage`` into all three channels (grey; pixels are
    overwritten, not blended; pixels outside the image are clipped onto its
    border, as the official). Then each present joint gets a disk of radius
    2 in its :func:`joint_colours` colour (clipped to the image).

    Args:
        keypoints (np.ndarray): (K, 2) (x, y) pixels, -1 missing.
        size (tuple): (H, W).
        bones (sequence): Joint index pairs, e.g. :data:`H36M17_BONES`.

    Returns:
        np.ndarray: (H, W, 3) uint8, values 0..255 (not normalised).
    """
    from skimage.draw import disk, line_aa

    h, w = size
    kps = np.asarray(keypoints, dtype=np.float64)
    present = joints_present(kps)
    pts = np.trunc(np.where(present[:, None], kps, 0)).astype(np.int64)
    image = np.zeros((h, w, 3), np.uint8)
    for a, b in bones:
        if not (present[a] and present[b]):
            continue
        rr, cc, val = line_aa(pts[a, 1], pts[a, 0], pts[b, 1], pts[b, 0])
        rr, cc = np.clip(rr, 0, h - 1), np.clip(cc, 0, w - 1)
        image[rr, cc] = (val[:, None] * 255).astype(np.uint8)
    colours = joint_colours(len(kps))
    for j in np.flatnonzero(present):
        rr, cc = disk((pts[j, 1], pts[j, 0]), JOINT_RADIUS, shape=(h, w))
        image[rr, cc] = colours[j]
    return image


def render_structure(keypoints: np.ndarray,
                     size: Tuple[int, int],
                     bones: Sequence[Tuple[int, int]],
                     sigma: float = 6.0,
                     bone_image: bool = True) -> np.ndarray:
    """One frame's structure input: K heatmaps (+ the 3-ch bone image).

    Heatmaps are :func:`official_pose_heatmaps` without truncation (the
    official ``obtain_map`` uses the coordinates as given).

    Returns:
        np.ndarray: (H, W, K + 3) float32 (K without ``bone_image``):
        heatmaps in [0, 1], bone channels in 0..255.
    """
    maps = official_pose_heatmaps(keypoints, size, sigma, truncate=False)
    if not bone_image:
        return maps
    bones_rgb = official_bone_image(keypoints, size, bones)
    return np.concatenate([maps, bones_rgb.astype(np.float32)], axis=-1)


@TRANSFORMS.register_module()
class RenderClipSkeletons(BaseTransform):
    """Renders the 20-channel structure of the reference and of every
    driving frame (official ``DanceDataset.load_skeleton``).

    Channels 0-16: Gaussian heatmaps (sigma 6 px, whole image, missing
    joint = zero channel); 17-19: the RGB bone image (0..255, not
    normalised). The driving frames use the Human3.6M-17 bones, the
    reference the COCO-17 bones, matching their joint orders (see
    :class:`LoadClipSkeletons`).

    Required Keys:

    - keypoints (T, 17, 2) H36M-17, ref_keypoints (17, 2) COCO-17, frames

    Added Keys:

    - skeletons (np.ndarray): (T, H, W, 20) float32.
    - ref_skeleton (np.ndarray): (H, W, 20) float32.

    Args:
        sigma (float): Heatmap sigma in pixels. Defaults to 6.
        bone_image (bool): Add the 3 bone channels (official
            ``no_bone_map=False``). Defaults to True.
    """

    def __init__(self, sigma: float = 6.0, bone_image: bool = True) -> None:
        if not sigma > 0:
            raise ValueError(f'sigma must be > 0, got {sigma}')
        self.sigma = sigma
        self.bone_image = bone_image

    def transform(self, results: dict) -> dict:
        size = results['frames'].shape[1:3]
        kps = np.asarray(results['keypoints'])
        if kps.ndim != 3 or kps.shape[1:] != (17, 2):
            raise ValueError('keypoints must be (T, 17, 2) H36M-17, got '
                             f'{kps.shape}')
        results['skeletons'] = np.stack([
            render_structure(k, size, H36M17_BONES, self.sigma,
                             self.bone_image) for k in kps
        ])
        results['ref_skeleton'] = render_structure(results['ref_keypoints'],
                                                   size, COCO17_BONES,
                                                   self.sigma,
                                                   self.bone_image)
        return results

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(sigma={self.sigma}, '
                f'bone_image={self.bone_image})')


@TRANSFORMS.register_module()
class RenderClipPoseMaps(BaseTransform):
    """The *image* model's inputs for every clip frame: 18 OpenPose pose
    maps (official ``cords_to_map``, sigma 6) of the reference and of each
    driving skeleton, for the Naive-Animation baseline of paper Table IV
    (the image GFLA applied frame by frame).

    The driving skeletons (H36M-17) and the reference (COCO-17) are mapped
    to OpenPose-18 (:func:`h36m17_to_openpose18`,
    :func:`coco17_to_openpose18`; the neck is the shoulder midpoint).

    Required Keys:

    - keypoints (T, 17, 2) H36M-17, ref_keypoints (17, 2) COCO-17, frames

    Added Keys:

    - pose_maps (np.ndarray): (T, H, W, 18) float32 in [0, 1].
    - ref_pose_map (np.ndarray): (H, W, 18) float32.

    Args:
        sigma (float): Heatmap sigma in pixels. Defaults to 6.
    """

    def __init__(self, sigma: float = 6.0) -> None:
        if not sigma > 0:
            raise ValueError(f'sigma must be > 0, got {sigma}')
        self.sigma = sigma

    def transform(self, results: dict) -> dict:
        size = results['frames'].shape[1:3]
        driving = h36m17_to_openpose18(np.asarray(results['keypoints']))
        ref = np.asarray(results['ref_keypoints'], np.float64)
        ref = coco17_to_openpose18(ref, joints_present(ref).astype(float),
                                   score_thr=0.5)
        results['pose_maps'] = np.stack([
            official_pose_heatmaps(k, size, self.sigma) for k in driving
        ])
        results['ref_pose_map'] = official_pose_heatmaps(
            ref, size, self.sigma)
        return results

    def __repr__(self) -> str:
        return f'{self.__class__.__name__}(sigma={self.sigma})'


__all__ = [
    'RenderClipSkeletons', 'RenderClipPoseMaps', 'official_bone_image',
    'render_structure',
    'joint_colours', 'H36M17_BONES', 'COCO17_BONES', 'STRUCTURE_CHANNELS'
]
