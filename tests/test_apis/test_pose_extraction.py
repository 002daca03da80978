# Copyright (c) OpenMMLab. All rights reserved.
import os.path as osp

import numpy as np
import pytest
from mmengine.registry import DefaultScope, init_default_scope

from gfla_mm.apis.pose_extraction import PoseExtractor, keep_default_scope

CONFIG = osp.join(
    osp.dirname(osp.dirname(osp.abspath(__file__))), 'data', 'configs',
    'tiny_topdown_coco.py')


def test_extractor_outputs_openpose18_and_keeps_scope():
    init_default_scope('mmagic')
    extractor = PoseExtractor(CONFIG, checkpoint=None,
                              score_thr=float('-inf'))
    assert DefaultScope.get_current_instance().scope_name == 'mmagic'
    img = np.random.default_rng(0).integers(0, 255, (80, 60, 3), np.uint8)
    kps = extractor(img)
    assert DefaultScope.get_current_instance().scope_name == 'mmagic'
    assert kps.shape == (18, 2)
    # No threshold: a joint is missing only if it fell outside the image.
    present = (kps >= 0).all(1)
    assert present.any()
    assert (kps[present, 0] < 60).all() and (kps[present, 1] < 80).all()
    assert ((kps[~present] == -1).all())
    if present[[1, 2, 5]].all():  # the neck is the shoulder midpoint
        np.testing.assert_allclose(kps[1], (kps[2] + kps[5]) / 2, atol=1e-4)
    strict = PoseExtractor(CONFIG, checkpoint=None, score_thr=1e9)
    assert (strict(img) == -1).all()


def test_keep_default_scope_restores():
    init_default_scope('mmagic')
    with keep_default_scope():
        init_default_scope('mmpose')
    assert DefaultScope.get_current_instance().scope_name == 'mmagic'


def test_non_coco_model_is_refused(tmp_path):
    cfg = tmp_path / 'cfg.py'
    with open(CONFIG) as f:
        cfg.write_text(f.read().replace('out_channels=17', 'out_channels=5'))
    # dataset_meta comes from COCO (17) regardless: the head mismatch shows
    # at inference; a meta with another count is refused up front.
    text = cfg.read_text() + (
        "\ntrain_dataloader = dict(dataset=dict(type='CocoDataset', "
        "metainfo=dict(from_file='configs/_base_/datasets/mpii.py')))\n")
    cfg.write_text(text)
    with pytest.raises(ValueError, match='predicts 16 keypoints'):
        PoseExtractor(str(cfg), checkpoint=None)
