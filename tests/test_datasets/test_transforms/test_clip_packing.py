# Copyright (c) OpenMMLab. All rights reserved.
import numpy as np
import pytest
import torch

from gfla_mm.datasets.transforms import PackClipInputs
from gfla_mm.datasets.transforms.clip_packing import clip_to_tensor


def results(t=4, h=6, w=5):
    rng = np.random.default_rng(0)
    return dict(
        frames=rng.integers(0, 256, (t, h, w, 3), dtype=np.uint8),
        ref_img=rng.integers(0, 256, (h, w, 3), dtype=np.uint8),
        skeletons=rng.random((t, h, w, 20), dtype=np.float32),
        ref_skeleton=rng.random((h, w, 20), dtype=np.float32),
        masks=np.where(rng.random((t, h, w)) > 0.5, 255, 0).astype(np.uint8),
        clip_valid=np.array([True, True, True, False]),
        keypoints=np.zeros((t, 17, 2), np.float32),
        video='v', chunk_size=2, num_valid=3)


def test_layouts():
    r = results()
    out = PackClipInputs()(r)
    inputs, sample = out['inputs'], out['data_samples']
    assert set(inputs) == {'ref_img', 'ref_skeleton', 'skeletons'}
    assert inputs['skeletons'].shape == (4, 20, 6, 5)
    torch.testing.assert_close(inputs['skeletons'][2, 7],
                               torch.from_numpy(r['skeletons'][2, ..., 7]))
    assert inputs['ref_img'].shape == (3, 6, 5)
    assert inputs['ref_img'].dtype == torch.float32
    assert sample.gt_img.shape == (4, 3, 6, 5)
    frame = torch.from_numpy(r['frames'][1, ..., 0]).float()
    torch.testing.assert_close(sample.gt_img[1, 0], frame)
    assert sample.gt_mask.shape == (4, 1, 6, 5)
    assert set(sample.gt_mask.unique().tolist()) == {0.0, 1.0}
    assert sample.clip_valid.tolist() == [True, True, True, False]
    meta = sample.metainfo
    assert meta['gt_channel_order'] == meta['ref_img_channel_order'] == 'rgb'
    assert meta['chunk_size'] == 2 and meta['num_valid'] == 3
    assert 'gt_mask_channel_order' not in meta


def test_keypoints_are_not_channel_moved():
    assert clip_to_tensor('keypoints', np.zeros((4, 17, 2))).shape == (4, 17,
                                                                       2)


def test_missing_input_key():
    r = results()
    del r['skeletons']
    with pytest.raises(KeyError, match="input key 'skeletons'"):
        PackClipInputs()(r)
