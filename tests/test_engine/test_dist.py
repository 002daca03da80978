# Copyright (c) OpenMMLab. All rights reserved.
from mmengine.config import Config

from gfla_mm.engine import setup_cpu_distributed


def test_nothing_without_a_launcher():
    cfg = Config(dict(launcher='none'))
    assert setup_cpu_distributed(cfg) is False
    assert 'model_wrapper_cfg' not in cfg
