# Copyright (c) OpenMMLab. All rights reserved.
"""Writing inference results: one image, or frames as a video (H.264 mp4,
MJPG avi), a GIF or a folder of images, and side-by-side strips."""
import os
import os.path as osp
from typing import List, Sequence

import cv2
import numpy as np
import torch
from PIL import Image

from gfla_mm.utils import write_h264

# Containers written with OpenCV (its pip wheels encode MJPG, not H.264);
# .mp4 goes through PyAV's libx264 (write_h264), which browsers play.
FOURCC = {'.avi': 'MJPG'}
VIDEO_FORMATS = ('.mp4', '.avi', '.gif')


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
        path (str): ``*.mp4`` (H.264, yuv420p, via PyAV's libx264: plays
            in browsers and chat apps; an odd width or height gets one
            replicated column/row), ``*.avi`` (OpenCV, MJPG), ``*.gif``
            (Pillow, looped) or a folder, which receives
            ``frame_00000.png``, ...
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
    if ext == '.mp4':
        write_h264(frames, path, fps, channel_order='bgr')
    elif ext in FOURCC:
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


def side_by_side(left_frames: Sequence[np.ndarray],
                 right_frames: Sequence[np.ndarray]) -> List[np.ndarray]:
    """Pairs of frames concatenated horizontally (e.g. driving skeleton |
    generated).

    Args:
        left_frames, right_frames (Sequence[np.ndarray]): (H, W_l, C) and
            (H, W_r, C) uint8 frames, as many on each side, one height.

    Returns:
        list[np.ndarray]: (H, W_l + W_r, C) frames.

    Raises:
        ValueError: different numbers of frames, heights or channels.
    """
    if len(left_frames) != len(right_frames):
        raise ValueError(f'side_by_side: {len(left_frames)} left frames but '
                         f'{len(right_frames)} right frames')
    out = []
    for i, (left, right) in enumerate(zip(left_frames, right_frames)):
        if left.ndim != 3 or left.shape[0] != right.shape[0] or \
                left.shape[2:] != right.shape[2:]:
            raise ValueError(f'side_by_side: frame {i} is {left.shape} on '
                             f'the left and {right.shape} on the right; '
                             'they need one height and channel count')
        out.append(np.concatenate([left, right], axis=1))
    return out


__all__ = [
    'bgr_uint8', 'write_image', 'write_frames', 'side_by_side',
    'VIDEO_FORMATS'
]
