# Copyright (c) OpenMMLab. All rights reserved.
import os

import av
import cv2
import numpy as np
import pytest
from PIL import Image

from gfla_mm.apis import write_frames
from gfla_mm.apis.inferencers.result_writers import side_by_side


def frames(n=5, h=32, w=24):
    out = []
    for i in range(n):
        f = np.zeros((h, w, 3), np.uint8)
        f[..., 2] = 40 * i  # red grows (BGR)
        out.append(f)
    return out


def test_mp4_avi_gif_and_folder(tmp_path):
    seq = frames()
    for ext in ('.mp4', '.avi'):
        path = write_frames(seq, str(tmp_path / 'sub' / f'v{ext}'), fps=10)
        cap = cv2.VideoCapture(path)
        count = 0
        while cap.read()[0]:
            count += 1
        assert count == 5, ext
        assert cap.get(cv2.CAP_PROP_FRAME_WIDTH) == 24
    gif = Image.open(write_frames(seq, str(tmp_path / 'a.gif'), fps=20))
    assert gif.n_frames == 5 and gif.info['duration'] == 50
    gif.seek(4)
    r, g, b = gif.convert('RGB').getpixel((0, 0))
    assert r == pytest.approx(160, abs=8) and g < 8 and b < 8
    folder = tmp_path / 'frames'
    write_frames(seq, str(folder))
    assert sorted(os.listdir(folder))[-1] == 'frame_00004.png'
    np.testing.assert_array_equal(
        cv2.imread(str(folder / 'frame_00003.png')), seq[3])


def decode(path):
    """(codec name, pixel format, (T, H, W, 3) RGB frames) of a video."""
    with av.open(path) as container:
        stream = container.streams.video[0]
        codec, pix_fmt = stream.codec_context.name, stream.format.name
        rgb = [f.to_ndarray(format='rgb24') for f in container.decode(stream)]
    return codec, pix_fmt, np.stack(rgb)


@pytest.mark.parametrize('h,w', [(32, 24), (31, 23)])
def test_mp4_is_h264_yuv420p(tmp_path, h, w):
    rng = np.random.default_rng(0)
    seq = []
    for i in range(6):
        f = np.zeros((h, w, 3), np.uint8)
        f[..., 2] = 30 * i + 40  # red grows (BGR)
        f[:, :w // 4 * 2, 0] = 200  # blue left half (even edge: 4:2:0)
        f += rng.integers(0, 4, f.shape, dtype=np.uint8)
        seq.append(f)
    path = write_frames(seq, str(tmp_path / 'v.mp4'), fps=15)
    codec, pix_fmt, rgb = decode(path)
    assert (codec, pix_fmt) == ('h264', 'yuv420p')
    # Odd sizes get one replicated column/row (yuv420p needs even ones).
    assert rgb.shape == (6, h + h % 2, w + w % 2, 3)
    got = rgb[:, :h, :w, ::-1].astype(int)  # back to BGR
    want = np.stack(seq).astype(int)
    # crf 18 with chroma subsampling: close, not exact; the colour
    # ramp and the blue half must survive.
    assert np.abs(got - want).mean() < 4
    assert np.abs(got[..., 2].mean((1, 2)) - want[..., 2].mean(
        (1, 2))).max() < 4
    with av.open(path) as container:
        assert container.streams.video[0].average_rate == 15


def test_side_by_side():
    left = [np.full((4, 3, 3), 1, np.uint8)] * 2
    right = [np.full((4, 5, 3), 2, np.uint8)] * 2
    out = side_by_side(left, right)
    assert len(out) == 2 and out[0].shape == (4, 8, 3)
    assert (out[1][:, :3] == 1).all() and (out[1][:, 3:] == 2).all()
    with pytest.raises(ValueError, match='2 left frames but 1 right'):
        side_by_side(left, right[:1])
    with pytest.raises(ValueError, match='frame 0 is .* one height'):
        side_by_side(left, [np.zeros((5, 5, 3), np.uint8)] * 2)


def test_errors(tmp_path):
    with pytest.raises(ValueError, match='no frames'):
        write_frames([], str(tmp_path / 'x.mp4'))
    with pytest.raises(ValueError, match='.mp4, .avi, .gif or a folder'):
        write_frames(frames(), str(tmp_path / 'x.webm'))
    with pytest.raises(ValueError, match='fps'):
        write_frames(frames(), str(tmp_path / 'x.gif'), fps=0)
