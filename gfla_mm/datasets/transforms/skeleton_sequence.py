# Copyright (c) OpenMMLab. All rights reserved.
"""Transforms of skeleton-sequence windows (Motion Extraction Network)."""
from typing import Sequence, Tuple

import numpy as np
import torch
from mmagic.structures import DataSample
from mmcv.transforms import BaseTransform

from gfla_mm.registry import TRANSFORMS


@TRANSFORMS.register_module()
class RandomSkeletonScaleShift(BaseTransform):
    """The official 2-D augmentation of the Motion Extraction Network: one
    random scale and one random shift per axis, drawn per window and
    applied identically to input and target joints (normalised
    coordinates, about the frame centre 0).

    Args:
        scale (tuple): Range of the scale. Defaults to (1.0, 1.5).
        shift (tuple): Range of the shift per axis, normalised units.
            Defaults to (-0.1, 0.1).
        keys (Sequence[str]): Joint arrays to move.
    """

    def __init__(self,
                 scale: Tuple[float, float] = (1.0, 1.5),
                 shift: Tuple[float, float] = (-0.1, 0.1),
                 keys: Sequence[str] = ('noisy_joints', 'gt_joints')) -> None:
        self.scale = tuple(scale)
        self.shift = tuple(shift)
        self.keys = tuple(keys)

    def transform(self, results: dict) -> dict:
        s = np.random.uniform(*self.scale)
        t = np.random.uniform(*self.shift, size=2)
        for key in self.keys:
            results[key] = (results[key] * s + t).astype(np.float32)
        results['skeleton_scale_shift'] = (float(s), t.tolist())
        return results

    def __repr__(self) -> str:
        return (f'{type(self).__name__}(scale={self.scale}, '
                f'shift={self.shift}, keys={self.keys})')


@TRANSFORMS.register_module()
class PackSkeletonInputs(BaseTransform):
    """Packs a window for :class:`MotionExtractor`: ``inputs`` the
    (T_in, 17, 2) float32 tensor of ``noisy_joints``; ``data_samples`` an
    mmagic ``DataSample`` with ``gt_joints`` (T, 17, 2) and ``meta_keys``
    as metainfo. Batch them with ``collate_fn=dict(type='default_collate')``
    (stacks ``inputs``, keeps the samples a list).

    Args:
        meta_keys (Sequence[str]): Results copied into the metainfo.
    """

    def __init__(self,
                 meta_keys: Sequence[str] = ('sequence', 'start',
                                             'frame_width', 'num_filled')
                 ) -> None:
        self.meta_keys = tuple(meta_keys)

    def transform(self, results: dict) -> dict:
        sample = DataSample(
            metainfo={k: results[k]
                      for k in self.meta_keys if k in results})
        if 'gt_joints' in results:
            sample.set_field(
                torch.as_tensor(results['gt_joints'], dtype=torch.float32),
                'gt_joints')
        inputs = torch.as_tensor(results['noisy_joints'], dtype=torch.float32)
        return dict(inputs=inputs, data_samples=sample)

    def __repr__(self) -> str:
        return f'{type(self).__name__}(meta_keys={self.meta_keys})'


__all__ = ['RandomSkeletonScaleShift', 'PackSkeletonInputs']
