# Copyright (c) OpenMMLab. All rights reserved.
"""Image and video files: the extensions gfla_mm reads and one reader per
kind, all returning RGB unless asked otherwise (OpenCV decodes BGR), and
the H.264 video writer.

OpenCV and PyAV are imported when a file is read or written, so that the
torch-only layers need torch and numpy alone (the GPU benchmark machines
have no OpenCV).
"""
import os
import os.path as osp
from typing import Iterator, List, Sequence

import numpy as np

IMAGE_EXTENSIONS = ('.jpg', '.jpeg', '.png', '.bmp', '.webp', '.tif',
                    '.tiff')
VIDEO_EXTENSIONS = ('.mp4', '.avi', '.mov', '.mkv', '.webm', '.gif')
_ORDERS = ('rgb', 'bgr')


def is_image_file(path: object) -> bool:
    """Whether ``path`` is a string naming an image by its extension."""
    return isinstance(path, str) and path.lower().endswith(IMAGE_EXTENSIONS)


def is_video_file(path: object) -> bool:
    """Whether ``path`` is a string naming a video by its extension."""
    return isinstance(path, str) and path.lower().endswith(VIDEO_EXTENSIONS)


def _check_order(channel_order: str) -> None:
    if channel_order not in _ORDERS:
        raise ValueError(f'channel_order must be one of {_ORDERS}, got '
                         f'{channel_order!r}')


def _to_order(bgr: np.ndarray, channel_order: str) -> np.ndarray:
    return np.ascontiguousarray(bgr[:, :, ::-1] if channel_order == 'rgb'
                                else bgr)


def list_images(folder: str) -> List[str]:
    """Sorted image file names (not paths) directly inside ``folder``."""
    if not osp.isdir(folder):
        raise FileNotFoundError(f'not a folder: {folder}')
    return sorted(f for f in os.listdir(folder)
                  if is_image_file(f) and osp.isfile(osp.join(folder, f)))


def read_image(path: str, channel_order: str = 'rgb') -> np.ndarray:
    """An image file as (H, W, 3) uint8 in ``channel_order``.

    Raises:
        FileNotFoundError: no such file.
        ValueError: OpenCV cannot decode it.
    """
    _check_order(channel_order)
    if not osp.isfile(path):
        raise FileNotFoundError(f'image {path} does not exist')
    import cv2
    img = cv2.imread(path, cv2.IMREAD_COLOR)
    if img is None:
        raise ValueError(f'cannot read image {path} (corrupt, or not an '
                         'image)')
    return _to_order(img, channel_order)


def iter_video_frames(path: str,
                      channel_order: str = 'rgb') -> Iterator[np.ndarray]:
    """The frames of a video file one by one, (H, W, 3) uint8.

    Raises:
        FileNotFoundError: no such file.
        ValueError: OpenCV cannot open it or decodes no frame of it.
    """
    _check_order(channel_order)
    if not osp.isfile(path):
        raise FileNotFoundError(f'video {path} does not exist')
    import cv2
    video = cv2.VideoCapture(path)
    count = 0
    try:
        while video.isOpened():
            ok, frame = video.read()
            if not ok:
                break
            count += 1
            yield _to_order(frame, channel_order)
    finally:
        video.release()
    if count == 0:
        raise ValueError(f'no frame could be read from video {path} '
                         '(corrupt, or a codec OpenCV lacks)')


def read_video(path: str, channel_order: str = 'rgb') -> np.ndarray:
    """A video file, or a folder of frames sorted by name, as (T, H, W, 3)
    uint8 in ``channel_order``.

    Raises:
        ValueError: no frames, or frames of different sizes.
    """
    if osp.isdir(path):
        names = list_images(path)
        if not names:
            raise ValueError(f'no frames ({", ".join(IMAGE_EXTENSIONS)}) in '
                             f'{path}')
        frames = [read_image(osp.join(path, n), channel_order) for n in names]
    else:
        frames = list(iter_video_frames(path, channel_order))
    shapes = {f.shape for f in frames}
    if len(shapes) != 1:
        raise ValueError(f'frames of {path} differ in size: {sorted(shapes)}')
    return np.stack(frames)


def write_h264(frames: Sequence[np.ndarray],
               path: str,
               fps: float = 25.0,
               channel_order: str = 'rgb',
               crf: int = 18) -> str:
    """Writes frames as an H.264 (yuv420p) ``.mp4`` that browsers and chat
    apps play (OpenCV's pip wheels only write MPEG-4 part 2, ``mp4v``), with
    the libx264 encoder PyAV ships.

    yuv420p needs even sizes: an odd width or height gets one replicated
    column/row.

    Args:
        frames (Sequence[np.ndarray]): (H, W, 3) uint8 frames, one size.
        path (str): Output file (its folder is created).
        fps (float): Frames per second. Defaults to 25.
        channel_order (str): ``'rgb'`` or ``'bgr'``. Defaults to 'rgb'.
        crf (int): x264 constant rate factor (0 lossless ... 51). Defaults
            to 18 (visually lossless).

    Returns:
        str: ``path``.
    """
    _check_order(channel_order)
    if not len(frames):
        raise ValueError(f'no frames to write to {path}')
    if not fps > 0:
        raise ValueError(f'fps must be > 0, got {fps}')
    shapes = {tuple(f.shape) for f in frames}
    if len(shapes) != 1 or len(next(iter(shapes))) != 3 or \
            next(iter(shapes))[2] != 3:
        raise ValueError(f'frames for {path} must be (H, W, 3) of one size, '
                         f'got shapes {sorted(shapes)}')
    from fractions import Fraction

    import av
    h, w = frames[0].shape[:2]
    os.makedirs(osp.dirname(osp.abspath(path)), exist_ok=True)
    with av.open(path, mode='w') as container:
        stream = container.add_stream(
            'libx264', rate=Fraction(fps).limit_denominator(1001))
        stream.width, stream.height = w + w % 2, h + h % 2
        stream.pix_fmt = 'yuv420p'
        stream.options = {'crf': str(crf)}
        for frame in frames:
            frame = np.asarray(frame, np.uint8)
            if channel_order == 'bgr':
                frame = frame[..., ::-1]
            frame = np.pad(frame, ((0, h % 2), (0, w % 2), (0, 0)), 'edge')
            image = av.VideoFrame.from_ndarray(
                np.ascontiguousarray(frame), format='rgb24')
            container.mux(stream.encode(image))
        container.mux(stream.encode())
    return path


__all__ = [
    'IMAGE_EXTENSIONS', 'VIDEO_EXTENSIONS', 'is_image_file', 'is_video_file',
    'list_images', 'read_image', 'iter_video_frames', 'read_video',
    'write_h264'
]
