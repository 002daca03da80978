# Copyright (c) OpenMMLab. All rights reserved.
import os.path as osp
import socket

import numpy as np
import pytest
import torch
from mmengine.registry import DefaultScope, init_default_scope
from mmengine.structures import InstanceData

from gfla_mm.apis.pose_extraction import (
    PoseExtractor,
    resolve_det_model,
    resolve_pose_model,
    select_person,
)

CONFIG = osp.join(
    osp.dirname(osp.dirname(osp.abspath(__file__))), 'data', 'configs',
    'tiny_topdown_coco.py')
HRNET = ('mmpose::body_2d_keypoint/topdown_heatmap/coco/'
         'td-hm_hrnet-w32_8xb64-210e_coco-256x192.py')


def test_extractor_outputs_openpose18_and_keeps_scope():
    init_default_scope('mmagic')
    extractor = PoseExtractor(CONFIG, pose_weights=None, det_model=None,
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
    strict = PoseExtractor(CONFIG, pose_weights=None, det_model=None,
                           score_thr=1e9)
    assert (strict(img) == -1).all()


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
        PoseExtractor(str(cfg), pose_weights=None, det_model=None)


def test_model_names_resolve_like_mmpose():
    cfg, weights = resolve_pose_model('human')  # mmpose's alias
    assert 'rtmpose-m_8xb256-420e_body8-256x192' in cfg.filename
    assert weights.startswith('https://download.openmmlab.com/')
    cfg, weights = resolve_pose_model(HRNET)  # the mmpose:: prefix
    assert osp.isfile(cfg.filename) and weights is None
    name = 'td-hm_hrnet-w32_8xb64-210e_coco-256x192'
    cfg, weights = resolve_pose_model(name)  # a model name
    assert cfg.filename.endswith(name + '.py')
    assert weights.endswith('.pth')
    with pytest.raises(ValueError, match="'no_such_model' is neither"):
        resolve_pose_model('no_such_model')
    with pytest.raises(FileNotFoundError, match='mmpose::nowhere.py'):
        resolve_pose_model('mmpose::nowhere.py')
    det_cfg, det_weights, cat_ids = resolve_det_model('human')
    assert 'rtmdet' in det_cfg.filename and cat_ids == (0, )
    with pytest.raises(ValueError, match="det_model 'cat'"):
        resolve_det_model('cat')


def test_select_person_takes_the_largest():
    boxes = np.array([[0, 0, 10, 10], [5, 5, 60, 90], [0, 0, 100, 100],
                      [20, 20, 70, 100]], float)
    scores = np.array([0.9, 0.8, 0.95, 0.1])
    labels = np.array([0, 0, 3, 0])  # the biggest box is not a person
    box, count = select_person(boxes, scores, labels, (0, ), 0.3, 'a.jpg')
    np.testing.assert_array_equal(box, [5, 5, 60, 90])
    assert count == 2  # the 0.1 box is below the threshold
    # Equal sizes: the more confident.
    box, _ = select_person(boxes[[0, 0]] + [[0, 0, 0, 0], [1, 1, 1, 1]],
                           [0.5, 0.7], [0, 0], (0, ), 0.3, 'a.jpg')
    np.testing.assert_array_equal(box, [1, 1, 11, 11])
    with pytest.raises(ValueError, match='no person detected in a.jpg'):
        select_person(boxes, scores, labels, (0, ), 0.99, 'a.jpg')
    with pytest.raises(ValueError, match='no person detected in b.jpg'):
        select_person(np.zeros((0, 4)), [], [], (0, ), 0.3, 'b.jpg')


def test_default_models_build_offline_and_use_the_largest_person(
        monkeypatch, tmp_path):
    """The defaults (mmpose's 'human' pose model and person detector)
    resolve and build with random weights and no network; the pose model
    then reads the largest detected person's box."""

    def refuse(*args, **kwargs):
        raise AssertionError(f'network access: {args}')

    monkeypatch.setattr(socket.socket, 'connect', refuse)
    init_default_scope('mmagic')
    extractor = PoseExtractor(pose_weights=None, det_weights=None,
                              score_thr=float('-inf'))
    assert type(extractor.model).__name__ == 'TopdownPoseEstimator'
    assert type(extractor.detector).__name__ == 'RTMDet'
    assert DefaultScope.get_current_instance().scope_name == 'mmagic'

    import mmdet.apis

    def detections(model, image):
        pred = InstanceData(
            bboxes=torch.tensor([[2., 2., 20., 20.], [60., 10., 110., 150.]]),
            scores=torch.tensor([0.9, 0.8]),
            labels=torch.tensor([0, 0]))
        return type('DetSample', (), {'pred_instances': pred})()

    monkeypatch.setattr(mmdet.apis, 'inference_detector', detections)
    img = np.random.default_rng(1).integers(0, 255, (160, 120, 3), np.uint8)
    kps = extractor(img, name='photo.jpg')
    same, count = extractor.keypoints(img, 'photo.jpg')
    np.testing.assert_array_equal(same, kps)
    assert count == 2  # both boxes are people; the larger is read
    present = (kps >= 0).all(1)
    assert present.any()
    # The top-down model reads the large box, padded 1.25x and widened to
    # its 3:4 input: x in [19.4, 150.6]. The small box's crop would hold
    # every joint in x <= 22.3, y <= 26.
    assert (kps[present, 0] >= 19).all()
    assert (kps[present, 0] > 23).any() or (kps[present, 1] > 27).any()
    assert DefaultScope.get_current_instance().scope_name == 'mmagic'

    def nobody(model, image):
        pred = InstanceData(bboxes=torch.zeros(0, 4), scores=torch.zeros(0),
                            labels=torch.zeros(0, dtype=torch.long))
        return type('DetSample', (), {'pred_instances': pred})()

    monkeypatch.setattr(mmdet.apis, 'inference_detector', nobody)
    path = str(tmp_path / 'empty_room.jpg')
    import cv2
    cv2.imwrite(path, img)
    with pytest.raises(ValueError, match='no person detected in .*'
                       'empty_room.jpg'):
        extractor(path)
