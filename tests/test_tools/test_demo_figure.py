# Copyright (c) OpenMMLab. All rights reserved.
import importlib.util
import os.path as osp

import cv2
import torch
from mmengine.config import Config
from mmengine.registry import DefaultScope

from gfla_mm.datasets import make_synthetic_dataset
from gfla_mm.registry import MODELS

REPO_ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
TOOL = osp.join(REPO_ROOT, 'tools', 'analysis_tools', 'demo_figure.py')
DEMO = osp.join(REPO_ROOT, 'configs', 'gfla', 'gfla_synthetic_demo.py')


def load_tool():
    spec = importlib.util.spec_from_file_location('demo_figure', TOOL)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_figure_has_a_row_per_pair_and_a_column_per_panel(tmp_path):
    root = str(tmp_path / 'data')
    make_synthetic_dataset(root, (1, 1), 3, seed=0)
    cfg = Config.fromfile(DEMO)
    cfg.model.flow_init = None
    with DefaultScope.overwrite_default_scope('mmagic'):
        model = MODELS.build(cfg.model)
    model.init_weights()
    ckpt = str(tmp_path / 'demo.pth')
    torch.save({'state_dict': model.state_dict()}, ckpt)
    out = str(tmp_path / 'fig.png')
    tool = load_tool()
    tool.main([DEMO, ckpt, '--out', out, '--data', root, '--pairs', '0',
               '3', '--scale', '1'])
    image = cv2.imread(out)
    levels = len(cfg.model.generator.attn_kernel_sizes)
    # source, pose, generated, ground truth, then per level a flow and an
    # attention heat map.
    assert image.shape == (2 * 64, (4 + 2 * levels) * 64, 3)
    # The query box is drawn in red on the generated image.
    generated = image[:64, 128:192]
    assert ((generated[..., 2] == 255) & (generated[..., 1] == 0)).sum() >= 28


def test_torso_box_sits_between_neck_and_hips():
    tool = load_tool()
    pose = torch.zeros(18, 64, 64)
    pose[tool.NECK, 10, 30] = 1
    for hip in tool.HIPS:
        pose[hip, 40, 30] = 1
    assert tool.torso_box(pose, 8) == [26, 21, 34, 29]
    # Missing joints: the image centre.
    assert tool.torso_box(torch.zeros(18, 64, 64), 8) == [28, 28, 36, 36]
