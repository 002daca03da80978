# Copyright (c) OpenMMLab. All rights reserved.
import os

import cv2
import numpy as np
import pytest
from PIL import Image

from gfla_mm.apis import write_frames


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


def test_errors(tmp_path):
    with pytest.raises(ValueError, match='no frames'):
        write_frames([], str(tmp_path / 'x.mp4'))
    with pytest.raises(ValueError, match='.mp4, .avi, .gif or a folder'):
        write_frames(frames(), str(tmp_path / 'x.webm'))
    with pytest.raises(ValueError, match='fps'):
        write_frames(frames(), str(tmp_path / 'x.gif'), fps=0)
