# Copyright (c) OpenMMLab. All rights reserved.
import random
from typing import Sequence

import numpy as np
from mmcv.transforms import BaseTransform

from gfla_mm.registry import TRANSFORMS

from ..keypoint_formats import MISSING, OPENPOSE18_FLIP_INDEX


def _present(keypoints: np.ndarray) -> np.ndarray:
    return (keypoints != MISSING).all(axis=-1)


@TRANSFORMS.register_module()
class RescalePoseKeypoints(BaseTransform):
    """Maps keypoints from the annotation frame to the loaded image's size.

    The official DeepFashion CSVs hold coordinates of 256x176 images while
    the model loads 256x256 (or 256x176) images: x is scaled by W / W0 and y
    by H / H0. Missing joints stay -1.

    Required Keys:

    - [key]: the (resized) image
    - [key]_keypoints: (18, 2) (x, y) in the annotation frame
    - keypoint_frame: (H0, W0) of the annotation frame

    Modified Keys:

    - [key]_keypoints

    Args:
        keys (Sequence[str]): Prefixes. Defaults to ``('source', 'target')``.
    """

    def __init__(self, keys: Sequence[str] = ('source', 'target')) -> None:
        self.keys = list(keys)

    def transform(self, results: dict) -> dict:
        frame_h, frame_w = results['keypoint_frame']
        for key in self.keys:
            h, w = results[key].shape[:2]
            kps = np.asarray(results[f'{key}_keypoints'], dtype=np.float32)
            scaled = kps * np.array([w / frame_w, h / frame_h], np.float32)
            results[f'{key}_keypoints'] = np.where(_present(kps)[:, None],
                                                   scaled, MISSING)
        return results

    def __repr__(self) -> str:
        return f'{self.__class__.__name__}(keys={self.keys})'


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
            mirrored = np.where(_present(kps)[:, None], mirrored, MISSING)
            results[f'{key}_keypoints'] = mirrored[OPENPOSE18_FLIP_INDEX]
        return results

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(keys={self.keys}, '
                f'flip_ratio={self.flip_ratio})')
