# Copyright (c) OpenMMLab. All rights reserved.
"""Reading folders of images and videos for evaluation."""
import os
import os.path as osp
from typing import List

import cv2
import numpy as np

__all__ = [
    'IMAGE_EXTENSIONS', 'VIDEO_EXTENSIONS', 'list_images', 'read_image',
    'read_video'
]

IMAGE_EXTENSIONS = ('.jpg', '.jpeg', '.png', '.bmp', '.webp', '.tif',
                    '.tiff')
VIDEO_EXTENSIONS = ('.mp4', '.avi', '.mov', '.mkv', '.webm', '.gif')


def list_images(folder: str) -> List[str]:
    """Sorted image file names (not paths) directly inside ``folder``."""
    if not osp.isdir(folder):
        raise FileNotFoundError(f'not a folder: {folder}')
    return sorted(f for f in os.listdir(folder)
                  if f.lower().endswith(IMAGE_EXTENSIONS)
                  and osp.isfile(osp.join(folder, f)))


def read_image(path: str) -> np.ndarray:
    """An image file as (H, W, 3) uint8 RGB."""
    img = cv2.imread(path, cv2.IMREAD_COLOR)
    if img is None:
        raise ValueError(f'cannot read image {path}')
    return np.ascontiguousarray(img[:, :, ::-1])


def read_video(path: str) -> np.ndarray:
    """A video file, or a folder of frames sorted by name, as
    (T, H, W, 3) uint8 RGB."""
    if osp.isdir(path):
        names = list_images(path)
        if not names:
            raise ValueError(f'no frames in {path}')
        frames = [read_image(osp.join(path, n)) for n in names]
    else:
        cap = cv2.VideoCapture(path)
        frames = []
        while True:
            ok, frame = cap.read()
            if not ok:
                break
            frames.append(frame[:, :, ::-1])
        cap.release()
        if not frames:
            raise ValueError(f'cannot read any frame of {path}')
    shapes = {f.shape for f in frames}
    if len(shapes) != 1:
        raise ValueError(f'frames of {path} differ in size: {sorted(shapes)}')
    return np.ascontiguousarray(np.stack(frames))
