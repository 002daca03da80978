# Copyright (c) OpenMMLab. All rights reserved.
"""A wheel of gfla_mm installed into an environment that has the mm* stack
but not mmpose, used the way README's "Install into your own environment"
says: ``mim install`` of the wheel, import, ``mim search``, ``mim train``
from the wheel's ``.mim`` configs, and pose extraction failing with the
install message.

The environment is a new venv whose site-packages links every package of
the project's venv except gfla_mm and mmpose (no download, no second
torch); the wheel is built from a copy of the tracked sources (building in
the checkout would replace the editable install's ``.mim`` links).
"""
import os
import os.path as osp
import shutil
import subprocess
import sys
import sysconfig
import venv

import pytest

ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))
LEFT_OUT = ('gfla_mm', '__editable__', '__editable___gfla_mm', 'mmpose')


def _run(cmd, cwd, env=None, timeout=900) -> str:
    proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=timeout)
    assert proc.returncode == 0, (f'{cmd} failed:\n{proc.stdout[-3000:]}\n'
                                  f'{proc.stderr[-5000:]}')
    return proc.stdout + proc.stderr


def _copy_sources(dst: str) -> None:
    files = subprocess.run(
        ['git', 'ls-files', '-co', '--exclude-standard', '-z'], cwd=ROOT,
        capture_output=True, check=True).stdout.decode().split('\0')
    for rel in filter(None, files):
        src = osp.join(ROOT, rel)
        if osp.isfile(src):
            os.makedirs(osp.dirname(osp.join(dst, rel)), exist_ok=True)
            shutil.copy2(src, osp.join(dst, rel))


def _env_without_mmpose(path: str) -> str:
    """A venv seeing the project's packages, less gfla_mm and mmpose."""
    venv.create(path, with_pip=False, symlinks=True)
    py = osp.join(path, 'bin', 'python')
    site = subprocess.run(
        [py, '-c', 'import sysconfig; print(sysconfig.get_path("purelib"))'],
        capture_output=True, text=True, check=True).stdout.strip()
    ours = sysconfig.get_path('purelib')
    for name in os.listdir(ours):
        if not name.startswith(LEFT_OUT):
            os.symlink(osp.join(ours, name), osp.join(site, name))
    return py


@pytest.mark.slow
def test_wheel_installs_and_trains_without_mmpose(tmp_path):
    src, dist, env_dir, work = (str(tmp_path / n)
                                for n in ('src', 'dist', 'env', 'work'))
    os.makedirs(work)
    _copy_sources(src)
    _run([sys.executable, '-m', 'pip', 'wheel', '--no-deps',
          '--no-build-isolation', '-w', dist, src], cwd=src)
    wheels = [w for w in os.listdir(dist) if w.endswith('.whl')]
    assert len(wheels) == 1, wheels
    py = _env_without_mmpose(env_dir)
    # `mim install` is pip install plus mmcv's find links; pointing those at
    # a local folder keeps it offline.
    env = dict(os.environ, PYTHONPATH='', OMP_NUM_THREADS='1',
               MMCV_BASE_URL=f'file://{work}')
    _run([py, '-m', 'mim', 'install', '--no-deps', '--no-index',
          osp.join(dist, wheels[0])], cwd=work, env=env)

    # The installed package, not the checkout; mmpose really absent.
    out = _run([py, '-c',
                'import importlib.util, gfla_mm, gfla_mm.apis\n'
                'print(gfla_mm.__file__)\n'
                'assert importlib.util.find_spec("mmpose") is None\n'
                'from mmagic.registry import MODELS\n'
                'assert MODELS.get("GFLA") is not None\n'
                'try:\n'
                '    gfla_mm.apis.PoseExtractor()\n'
                'except ImportError as exc:\n'
                '    print(exc)\n'], cwd=work, env=env)
    assert osp.join(env_dir, 'lib') in out, out
    assert 'PoseExtractor needs mmpose' in out, out
    assert 'pip install --no-deps mmpose==' in out, out
    # Only gfla_mm's packages are in the wheel (no tests/ or tools/).
    out = _run([py, '-m', 'pip', 'show', '-f', 'gfla_mm'], cwd=work, env=env)
    assert 'tests/' not in out and 'gfla_mm/.mim/configs/gfla/' in out

    out = _run([py, '-m', 'mim', 'search', 'gfla_mm'],
               cwd=work, env=env)
    assert 'gfla_1xb8-1000k_deepfashion-256x256' in out, out

    data = osp.join(work, 'synthetic')
    _run([py, '-c',
          'from gfla_mm.datasets import make_synthetic_dataset\n'
          f'make_synthetic_dataset({data!r}, num_identities=(2, 1), '
          'poses_per_identity=2)\n'], cwd=work, env=env)
    roots = [f'{d}_dataloader.dataset.data_root={data}'
             for d in ('train', 'val', 'test')]
    out = _run([py, '-m', 'mim', 'train', 'gfla_mm',
                'gfla_synthetic_demo.py', '--work-dir',
                osp.join(work, 'run'), '--cfg-options',
                'train_cfg.max_iters=2', 'train_cfg.val_interval=2',
                'model.flow_init=None', 'train_dataloader.batch_size=1',
                'train_dataloader.num_workers=0',
                'val_dataloader.num_workers=0', *roots],
               cwd=work, env=env, timeout=900)
    assert osp.isfile(osp.join(work, 'run', 'iter_2.pth')), out[-3000:]
