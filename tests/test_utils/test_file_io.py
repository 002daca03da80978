# Copyright (c) OpenMMLab. All rights reserved.
import cv2
import numpy as np
import pytest

from gfla_mm.apis import write_frames
from gfla_mm.utils import (
    IMAGE_EXTENSIONS,
    VIDEO_EXTENSIONS,
    is_image_file,
    is_video_file,
    iter_video_frames,
    list_images,
    read_image,
    read_video,
)


def _frames(n=3, size=(16, 24)):
    rng = np.random.default_rng(0)
    # Flat colours survive lossy codecs; each frame has its own.
    return [np.full((*size, 3), rng.integers(0, 256, 3), np.uint8)
            for _ in range(n)]


def test_extensions():
    assert '.tif' in IMAGE_EXTENSIONS and '.gif' in VIDEO_EXTENSIONS
    assert is_image_file('a/b.JPG') and is_image_file('x.tiff')
    assert not is_image_file('a.json') and not is_image_file(np.zeros(2))
    assert is_video_file('clip.MP4') and is_video_file('anim.gif')
    assert not is_video_file('a.png') and not is_video_file(None)


def test_read_image_channel_orders(tmp_path):
    bgr = np.zeros((4, 5, 3), np.uint8)
    bgr[..., 0] = 200  # blue in OpenCV's order
    path = str(tmp_path / 'blue.png')
    cv2.imwrite(path, bgr)
    assert read_image(path)[0, 0].tolist() == [0, 0, 200]
    assert read_image(path, channel_order='bgr')[0, 0].tolist() == [200, 0, 0]
    with pytest.raises(ValueError, match='channel_order'):
        read_image(path, channel_order='yuv')
    with pytest.raises(FileNotFoundError, match='missing.png'):
        read_image(str(tmp_path / 'missing.png'))
    (tmp_path / 'corrupt.jpg').write_bytes(b'not a jpeg')
    with pytest.raises(ValueError, match='corrupt.jpg'):
        read_image(str(tmp_path / 'corrupt.jpg'))


@pytest.mark.parametrize('name', ['clip.avi', 'clip.gif'])
def test_video_files_and_frame_folders_read_alike(tmp_path, name):
    frames = _frames()  # BGR, as OpenCV writes them
    path = write_frames(frames, str(tmp_path / name), fps=5)
    video = read_video(path)
    assert video.shape == (3, 16, 24, 3) and video.dtype == np.uint8
    # RGB by default; lossy codecs move flat colours by a few levels.
    want = np.stack(frames)[..., ::-1].astype(int)
    assert np.abs(video.astype(int) - want).max() <= 8
    bgr = list(iter_video_frames(path, channel_order='bgr'))
    np.testing.assert_array_equal(np.stack(bgr), video[..., ::-1])

    folder = tmp_path / 'frames'
    folder.mkdir()
    for i, frame in enumerate(frames):
        cv2.imwrite(str(folder / f'{i:03d}.png'), frame)
    (folder / 'notes.txt').write_text('ignored')
    assert list_images(str(folder)) == ['000.png', '001.png', '002.png']
    np.testing.assert_array_equal(read_video(str(folder)),
                                  np.stack(frames)[..., ::-1])


def test_video_errors_name_the_file(tmp_path):
    with pytest.raises(FileNotFoundError, match='none.mp4'):
        read_video(str(tmp_path / 'none.mp4'))
    (tmp_path / 'broken.mp4').write_bytes(b'no video')
    with pytest.raises(ValueError, match='broken.mp4'):
        read_video(str(tmp_path / 'broken.mp4'))
    (tmp_path / 'empty').mkdir()
    with pytest.raises(ValueError, match='no frames'):
        read_video(str(tmp_path / 'empty'))
    mixed = tmp_path / 'mixed'
    mixed.mkdir()
    cv2.imwrite(str(mixed / 'a.png'), np.zeros((4, 4, 3), np.uint8))
    cv2.imwrite(str(mixed / 'b.png'), np.zeros((5, 4, 3), np.uint8))
    with pytest.raises(ValueError, match='differ in size'):
        read_video(str(mixed))
    with pytest.raises(FileNotFoundError, match='not a folder'):
        list_images(str(tmp_path / 'nowhere'))
