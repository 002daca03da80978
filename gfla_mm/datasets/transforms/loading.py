# Copyright (c) OpenMMLab. All rights reserved.
from typing import Optional

import numpy as np
from mmagic.datasets.transforms import LoadImageFromFile

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
