# Copyright (c) OpenMMLab. All rights reserved.
"""One random similarity transform for every frame of a clip."""
from typing import Sequence, Tuple

import cv2
import numpy as np
from mmcv.transforms import BaseTransform

from gfla_mm.registry import TRANSFORMS
from gfla_mm.utils import MISSING, joints_present

from .pose_geometry import PoseAffineAugment

INTERPOLATION = dict(nearest=cv2.INTER_NEAREST, bilinear=cv2.INTER_LINEAR)


def official_affine_matrix(size: Tuple[int, int], angle: float,
                           shift: Sequence[float], scale: float) -> np.ndarray:
    """The official animation augmentation as a 2x3 matrix on (x, y) pixels.

    ``x' = s R(angle) (x - c) + c + shift`` with the official centre
    c = (W / 2 + 0.5, H / 2 + 0.5) (``openpose_utils.get_affine_matrix``,
    torchvision 0.2 ``F.affine``) and the official angle sign (positive =
    clockwise on screen, the opposite of cv2's). Built on
    :meth:`PoseAffineAugment.matrix` (centre W / 2, H / 2, cv2's sign).
    """
    m = PoseAffineAugment.matrix(size, -angle, np.asarray(shift), scale)
    # move the centre by half a pixel: x' gains (I - sR) (0.5, 0.5)
    m[:, 2] += (np.eye(2) - m[:, :2]) @ np.array([0.5, 0.5])
    return m


@TRANSFORMS.register_module()
class ClipAffineAugment(BaseTransform):
    """GFLA's animation augmentation, identical for every frame of a clip
    (official ``DanceDataset``: one ``getRandomAffineParam`` per clip).

    One draw per clip: angle ~ U(-angle, angle) degrees, shift ~
    U(-shift[0], shift[0]) x U(-shift[1], shift[1]) px, scale ~ U(scale).
    Frames, masks and keypoints get the same matrix
    (:func:`official_affine_matrix`). The reference gets its own draw with
    ``ref_own_draw`` (FashionVideo: its background need not align),
    otherwise the clip's (iPER). Official settings:

    - FashionVideo: ``angle=5, shift=(20, 3), scale=(0.98, 1.02),
      fill=255, ref_own_draw=True``;
    - iPER: ``angle=5, shift=(0, 0), scale=(1, 1), fill=0,
      ref_own_draw=False`` (rotation only, black fill).

    Images are warped with nearest-neighbour sampling (the official
    ``F.affine`` default), masks always with nearest and fill 0.
    Transformed keypoints are truncated to int (official ``modify_coor``);
    missing joints stay -1, joints may leave the image. The official marks
    a joint missing when a coordinate is 0 (also one truncated to 0 here);
    this transform does not.

    Required Keys:

    - frames (T, H, W, 3), keypoints (T, K, 2), ref_img, ref_keypoints;
      masks, noisy_keypoints (optional)

    Modified Keys:

    - frames, keypoints, ref_img, ref_keypoints, masks, noisy_keypoints

    Added Keys:

    - clip_affine, ref_affine (np.ndarray): the 2x3 matrices used.

    Args:
        angle (float): Max rotation in degrees. Defaults to 5.
        shift (tuple): Max (x, y) shift in pixels. Defaults to (20, 3).
        scale (tuple): Scale range. Defaults to (0.98, 1.02).
        fill (int | tuple): Border colour of frames. Defaults to 255
            (white, FashionVideo).
        ref_own_draw (bool): Draw the reference's transform separately.
            Defaults to True (FashionVideo).
        interpolation (str): ``'nearest'`` or ``'bilinear'``. Defaults to
            ``'nearest'``.
    """

    def __init__(self,
                 angle: float = 5.0,
                 shift: Sequence[float] = (20.0, 3.0),
                 scale: Sequence[float] = (0.98, 1.02),
                 fill=255,
                 ref_own_draw: bool = True,
                 interpolation: str = 'nearest') -> None:
        if interpolation not in INTERPOLATION:
            raise ValueError(f'interpolation must be one of '
                             f'{list(INTERPOLATION)}, got {interpolation!r}')
        self.angle = float(angle)
        self.shift = tuple(float(s) for s in shift)
        self.scale = tuple(float(s) for s in scale)
        if len(self.shift) != 2 or len(self.scale) != 2:
            raise ValueError('shift and scale must be pairs')
        self.fill = ((int(fill), ) * 3 if np.isscalar(fill) else tuple(
            int(c) for c in fill))
        self.ref_own_draw = ref_own_draw
        self.interpolation = interpolation

    def draw(self, size: Tuple[int, int]) -> np.ndarray:
        """One random matrix for an (H, W) image."""
        angle = np.random.uniform(-self.angle, self.angle)
        scale = np.random.uniform(*self.scale)
        shift = (np.random.uniform(-self.shift[0], self.shift[0]),
                 np.random.uniform(-self.shift[1], self.shift[1]))
        return official_affine_matrix(size, angle, shift, scale)

    def _warp(self, img: np.ndarray, m: np.ndarray, flags: int,
              fill) -> np.ndarray:
        h, w = img.shape[:2]
        return cv2.warpAffine(
            img, m, (w, h),
            flags=flags,
            borderMode=cv2.BORDER_CONSTANT,
            borderValue=fill)

    @staticmethod
    def warp_keypoints(kps: np.ndarray, m: np.ndarray) -> np.ndarray:
        """(..., K, 2) keypoints through a 2x3 matrix, truncated to int;
        missing stay -1."""
        kps = np.asarray(kps, dtype=np.float64)
        warped = np.trunc(kps @ m[:, :2].T + m[:, 2])
        return np.where(joints_present(kps)[..., None], warped,
                        MISSING).astype(np.float32)

    def transform(self, results: dict) -> dict:
        frames = results['frames']
        size = frames.shape[1:3]
        m = self.draw(size)
        m_ref = self.draw(size) if self.ref_own_draw else m
        flags = INTERPOLATION[self.interpolation]
        results['frames'] = np.stack(
            [self._warp(f, m, flags, self.fill) for f in frames])
        results['ref_img'] = self._warp(results['ref_img'], m_ref, flags,
                                        self.fill)
        if 'masks' in results:
            results['masks'] = np.stack([
                self._warp(k, m, cv2.INTER_NEAREST, 0)
                for k in results['masks']
            ])
        for key in ('keypoints', 'noisy_keypoints'):
            if key in results:
                results[key] = self.warp_keypoints(results[key], m)
        results['ref_keypoints'] = self.warp_keypoints(
            results['ref_keypoints'], m_ref)
        results['clip_affine'] = m
        results['ref_affine'] = m_ref
        return results

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(angle={self.angle}, '
                f'shift={self.shift}, scale={self.scale}, fill={self.fill}, '
                f'ref_own_draw={self.ref_own_draw}, '
                f'interpolation={self.interpolation!r})')


__all__ = ['ClipAffineAugment', 'official_affine_matrix']
