# Copyright (c) OpenMMLab. All rights reserved.
"""tools/setup_env.sh: a re-run with nothing changed does no install work;
a changed requirements file or extension source makes its stage stale."""
import os
import os.path as osp
import shutil
import subprocess
import sys

import pytest

REPO_ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
SCRIPT = osp.join('tools', 'setup_env.sh')
STAMPS = ('.gfla_mm-stack', '.gfla_mm-package')


def venv_root() -> str:
    if not all(osp.isfile(osp.join(sys.prefix, s)) for s in STAMPS):
        pytest.fail(f'{sys.prefix} was not made by {SCRIPT}: run `make test`')
    return sys.prefix


def run_script(root, venv, *args):
    env = dict(os.environ, GFLA_MM_VENV=venv)
    return subprocess.run(['bash', osp.join(root, SCRIPT), *args],
                          env=env,
                          capture_output=True,
                          text=True,
                          timeout=120)


def test_rerun_with_nothing_changed_does_nothing():
    proc = run_script(REPO_ROOT, venv_root())
    assert proc.returncode == 0, proc.stderr
    assert 'environment up to date' in proc.stderr
    assert 'installing' not in proc.stderr


@pytest.fixture
def checkout(tmp_path):
    """A copy of the files the script hashes, and a venv that shares the
    real interpreter and the real venv's stamps."""
    root = tmp_path / 'checkout'
    shutil.copytree(osp.join(REPO_ROOT, 'requirements'), root / 'requirements')
    (root / 'tools').mkdir()
    shutil.copy(osp.join(REPO_ROOT, SCRIPT), root / 'tools')
    shutil.copy(osp.join(REPO_ROOT, 'setup.py'), root)
    csrc = osp.join(REPO_ROOT, 'gfla_mm', 'ops', 'csrc')
    if osp.isdir(csrc):
        shutil.copytree(csrc, root / 'gfla_mm' / 'ops' / 'csrc')
    venv = tmp_path / 'venv'
    (venv / 'bin').mkdir(parents=True)
    os.symlink(sys.executable, venv / 'bin' / 'python')
    for stamp in STAMPS:
        shutil.copy(osp.join(venv_root(), stamp), venv / stamp)
    return root, str(venv)


def test_check_up_to_date(checkout):
    root, venv = checkout
    proc = run_script(root, venv, '--check')
    assert proc.returncode == 0, proc.stderr
    assert 'up to date' in proc.stderr


def test_changed_requirements_make_the_stack_stale(checkout):
    root, venv = checkout
    with open(root / 'requirements' / 'tests.txt', 'a') as f:
        f.write('hypothesis\n')
    proc = run_script(root, venv, '--check')
    assert proc.returncode == 1
    assert 'stale: stack' in proc.stderr
    assert 'stale: gfla_mm' not in proc.stderr


def test_changed_runtime_requirements_reinstall_both(checkout):
    root, venv = checkout
    with open(root / 'requirements' / 'runtime.txt', 'a') as f:
        f.write('einops\n')
    proc = run_script(root, venv, '--check')
    assert proc.returncode == 1
    assert 'stale: stack' in proc.stderr
    assert 'stale: gfla_mm' in proc.stderr


def test_new_extension_source_rebuilds_gfla_mm_only(checkout):
    root, venv = checkout
    cpu = root / 'gfla_mm' / 'ops' / 'csrc' / 'pytorch' / 'cpu'
    cpu.mkdir(parents=True, exist_ok=True)
    (cpu / 'new_op.cpp').write_text('// new kernel\n')
    proc = run_script(root, venv, '--check')
    assert proc.returncode == 1
    assert 'stale: gfla_mm' in proc.stderr
    assert 'stale: stack' not in proc.stderr


def test_missing_venv_is_stale(checkout, tmp_path):
    root, _ = checkout
    proc = run_script(root, str(tmp_path / 'nowhere'), '--check')
    assert proc.returncode == 1
    assert 'no venv' in proc.stderr
