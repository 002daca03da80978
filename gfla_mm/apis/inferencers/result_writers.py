# Copyright (c) OpenMMLab. All rights reserved.
"""Writing inference results: one image, or frames as a video, a GIF or a
folder of images."""
import os
import os.path as osp
from typing import Sequence

import cv2
import numpy as np
import torch
from PIL import Image

# Video containers OpenCV's pip wheels write, with a codec each can hold.
FOURCC = {'.mp4': 'mp4v', '.avi': 'MJPG'}


def bgr_uint8(img: torch.Tensor) -> np.ndarray:
    """A (3, H, W) BGR float image in [0, 255] (mmagic's outputs) as an
    (H, W, 3) uint8 array."""
    return img.clamp(0, 255).round().byte().permute(1, 2, 0).numpy()


def write_image(image: np.ndarray, path: str) -> str:
    """Writes a BGR uint8 (H, W, 3) image to ``path`` (its extension picks
    the format), creating the folder."""
    os.makedirs(osp.dirname(osp.abspath(path)), exist_ok=True)
    if not cv2.imwrite(path, image):
        raise OSError(f'cannot write image {path} (unknown extension?)')
    return path


def write_frames(frames: Sequence[np.ndarray], path: str,
                 fps: float = 25.0) -> str:
    """Writes BGR uint8 (H, W, 3) frames to ``path``.

    Args:
        frames (Sequence[np.ndarray]): The frames, all of one size.
        path (str): ``*.mp4`` / ``*.avi`` (OpenCV), ``*.gif`` (Pillow, looped)
            or a folder, which receives ``frame_00000.png``, ...
        fps (float): Frames per second of a video or GIF. Defaults to 25.

    Returns:
        str: ``path``.
    """
    if not len(frames):
        raise ValueError(f'no frames to write to {path}')
    if not fps > 0:
        raise ValueError(f'fps must be > 0, got {fps}')
    ext = osp.splitext(path)[1].lower()
    parent = osp.dirname(osp.abspath(path))
    os.makedirs(path if not ext else parent, exist_ok=True)
    if ext in FOURCC:
        h, w = frames[0].shape[:2]
        writer = cv2.VideoWriter(path, cv2.VideoWriter_fourcc(*FOURCC[ext]),
                                 fps, (w, h))
        if not writer.isOpened():
            raise OSError(f'OpenCV cannot write {path}')
        try:
            for frame in frames:
                writer.write(np.ascontiguousarray(frame))
        finally:
            writer.release()
    elif ext == '.gif':
        images = [Image.fromarray(f[..., ::-1]) for f in frames]
        images[0].save(path, save_all=True, append_images=images[1:],
                       duration=round(1000 / fps), loop=0)
    elif not ext:
        for i, frame in enumerate(frames):
            name = osp.join(path, f'frame_{i:05d}.png')
            if not cv2.imwrite(name, frame):
                raise OSError(f'cannot write {name}')
    else:
        raise ValueError(f'cannot write frames to {path}: use .mp4, .avi, '
                         '.gif or a folder')
    return path


__all__ = ['bgr_uint8', 'write_image', 'write_frames']
