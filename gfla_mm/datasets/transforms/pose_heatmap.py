# Copyright (c) OpenMMLab. All rights reserved.
from typing import Optional, Sequence, Tuple

import numpy as np
from mmcv.transforms import BaseTransform

from gfla_mm.registry import TRANSFORMS
from gfla_mm.utils import joints_present
from gfla_mm.utils.optional_imports import import_mmpose


def official_pose_heatmaps(keypoints: np.ndarray,
                           size: Tuple[int, int],
                           sigma: float = 6.0,
                           truncate: bool = True) -> np.ndarray:
    """The official GFLA pose maps (``cords_to_map``), exactly.

    Each joint gives exp(-((x - x_j)^2 + (y - y_j)^2) / (2 sigma^2)) over the
    whole image, with the joint's coordinates truncated to int; a missing
    joint (marked -1) gives an all-zero channel.

    Args:
        keypoints (np.ndarray): (K, 2) as (x, y) pixels at this size;
            -1 marks a missing joint.
        size (tuple): (height, width) of the maps.
        sigma (float): Gaussian sigma in pixels. Defaults to 6 (GFLA's).
        truncate (bool): Truncate the coordinates to int first, as
            ``cords_to_map`` does. The animation model's ``obtain_map``
            uses them as given (ints after its augmentation, floats
            without): pass False there. Defaults to True.

    Returns:
        np.ndarray: (height, width, K) float32 in [0, 1].
    """
    h, w = size
    keypoints = np.asarray(keypoints, dtype=np.float64)
    present = joints_present(keypoints)
    cx = np.where(present, keypoints[:, 0], 0)
    cy = np.where(present, keypoints[:, 1], 0)
    if truncate:
        cx, cy = np.trunc(cx), np.trunc(cy)
    ys = np.arange(h, dtype=np.float64)[:, None, None]
    xs = np.arange(w, dtype=np.float64)[None, :, None]
    maps = np.exp(-((ys - cy)**2 + (xs - cx)**2) / (2 * sigma**2))
    return (maps * present).astype(np.float32)


def mmpose_pose_heatmaps(keypoints: np.ndarray, size: Tuple[int, int],
                         sigma: float = 6.0) -> np.ndarray:
    """Pose maps from mmpose's ``generate_gaussian_heatmaps``: Gaussians
    cut at 3 sigma, centres rounded, joints whose window leaves the image
    dropped. Not what the official checkpoints were trained on.

    Returns:
        np.ndarray: (height, width, K) float32.
    """
    generate_gaussian_heatmaps = import_mmpose(
        'mmpose.codecs.utils',
        "PoseToHeatmap(method='mmpose')").generate_gaussian_heatmaps
    h, w = size
    keypoints = np.asarray(keypoints, dtype=np.float32)
    visible = joints_present(keypoints).astype(np.float32)
    maps, _ = generate_gaussian_heatmaps((w, h), keypoints[None],
                                         visible[None], sigma)
    return maps.transpose(1, 2, 0).astype(np.float32)


@TRANSFORMS.register_module()
class PoseToHeatmap(BaseTransform):
    """Renders OpenPose-18 keypoints as 18 Gaussian pose maps.

    Required Keys:

    - [key]_keypoints: (18, 2) (x, y) at the image's resolution, -1 missing
    - [key] (or [size_from]): the image whose (H, W) the maps take

    Added Keys:

    - [key]_heatmap: (H, W, 18) float32 in [0, 1]

    Args:
        keys (Sequence[str]): Prefixes, e.g. ``('source', 'target')``.
        sigma (float): Gaussian sigma in pixels at the load resolution.
            Defaults to 6 (GFLA's).
        method (str): ``'official'`` (GFLA's formula, what its checkpoints
            expect) or ``'mmpose'`` (mmpose's codec). Defaults to
            ``'official'``.
        size_from (str, optional): Image whose size every key's maps take,
            for poses without an image of their own (the target pose at
            inference); None uses each key's own image. Defaults to None.
    """

    METHODS = dict(
        official=official_pose_heatmaps, mmpose=mmpose_pose_heatmaps)

    def __init__(self,
                 keys: Sequence[str] = ('source', 'target'),
                 sigma: float = 6.0,
                 method: str = 'official',
                 size_from: Optional[str] = None) -> None:
        if method not in self.METHODS:
            raise ValueError(f'method must be one of {list(self.METHODS)}, '
                             f'got {method!r}')
        if not sigma > 0:
            raise ValueError(f'sigma must be > 0, got {sigma}')
        self.keys = list(keys)
        self.sigma = sigma
        self.method = method
        self.size_from = size_from

    def transform(self, results: dict) -> dict:
        render = self.METHODS[self.method]
        for key in self.keys:
            size = results[self.size_from or key].shape[:2]
            results[f'{key}_heatmap'] = render(results[f'{key}_keypoints'],
                                               size, self.sigma)
        return results

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(keys={self.keys}, '
                f'sigma={self.sigma}, method={self.method!r}, '
                f'size_from={self.size_from!r})')
