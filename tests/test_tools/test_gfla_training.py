# Copyright (c) OpenMMLab. All rights reserved.
"""GFLA through the stock-style tools on the synthetic set: sample grids,
exact --resume, 2-process DDP with --amp, and tools/test.py."""
import glob
import json
import os.path as osp
import subprocess
import sys

import pytest

from gfla_mm.datasets import make_synthetic_dataset

REPO_ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))

DEMO = osp.join(REPO_ROOT, 'configs', 'gfla', 'gfla_synthetic_demo.py')
TRAIN = osp.join(REPO_ROOT, 'tools', 'train.py')
TEST = osp.join(REPO_ROOT, 'tools', 'test.py')


@pytest.fixture(scope='module')
def synthetic_root(tmp_path_factory) -> str:
    root = str(tmp_path_factory.mktemp('synthetic') / 'data')
    make_synthetic_dataset(root, (2, 1), 3, size=(128, 128), seed=1)
    return root


def demo_options(root: str, iters: int, *extra: str) -> list:
    """Overrides that shrink the demo to a few seconds per run."""
    return [
        '--cfg-options', f'train_dataloader.dataset.data_root={root}',
        f'val_dataloader.dataset.data_root={root}',
        f'test_dataloader.dataset.data_root={root}',
        'train_dataloader.batch_size=2', 'val_dataloader.batch_size=2',
        f'train_cfg.max_iters={iters}', 'train_cfg.val_interval=2',
        'default_hooks.checkpoint.interval=2',
        'default_hooks.logger.interval=1', 'log_processor.window_size=1',
        'model.generator.base_channels=8', 'model.generator.max_channels=16',
        'custom_hooks.0.interval.val=1',
        # No stage-1 checkpoint here (make demo trains one first).
        'model.flow_init=None',
        *extra
    ]


def scalars(work_dir: str) -> dict:
    """iter -> logged training values, from every run in the work dir."""
    out = {}
    for path in sorted(glob.glob(osp.join(work_dir, '*', 'vis_data',
                                          'scalars.json'))):
        with open(path) as f:
            for line in f:
                rec = json.loads(line)
                if 'loss_l1' in rec:
                    out[rec['iter']] = rec
    return out


def test_demo_trains_writes_grids_and_resumes_exactly(
        tmp_path, run_tool, synthetic_root):
    straight = str(tmp_path / 'straight')
    run_tool([TRAIN, DEMO, '--work-dir', straight,
              *demo_options(synthetic_root, 4)], str(tmp_path))
    grids = glob.glob(
        osp.join(straight, '*', 'vis_data', 'vis_image', '*.png'))
    assert grids, 'validation wrote no sample grids'
    assert osp.isfile(osp.join(straight, 'iter_4.pth'))

    split = str(tmp_path / 'split')
    run_tool([TRAIN, DEMO, '--work-dir', split,
              *demo_options(synthetic_root, 2)], str(tmp_path))
    proc = run_tool([
        TRAIN, DEMO, '--work-dir', split, '--resume',
        *demo_options(synthetic_root, 4)
    ], str(tmp_path))
    assert 'resumed epoch: 0, iter: 2' in proc.stdout + proc.stderr
    a, b = scalars(straight), scalars(split)
    keys = ('loss_l1', 'loss_gan', 'loss_d_real', 'loss_d_fake',
            'loss_flow', 'loss_regularization')
    for it in (3, 4):
        for key in keys:
            assert b[it][key] == pytest.approx(a[it][key], rel=1e-5,
                                               abs=1e-6), (it, key)

    # tools/test.py scores the checkpoint with the config's metrics.
    out = str(tmp_path / 'metrics.json')
    run_tool([
        TEST, DEMO,
        osp.join(straight, 'iter_4.pth'), '--work-dir',
        str(tmp_path / 'test'), '--out', out,
        *demo_options(synthetic_root, 4)
    ], str(tmp_path))
    with open(out) as f:
        metrics = json.load(f)
    # The demo's offline evaluator: body-masked L1 and both flows' EPE.
    assert {
        'SSIM', 'PSNR', 'body/MAE', 'FlowEPE_1/8', 'FlowEPE_1/4',
        'ZeroFlowEPE_1/8', 'ZeroFlowEPE_1/4'
    } <= set(metrics)


def test_dist_train_two_processes_with_amp(tmp_path, tool_environ,
                                           synthetic_root):
    env = dict(tool_environ, PYTHON=sys.executable, PORT='29563')
    work_dir = str(tmp_path / 'ddp')
    proc = subprocess.run([
        'bash',
        osp.join(REPO_ROOT, 'tools', 'dist_train.sh'), DEMO, '2',
        '--work-dir', work_dir, '--amp',
        *demo_options(synthetic_root, 2, 'train_cfg.val_interval=100')
    ],
                          cwd=str(tmp_path),
                          env=env,
                          capture_output=True,
                          text=True,
                          timeout=600)
    log = proc.stdout + proc.stderr
    assert proc.returncode == 0, log[-6000:]
    assert 'Distributed training: True' in log
    assert 'CPUAmpOptimWrapper' in log
    assert osp.isfile(osp.join(work_dir, 'iter_2.pth'))
    last = scalars(work_dir)[2]
    assert all(
        isinstance(v, float) and v == v and abs(v) != float('inf')
        for k, v in last.items() if k.startswith('loss')), last
