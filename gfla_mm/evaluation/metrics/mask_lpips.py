# Copyright (c) OpenMMLab. All rights reserved.
"""Mask-LPIPS: LPIPS restricted to the body drawn from the target pose.

The protocol of GFLA's Market-1501 numbers (paper Table III), itself taken
from PG² / Def-GAN: a mask is drawn from the 18 OpenPose keypoints of the
*target* image (a 4-px half-width band along each of 23 joint pairs plus a
4-px disk at every joint, closed by a 5x5 dilation then a 5x5 erosion); both
images, in [-1, 1], are multiplied by it before LPIPS.
"""
from typing import Optional, Sequence, Tuple

import numpy as np
import torch
from torch import Tensor

from gfla_mm.registry import METRICS
from gfla_mm.utils import joints_present

from .base_metric import get_sample_tensor
from .lpips_metric import LPIPS

__all__ = ['MASK_LIMBS', 'MaskLPIPS', 'body_mask', 'keypoints_from_heatmap']

# Joint pairs (OpenPose-18 indices) the official mask joins with bands:
# the skeleton's limbs plus neck-ear, hip-hip, hip-shoulder and ear-ear,
# so that the torso and head are filled.
MASK_LIMBS: Tuple[Tuple[int, int], ...] = (
    (1, 2), (1, 5), (2, 3), (3, 4), (5, 6), (6, 7), (1, 8), (8, 9), (9, 10),
    (1, 11), (11, 12), (12, 13), (1, 0), (0, 14), (14, 16), (0, 15),
    (15, 17), (1, 16), (1, 17), (8, 11), (11, 5), (8, 2), (16, 17))


def body_mask(keypoints: np.ndarray,
              size: Tuple[int, int],
              radius: float = 4,
              closing: int = 5) -> np.ndarray:
    """Body mask of one pose, as the official Mask-LPIPS draws it.

    Args:
        keypoints (np.ndarray): (18, 2) OpenPose-18 (x, y) pixels of the
            image; -1 marks a missing joint (its bands and disk are skipped).
        size (tuple): (H, W) of the mask.
        radius (float): Half-width of the bands and radius of the disks.
            Defaults to 4 (official, for 128x64 Market-1501 images).
        closing (int): Side of the square used to dilate then erode.
            Defaults to 5.

    Returns:
        np.ndarray: (H, W) bool mask.
    """
    from skimage.draw import disk, polygon
    from skimage.morphology import dilation, erosion

    kps = np.asarray(keypoints, dtype=np.float64)
    if kps.shape != (18, 2):
        raise ValueError('body_mask needs (18, 2) OpenPose-18 keypoints, got '
                         f'{kps.shape}')
    yx = kps[:, ::-1]  # skimage draws in (row, col)
    present = joints_present(kps)
    mask = np.zeros(tuple(size), dtype=bool)
    for a, b in MASK_LIMBS:
        if not (present[a] and present[b]):
            continue
        along = yx[a] - yx[b]
        length = np.linalg.norm(along)
        if length == 0:
            continue  # coincident joints: their disks cover them
        normal = radius * np.array([-along[1], along[0]]) / length
        corners = np.stack(
            [yx[a] + normal, yx[a] - normal, yx[b] - normal, yx[b] + normal])
        rr, cc = polygon(corners[:, 0], corners[:, 1], shape=mask.shape)
        mask[rr, cc] = True
    for joint in yx[present]:
        rr, cc = disk(tuple(joint), radius, shape=mask.shape)
        mask[rr, cc] = True
    square = np.ones((closing, closing), dtype=bool)
    return erosion(dilation(mask, square), square)


