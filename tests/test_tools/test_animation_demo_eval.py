# Copyright (c) OpenMMLab. All rights reserved.
"""tools/analysis_tools/animation_demo_eval.py on tiny synthetic clips."""
import importlib.util
import os.path as osp

import cv2
import numpy as np
import pytest
import torch
from mmengine.config import Config
from mmengine.registry import DefaultScope

from gfla_mm.datasets import make_synthetic_clips
from gfla_mm.registry import MODELS

REPO_ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
TOOL = osp.join(REPO_ROOT, 'tools', 'analysis_tools',
                'animation_demo_eval.py')
DEMO = osp.join(REPO_ROOT, 'configs', 'gfla_animation',
                'gfla-animation_synthetic-demo.py')


def load_tool():
    spec = importlib.util.spec_from_file_location('animation_demo_eval',
                                                  TOOL)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope='module')
def clips_and_checkpoint(tmp_path_factory):
    tmp = tmp_path_factory.mktemp('anim_eval')
    root = str(tmp / 'clips')
    make_synthetic_clips(root, (0, 2), num_frames=12, size=(64, 64), seed=0)
    with DefaultScope.overwrite_default_scope('mmagic'):
        model = MODELS.build(Config.fromfile(DEMO).model)
    torch.manual_seed(0)
    model.init_weights()
    ckpt = str(tmp / 'random.pth')
    torch.save({'state_dict': model.state_dict()}, ckpt)
    return root, ckpt


def test_scores_and_strip(clips_and_checkpoint, tmp_path):
    root, ckpt = clips_and_checkpoint
    tool = load_tool()
    strip = str(tmp_path / 'strip.png')
    scores = tool.main([
        DEMO, ckpt, '--data', root, '--frames', '12', '--strip', strip
    ])
    assert set(scores) == {
        f'{f} L1 {w}'
        for f in tool.FIELDS for w in ('model', 'copy')
    } | {
        f'{b} EPE {w}'
        for b in ('reference', 'previous') for w in ('model', 'zero')
    }
    assert all(np.isfinite(v) and v >= 0 for v in scores.values()), scores
    # The body moves: copying the reference is wrong there, more than on
    # the background (only where the body was or went).
    assert scores['body L1 copy'] > scores['background L1 copy'] > 0
    assert scores['reference EPE zero'] > 0
    # Per clip a ground-truth row and a generated row, 64x64 cells x 2:
    # the reference, then frames 0, 4, 8.
    image = cv2.imread(strip)
    assert image.shape == (2 * 2 * 128, 4 * 128, 3)


def test_region_l1_splits_body_and_background():
    tool = load_tool()
    gt = torch.zeros(1, 3, 4, 4)
    pred = gt.clone()
    pred[..., :2, :] = 1.0  # wrong on the top half
    body = torch.zeros(1, 1, 4, 4)
    body[..., :2, :] = 1  # the body is the top half
    assert tool.region_l1(pred, gt, body) == [0.5, 1.0, 0.0]


def test_a_missing_split_names_its_folder(clips_and_checkpoint):
    root, ckpt = clips_and_checkpoint
    with pytest.raises(FileNotFoundError, match='train_256/train_A'):
        load_tool().main([DEMO, ckpt, '--data', root, '--split', 'train'])
