# Copyright (c) OpenMMLab. All rights reserved.
import random
from typing import Optional, Sequence

import cv2
import numpy as np
from mmcv.transforms import BaseTransform

from gfla_mm.registry import TRANSFORMS
from gfla_mm.utils import MISSING, joints_present, rescale_keypoints

from ..keypoint_formats import OPENPOSE18_FLIP_INDEX


@TRANSFORMS.register_module()
class RescalePoseKeypoints(BaseTransform):
    """Maps keypoints from the annotation frame to the loaded image's size.

    The official DeepFashion CSVs hold coordinates of 256x176 images while
    the model loads 256x256 (or 256x176) images: x is scaled by W / W0 and y
    by H / H0. Missing joints stay -1.

    Required Keys:

    - [key] (or [size_from]): the (resized) image
    - [key]_keypoints: (18, 2) (x, y) in the annotation frame
    - keypoint_frame: (H0, W0) of the annotation frame

    Modified Keys:

    - [key]_keypoints

    Args:
        keys (Sequence[str]): Prefixes. Defaults to ``('source', 'target')``.
        size_from (str, optional): Image whose size every key's keypoints
            are mapped to, for poses without an image of their own (the
            target pose at inference); None uses each key's own image.
            Defaults to None.
    """

    def __init__(self,
                 keys: Sequence[str] = ('source', 'target'),
                 size_from: Optional[str] = None) -> None:
        self.keys = list(keys)
        self.size_from = size_from

    def transform(self, results: dict) -> dict:
        for key in self.keys:
            size = results[self.size_from or key].shape[:2]
            results[f'{key}_keypoints'] = rescale_keypoints(
                results[f'{key}_keypoints'], results['keypoint_frame'], size)
        return results

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(keys={self.keys}, '
                f'size_from={self.size_from!r})')


@TRANSFORMS.register_module()
class FlipPosePair(BaseTransform):
    """Horizontal flip of a source/target pair, keypoints included.

    With probability ``flip_ratio`` every image in ``keys`` is mirrored,
    keypoint x becomes W - 1 - x and left/right joints swap channels.

    Required Keys:

    - [key], [key]_keypoints for each key

    Modified Keys:

    - [key], [key]_keypoints

    Added Keys:

    - flip (bool)

    Args:
        keys (Sequence[str]): Prefixes. Defaults to ``('source', 'target')``.
        flip_ratio (float): Probability of flipping. Defaults to 0.5.
    """

    def __init__(self,
                 keys: Sequence[str] = ('source', 'target'),
                 flip_ratio: float = 0.5) -> None:
        if not 0 <= flip_ratio <= 1:
            raise ValueError(f'flip_ratio must be in [0, 1], got {flip_ratio}')
        self.keys = list(keys)
        self.flip_ratio = flip_ratio

    def transform(self, results: dict) -> dict:
        flip = random.random() < self.flip_ratio
        results['flip'] = flip
        if not flip:
            return results
        for key in self.keys:
            img = results[key]
            w = img.shape[1]
            results[key] = np.ascontiguousarray(img[:, ::-1])
            kps = np.asarray(results[f'{key}_keypoints'], dtype=np.float32)
            mirrored = kps.copy()
            mirrored[:, 0] = w - 1 - kps[:, 0]
            mirrored = np.where(joints_present(kps)[:, None], mirrored,
                                MISSING)
            results[f'{key}_keypoints'] = mirrored[OPENPOSE18_FLIP_INDEX]
        return results

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(keys={self.keys}, '
                f'flip_ratio={self.flip_ratio})')


@TRANSFORMS.register_module()
class PoseAffineAugment(BaseTransform):
    """GFLA's Market-1501 augmentation: a random similarity transform of the
    source, and a damped one of the target, keypoints warped alike.

    One draw per sample: angle ~ U(-angle, angle) degrees, shift ~
    U(-shift, shift) pixels per axis, scale ~ U(scale). The first key gets
    (angle, shift, scale); the others (angle * target_angle_factor, shift *
    target_shift_factor, 1). The rotation is about the image centre; the
    border is filled with ``fill``. Keypoints keep -1 when missing and may
    leave the image (the official pose maps still paint their tails).

    Required Keys:

    - [key], [key]_keypoints for each key

    Modified Keys:

    - [key], [key]_keypoints

    Args:
        keys (Sequence[str]): Source first. Defaults to
            ``('source', 'target')``.
        angle (float): Max rotation in degrees. Defaults to 5.
        shift (float): Max shift in pixels. Defaults to 5.
        scale (tuple): Scale range. Defaults to (0.95, 1.05).
        target_angle_factor (float): Defaults to 0.2.
        target_shift_factor (float): Defaults to 0.5.
        fill (tuple): Border colour. Defaults to (128, 128, 128).
    """

    def __init__(self,
                 keys: Sequence[str] = ('source', 'target'),
                 angle: float = 5.0,
                 shift: float = 5.0,
                 scale: Sequence[float] = (0.95, 1.05),
                 target_angle_factor: float = 0.2,
                 target_shift_factor: float = 0.5,
                 fill: Sequence[int] = (128, 128, 128)) -> None:
        self.keys = list(keys)
        self.angle = angle
        self.shift = shift
        self.scale = tuple(scale)
        self.target_angle_factor = target_angle_factor
        self.target_shift_factor = target_shift_factor
        self.fill = tuple(int(c) for c in fill)

    @staticmethod
    def matrix(size, angle: float, shift, scale: float) -> np.ndarray:
        """2x3 matrix: rotate/scale about the centre, then shift."""
        h, w = size
        m = cv2.getRotationMatrix2D((w * 0.5, h * 0.5), angle, scale)
        m[:, 2] += shift
        return m

    def transform(self, results: dict) -> dict:
        angle = random.uniform(-self.angle, self.angle)
        shift = np.array([random.uniform(-self.shift, self.shift)
                          for _ in range(2)])
        scale = random.uniform(*self.scale)
        for i, key in enumerate(self.keys):
            if i == 0:
                params = (angle, shift, scale)
            else:
                params = (angle * self.target_angle_factor,
                          shift * self.target_shift_factor, 1.0)
            img = results[key]
            m = self.matrix(img.shape[:2], *params)
            results[key] = cv2.warpAffine(
                img, m, (img.shape[1], img.shape[0]),
                flags=cv2.INTER_LINEAR,
                borderMode=cv2.BORDER_CONSTANT,
                borderValue=self.fill)
            kps = np.asarray(results[f'{key}_keypoints'], dtype=np.float32)
            warped = kps @ m[:, :2].T.astype(np.float32) + m[:, 2]
            results[f'{key}_keypoints'] = np.where(
                joints_present(kps)[:, None], warped, MISSING)
        return results

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(keys={self.keys}, '
                f'angle={self.angle}, shift={self.shift}, '
                f'scale={self.scale})')