def keypoints_from_heatmap(heatmap: np.ndarray,
                           threshold: float = 0.5) -> np.ndarray:
    """Keypoints back from per-joint heatmaps (argmax of each channel).

    GFLA's official heatmaps peak at 1 on the (integer) joint, so the argmax
    gives the joint back exactly; an all-zero channel is a missing joint.

    Args:
        heatmap (np.ndarray): (K, H, W).
        threshold (float): Channels whose maximum is below this are missing.
            Defaults to 0.5.

    Returns:
        np.ndarray: (K, 2) (x, y), -1 for missing joints.
    """
    heatmap = np.asarray(heatmap, dtype=np.float64)
    if heatmap.ndim != 3:
        raise ValueError(f'heatmap must be (K, H, W), got {heatmap.shape}')
    k, h, w = heatmap.shape
    flat = heatmap.reshape(k, -1)
    idx = flat.argmax(axis=1)
    kps = np.stack([idx % w, idx // w], axis=1).astype(np.float64)
    kps[flat.max(axis=1) < threshold] = -1
    return kps


@METRICS.register_module()
class MaskLPIPS(LPIPS):
    """LPIPS on the target's body only (GFLA's Market-1501 Mask-LPIPS).

    The target keypoints of each sample are read from, in this order:

    1. ``keypoints_key`` in the data sample (pack ``target_keypoints`` with
       ``PackInputs(meta_keys=[..., 'target_keypoints'])``), (18, 2) (x, y)
       in pixels of the evaluated image, -1 missing;
    2. ``heatmap_key`` in the data sample, or in ``data_batch['inputs']``
       (where ``PackInputs(keys=[..., 'target_heatmap'])`` puts it):
       (18, H, W), decoded by :func:`keypoints_from_heatmap`.

    Images only, (3, H, W); other arguments as :class:`LPIPS`.

    Args:
        keypoints_key (str): Defaults to ``'target_keypoints'``.
        heatmap_key (str): Defaults to ``'target_heatmap'``.
        radius (float): Band half-width / disk radius. Defaults to 4.
        closing (int): Dilation/erosion square. Defaults to 5.
        heatmap_threshold (float): See :func:`keypoints_from_heatmap`.
            Defaults to 0.5.
        **kwargs: :class:`LPIPS` arguments.

    Metrics:
        - MaskLPIPS (float): mean masked distance over samples.
    """

    metric = 'MaskLPIPS'

    def __init__(self,
                 keypoints_key: str = 'target_keypoints',
                 heatmap_key: str = 'target_heatmap',
                 radius: float = 4,
                 closing: int = 5,
                 heatmap_threshold: float = 0.5,
                 **kwargs) -> None:
        super().__init__(**kwargs)
        self.keypoints_key = keypoints_key
        self.heatmap_key = heatmap_key
        self.radius = radius
        self.closing = closing
        self.heatmap_threshold = heatmap_threshold

    def _keypoints(self, index: int, sample: dict,
                   data_batch: Optional[dict]) -> np.ndarray:
        if self.keypoints_key in sample:
            return np.asarray(sample[self.keypoints_key], dtype=np.float64)
        heatmap = None
        if self.heatmap_key in sample:
            heatmap = get_sample_tensor(sample, self.heatmap_key)
        elif isinstance(data_batch, dict):
            inputs = data_batch.get('inputs')
            if isinstance(inputs, dict) and self.heatmap_key in inputs:
                heatmap = inputs[self.heatmap_key][index]
        if heatmap is None:
            raise KeyError(
                f'MaskLPIPS needs the target pose: neither '
                f'{self.keypoints_key!r} nor {self.heatmap_key!r} is in data '
                f'sample {index} or in data_batch["inputs"]')
        return keypoints_from_heatmap(
            torch.as_tensor(heatmap).cpu().numpy(), self.heatmap_threshold)

    def sample_mask(self, index: int, sample: dict, data_batch: Optional[dict],
                    shape: Sequence[int]) -> Tensor:
        """(1, 1, H, W) float body mask of sample ``index``."""
        if shape[0] != 1:
            raise ValueError(f'MaskLPIPS scores images, got {shape[0]} frames '
                             f'in sample {index}')
        kps = self._keypoints(index, sample, data_batch)
        mask = body_mask(kps, tuple(shape[-2:]), self.radius, self.closing)
        return torch.from_numpy(mask).float()[None, None]
