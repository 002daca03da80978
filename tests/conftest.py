# Copyright (c) OpenMMLab. All rights reserved.
import os
import os.path as osp
import subprocess
import sys
from typing import List

import pytest
import torch

REPO_ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))
TEST_DATA = osp.join(REPO_ROOT, 'tests', 'data')
TOY_CONFIG = osp.join(TEST_DATA, 'configs', 'toy_regressor.py')
PLUGIN_DIR = osp.join(TEST_DATA, 'plugins')


def pytest_collection_modifyitems(config, items):
    """Skip ``@pytest.mark.gpu`` tests with a reason when CUDA is absent."""
    if torch.cuda.is_available():
        return
    skip = pytest.mark.skip(reason='needs a CUDA device; none is visible')
    for item in items:
        if 'gpu' in item.keywords:
            item.add_marker(skip)


def tool_env() -> dict:
    """Environment for tool subprocesses: the toy plugin importable, and no
    process-wide weights-only override (checkpoints must load without it)."""
    env = dict(os.environ)
    env.pop('TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD', None)
    env['PYTHONPATH'] = os.pathsep.join(
        [PLUGIN_DIR] + [p for p in [env.get('PYTHONPATH')] if p])
    env['CUDA_VISIBLE_DEVICES'] = ''
    # One intra-op thread per tool process: the CI machine has 2 cores and
    # DDP tests run 2 processes; oversubscribed OpenMP threads spin.
    env.setdefault('OMP_NUM_THREADS', '1')
    return env


def _run_tool(args: List[str], cwd: str) -> subprocess.CompletedProcess:
    """Run ``python *args`` with :func:`tool_env`; fail with its output."""
    proc = subprocess.run([sys.executable, *args],
                          cwd=cwd,
                          env=tool_env(),
                          capture_output=True,
                          text=True,
                          timeout=600)
    if proc.returncode != 0:
        pytest.fail(f'{" ".join(args)} exited {proc.returncode}\n'
                    f'--- stdout ---\n{proc.stdout[-4000:]}\n'
                    f'--- stderr ---\n{proc.stderr[-8000:]}')
    return proc


@pytest.fixture
def run_tool():
    """``run_tool([script, *args], cwd)``: a tool run in a subprocess."""
    return _run_tool


@pytest.fixture
def toy_config() -> str:
    """Path of the 2-iteration toy config (``tests/data/configs``)."""
    return TOY_CONFIG


@pytest.fixture
def toy_plugin_path(monkeypatch) -> str:
    """Puts the toy plugin on ``sys.path`` for in-process config imports."""
    monkeypatch.syspath_prepend(PLUGIN_DIR)
    return PLUGIN_DIR


@pytest.fixture
def tool_environ() -> dict:
    """The environment :func:`tool_env` gives tool subprocesses."""
    return tool_env()
