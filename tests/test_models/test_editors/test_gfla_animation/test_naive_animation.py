# Copyright (c) OpenMMLab. All rights reserved.
"""Naive-Animation: the image generator, frame by frame."""
import pytest
import torch
from mmagic.structures import DataSample
from mmengine.registry import DefaultScope

from gfla_mm.registry import MODELS

SIZE = 64


def build():
    torch.manual_seed(0)
    with DefaultScope.overwrite_default_scope('mmagic'):
        model = MODELS.build(
            dict(
                type='GFLANaiveAnimation',
                generator=dict(
                    type='GFLAGenerator',
                    base_channels=8,
                    max_channels=16,
                    flow_cfg=dict(base_channels=8, max_channels=16)),
                frames_per_batch=4,
                data_preprocessor=dict(
                    type='DataPreprocessor',
                    mean=[127.5] * 3,
                    std=[127.5] * 3,
                    non_image_keys=['ref_pose_map', 'pose_maps'],
                    data_keys=['gt_img'])))
    model.init_weights()
    return model.eval()


def test_every_frame_is_the_image_model_on_the_reference():
    model = build()
    g = torch.Generator().manual_seed(1)
    inputs = dict(
        ref_img=torch.rand(3, SIZE, SIZE, generator=g) * 255,
        ref_pose_map=torch.rand(18, SIZE, SIZE, generator=g),
        pose_maps=torch.rand(6, 18, SIZE, SIZE, generator=g))
    sample = DataSample(gt_img=torch.rand(6, 3, SIZE, SIZE) * 255)
    sample.set_metainfo(
        dict(ref_img_channel_order='rgb', gt_channel_order='rgb',
             num_valid=5))
    with torch.no_grad():
        out = model.test_step(dict(inputs=[inputs], data_samples=[sample]))
    assert out[0].output.pred_img.shape == (5, 3, SIZE, SIZE)
    assert out[0].gt_img.shape == (5, 3, SIZE, SIZE)
    # Frame 3 equals the image generator on (reference, frame 3's map).
    data = model.data_preprocessor(
        dict(inputs=[inputs], data_samples=[sample]), False)['inputs']
    with torch.no_grad():
        frame3 = model.generator(data['ref_img'], data['ref_pose_map'],
                                 data['pose_maps'][:, 3])[0]
    expected = ((frame3[0].flip(0) + 1) * 127.5).clamp(0, 255)
    torch.testing.assert_close(out[0].output.pred_img[3], expected,
                               atol=1e-3, rtol=0)


def test_naive_animation_is_test_only():
    model = build()
    with pytest.raises(NotImplementedError, match='test-only'):
        model.train_step({}, None)
    with pytest.raises(ValueError, match='test-only'):
        model({}, mode='tensor')
    with pytest.raises(KeyError, match='pose_maps'):
        model(dict(ref_img=torch.zeros(1, 3, SIZE, SIZE)))
