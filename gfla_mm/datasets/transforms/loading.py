# Copyright (c) OpenMMLab. All rights reserved.
import os.path as osp
from typing import Optional

import numpy as np
from mmagic.datasets.transforms import LoadImageFromFile
from mmcv.transforms import BaseTransform

from gfla_mm.registry import TRANSFORMS


@TRANSFORMS.register_module()
class GFLALoadImageFromFile(LoadImageFromFile):
    """mmagic's ``LoadImageFromFile`` that names the file it cannot read.

    mmagic's loader passes an undecodable image on as ``None`` and fails
    later with an unrelated error; this one raises at once.

    Required Keys:

    - [key]_path

    Added Keys:

    - [key]
    - ori_[key]_shape
    - [key]_channel_order
    - [key]_color_type

    Args:
        key (str): Results key of the image (``'source'``, ``'target'``).
        **kwargs: As mmagic's ``LoadImageFromFile``.
    """

    def _load_image(self, filename: str) -> np.ndarray:
        try:
            img: Optional[np.ndarray] = super()._load_image(filename)
        except FileNotFoundError as exc:
            raise FileNotFoundError(
                f'{self.key} image not found: {filename}') from exc
        except Exception as exc:  # cv2.error etc. from decoding None
            raise OSError(f'{self.key} image cannot be decoded (corrupt or '
                          f'not an image): {filename}') from exc
        if img is None:
            raise OSError(f'{self.key} image cannot be decoded (corrupt or '
                          f'not an image): {filename}')
        return img


@TRANSFORMS.register_module()
class LoadFlowFromFile(BaseTransform):
    """Loads a ground-truth flow field saved with ``numpy.save``.

    The file holds (H, W, 2) floats in pixels of the image it belongs to,
    channel 0 = x, NaN where the flow is undefined (the synthetic set's
    ``{split}_flow/*.npy``). Packed with ``PackInputs(data_keys=[key])``
    it reaches the data samples as (2, H, W) for :class:`FlowEPE`.

    Required Keys: [key]_path. Added Keys: [key] (float32 ndarray).

    Args:
        key (str): Results key. Defaults to ``'gt_flow'``.
    """

    def __init__(self, key: str = 'gt_flow') -> None:
        self.key = key

    def transform(self, results: dict) -> dict:
        path = results[f'{self.key}_path']
        if not osp.isfile(path):
            raise FileNotFoundError(f'{self.key} file not found: {path}')
        try:
            flow = np.load(path)
        except Exception as exc:  # truncated or not a .npy file
            raise OSError(f'{self.key} file cannot be read as .npy: '
                          f'{path}') from exc
        if flow.ndim != 3 or flow.shape[2] != 2:
            raise ValueError(f'{self.key} file {path} must hold an (H, W, '
                             f'2) flow, got shape {flow.shape}')
        results[self.key] = flow.astype(np.float32)
        return results

    def __repr__(self) -> str:
        return f'{type(self).__name__}(key={self.key!r})'
