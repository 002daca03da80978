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


def test_readme_smoke_run_of_the_short_config_trains(tmp_path):
    """README's two-iteration smoke run of configs/gfla/gfla_deepfashion.py,
    as written but on a tiny synthetic set and a temporary work dir."""
    import shlex
    import subprocess
    import sys

    from gfla_mm.datasets import make_synthetic_dataset
    with open(osp.join(REPO_ROOT, 'README.md'), encoding='utf-8') as f:
        blocks = re.findall(r'```bash\n(.*?)```', f.read(), flags=re.S)
    block = next(b for b in blocks if 'gfla_deepfashion.py --work-dir' in b)
    argv = shlex.split(block.replace('\\\n', ' '))
    assert argv[:3] == ['python', 'tools/train.py',
                        'configs/gfla/gfla_deepfashion.py']
    data = str(tmp_path / 'synthetic')
    make_synthetic_dataset(data, num_identities=(2, 1), poses_per_identity=2)
    argv = [a.replace('data/synthetic', data).replace(
        'work_dirs/smoke', str(tmp_path / 'smoke')) for a in argv]
    proc = subprocess.run([sys.executable, *argv[1:]], cwd=REPO_ROOT,
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-5000:]
    assert osp.isfile(tmp_path / 'smoke' / 'iter_2.pth')
