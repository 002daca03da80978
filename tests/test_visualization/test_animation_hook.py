# Copyright (c) OpenMMLab. All rights reserved.
import os.path as osp
from types import SimpleNamespace

import av
import cv2
import pytest
import torch
from mmagic.structures import DataSample

from gfla_mm.visualization import AnimationVisualizationHook


def prediction(t=5, h=32, w=24):
    sample = DataSample(
        gt_img=torch.full((t, 3, h, w), 200.0),
        ref_img=torch.full((3, h, w), 50.0))
    sample.output = DataSample(pred_img=torch.rand(t, 3, h, w) * 255)
    sample.set_metainfo(dict(video='clipA'))
    return sample


@pytest.mark.parametrize('key,channels', [('skeletons', 20),
                                          ('pose_maps', 18)])
def test_strip_and_video_per_validated_clip(tmp_path, key, channels):
    runner = SimpleNamespace(log_dir=str(tmp_path), iter=7)
    hook = AnimationVisualizationHook(max_videos=1, num_frames=3)
    batch = dict(inputs={key: [torch.rand(6, channels, 32, 24) * 255] * 2})
    hook.before_val(runner)
    hook.after_val_iter(runner, 0, batch, [prediction(), prediction()])
    stem = osp.join(tmp_path, 'vis_data', 'animation', 'clipA_iter7')
    strip = cv2.imread(stem + '.png')
    # 3 rows of reference | driving | generated | ground truth.
    assert strip.shape == (3 * 32, 4 * 24, 3)
    assert abs(int(strip[5, 5, 0]) - 50) <= 1  # the reference
    assert abs(int(strip[5, 3 * 24 + 5, 0]) - 200) <= 1  # ground truth
    with av.open(stem + '.mp4') as video:
        stream = video.streams.video[0]
        assert stream.codec_context.name == 'h264'
        frames = [f.to_ndarray(format='rgb24') for f in video.decode(video=0)]
    # The padding frame (6 structures, 5 predictions) is cut.
    assert len(frames) == 5 and frames[0].shape == (32, 3 * 24, 3)
    assert not osp.exists(osp.join(tmp_path, 'vis_data', 'animation',
                                   'clipB_iter7.png'))


def test_interval_and_missing_inputs(tmp_path):
    runner = SimpleNamespace(log_dir=str(tmp_path), iter=1)
    hook = AnimationVisualizationHook(interval=2)
    batch = dict(inputs=dict(skeletons=[torch.zeros(5, 20, 32, 24)]))
    hook.before_val(runner)
    hook.before_val(runner)  # the second run: skipped
    hook.after_val_iter(runner, 0, batch, [prediction()])
    assert not osp.exists(osp.join(tmp_path, 'vis_data'))
    hook.before_val(runner)
    with pytest.raises(KeyError, match='driving inputs'):
        hook.after_val_iter(runner, 0, dict(inputs={}), [prediction()])
    with pytest.raises(ValueError, match='max_videos'):
        AnimationVisualizationHook(max_videos=0)
