# Copyright (c) OpenMMLab. All rights reserved.
"""README's promises, run as written."""
import os.path as osp
import re

import torch
from mmagic.registry import MODELS
from mmengine.config import Config

from gfla_mm.models import LocalAttention

REPO_ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))


def readme_python_blocks():
    with open(osp.join(REPO_ROOT, 'README.md'), encoding='utf-8') as f:
        return re.findall(r'```python\n(.*?)```', f.read(), flags=re.S)


def test_custom_imports_snippet_builds_a_gfla_module(tmp_path):
    snippet = next(b for b in readme_python_blocks() if 'custom_imports' in b)
    config = tmp_path / 'my_config.py'
    config.write_text(snippet)
    cfg = Config.fromfile(str(config))
    assert cfg.default_scope == 'mmagic'
    block = MODELS.build(cfg.attention)
    assert isinstance(block, LocalAttention)
    source = torch.randn(1, 64, 6, 7)
    out = block(source, torch.randn(1, 64, 6, 7), torch.zeros(1, 2, 6, 7))
    assert out.shape == source.shape


def test_readme_commands_are_the_ci_commands():
    with open(osp.join(REPO_ROOT, '.ci', 'run')) as f:
        ci = [line.strip() for line in f
              if line.strip() and not line.startswith('#')]
    assert ci[-1] == 'make test'
    with open(osp.join(REPO_ROOT, 'README.md'), encoding='utf-8') as f:
        assert 'make test' in f.read()
