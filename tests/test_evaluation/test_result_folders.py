# Copyright (c) OpenMMLab. All rights reserved.
import cv2
import numpy as np
import pytest

from gfla_mm.evaluation import match_images, match_videos


def _touch_image(folder, name):
    folder.mkdir(parents=True, exist_ok=True)
    cv2.imwrite(str(folder / name), np.zeros((4, 4, 3), np.uint8))


def test_match_images_official_names(tmp_path):
    gt, pred = tmp_path / 'gt', tmp_path / 'pred'
    for tgt in ('b', 'c', 'd'):
        _touch_image(gt, f'{tgt}.jpg')
    # Official naming <src>_2_<tgt>_vis, plus a plain name.
    for name in ('a_2_b_vis.png', 'x_2_c_vis.png', 'd.png'):
        _touch_image(pred, name)
    assert match_images(str(pred), str(gt)) == [
        ('a_2_b_vis.png', 'b.jpg'), ('d.png', 'd.jpg'),
        ('x_2_c_vis.png', 'c.jpg')
    ]
    _touch_image(pred, 'a_2_zz_vis.png')
    with pytest.raises(ValueError, match='a_2_zz_vis.png: looked for zz'):
        match_images(str(pred), str(gt))


def test_match_videos_by_name(tmp_path):
    gt, pred = tmp_path / 'gt', tmp_path / 'pred'
    _touch_image(gt / 'clip1', '0.png')  # a folder of frames
    gt.joinpath('clip2.mp4').write_bytes(b'')
    _touch_image(pred / 'clip1', '0.png')
    pred.joinpath('clip2.gif').write_bytes(b'')
    pred.joinpath('notes.txt').write_text('not a video')
    assert match_videos(str(pred), str(gt)) == [('clip1', 'clip1'),
                                               ('clip2.gif', 'clip2.mp4')]
    pred.joinpath('clip3.avi').write_bytes(b'')
    with pytest.raises(ValueError, match='clip3.avi'):
        match_videos(str(pred), str(gt))
