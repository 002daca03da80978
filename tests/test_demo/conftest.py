# Copyright (c) OpenMMLab. All rights reserved.
"""Fixtures of the web demo's tests: a tiny synthetic dataset and a narrow,
randomly initialised GFLA of the demo config saved as a checkpoint."""
import importlib.util
import os
import os.path as osp
import sys
from typing import NamedTuple

import pytest
import torch
from mmagic.registry import MODELS
from mmengine import Config
from mmengine.registry import DefaultScope

from gfla_mm.datasets import make_synthetic_dataset

REPO_ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
WEB_DEMO = osp.join(REPO_ROOT, 'demo', 'web_demo.py')
DEMO_CFG = osp.join(REPO_ROOT, 'configs', 'gfla', 'gfla_synthetic_demo.py')
POSE_CFG = osp.join(REPO_ROOT, 'tests', 'data', 'configs',
                    'tiny_topdown_coco.py')
# A trained checkpoint of DEMO_CFG instead of the random narrow model
# (to make the README's screenshot with the test's code path).
CHECKPOINT_ENV = 'GFLA_MM_WEB_DEMO_CHECKPOINT'


class DemoFiles(NamedTuple):
    config: str
    checkpoint: str
    data_root: str


def load_web_demo():
    """``demo/web_demo.py`` as a module (demo/ is no package)."""
    name = 'gfla_web_demo'
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, WEB_DEMO)
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


@pytest.fixture(scope='session')
def demo_files(tmp_path_factory) -> DemoFiles:
    """Synthetic test set (2 people x 3 poses, 128x128) and a 64x64 GFLA
    with 8-16 channels, random weights (or ``$GFLA_MM_WEB_DEMO_CHECKPOINT``
    with the demo config)."""
    tmp = tmp_path_factory.mktemp('web_demo')
    root = str(tmp / 'data')
    make_synthetic_dataset(root, (1, 2), 3, size=(128, 128), seed=3,
                           write_flow=False)
    cfg = Config.fromfile(DEMO_CFG)
    cfg.model.flow_init = None  # no stage-1 checkpoint here
    # The synthetic configs read flows and body masks in their test
    # pipeline; inference drops the ground truth, the gallery reads none.
    cfg.test_dataloader.dataset.data_root = root
    trained = os.environ.get(CHECKPOINT_ENV)
    if trained:
        cfg_path = str(tmp / osp.basename(DEMO_CFG))
        cfg.dump(cfg_path)
        return DemoFiles(cfg_path, trained, root)
    cfg_path = str(tmp / 'gfla_synthetic_demo_narrow.py')
    cfg.model.generator.base_channels = 8
    cfg.model.generator.max_channels = 16
    cfg.dump(cfg_path)
    torch.manual_seed(0)
    with DefaultScope.overwrite_default_scope('mmagic'):
        model = MODELS.build(cfg.model)
        model.init_weights()
    ckpt = str(tmp / 'gfla.pth')
    torch.save(dict(state_dict=model.state_dict()), ckpt)
    return DemoFiles(cfg_path, ckpt, root)
