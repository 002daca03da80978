# Copyright (c) OpenMMLab. All rights reserved.
"""End-to-end runs of the training/test tools on the 2-iteration toy config:
ours, mmagic's stock ones, and ``mim train gfla_mm``."""
import glob
import json
import os.path as osp
import shutil
import subprocess
import sys

import mmagic
import pytest
import torch

REPO_ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
TRAIN = osp.join(REPO_ROOT, 'tools', 'train.py')
TEST = osp.join(REPO_ROOT, 'tools', 'test.py')
MMAGIC_TOOLS = osp.join(osp.dirname(mmagic.__file__), '.mim', 'tools')

pytestmark = pytest.mark.slow


def iteration_checkpoints(work_dir):
    return sorted(
        osp.basename(p) for p in glob.glob(osp.join(work_dir, 'iter_*.pth')))


def saved_iter(path):
    # Loads through gfla_mm's weights-only loader, as the Runner does.
    from gfla_mm.engine import load_from_local_weights_only
    return load_from_local_weights_only(path)['meta']['iter']


def test_train_then_resume_then_test(tmp_path, run_tool, toy_config):
    work_dir = str(tmp_path / 'work')
    run_tool([TRAIN, toy_config, '--work-dir', work_dir], cwd=str(tmp_path))
    assert iteration_checkpoints(work_dir) == ['iter_2.pth']
    assert saved_iter(osp.join(work_dir, 'iter_2.pth')) == 2
    # A Runner checkpoint is not loadable with torch's plain default ...
    with pytest.raises(Exception, match='[Ww]eights only load failed'):
        torch.load(osp.join(work_dir, 'iter_2.pth'))

    # ... yet --resume continues from it (iters 3-4) with no global switch.
    proc = run_tool([
        TRAIN, toy_config, '--work-dir', work_dir, '--resume',
        '--cfg-options', 'train_cfg.max_iters=4'
    ],
                    cwd=str(tmp_path))
    log = proc.stdout + proc.stderr
    assert 'resumed epoch: 0, iter: 2' in log
    assert iteration_checkpoints(work_dir) == ['iter_2.pth', 'iter_4.pth']
    assert saved_iter(osp.join(work_dir, 'iter_4.pth')) == 4

    # load_from through tools/test.py, metrics dumped with --out.
    out = str(tmp_path / 'metrics.json')
    run_tool([
        TEST, toy_config,
        osp.join(work_dir, 'iter_4.pth'), '--work-dir',
        str(tmp_path / 'test'), '--out', out
    ],
             cwd=str(tmp_path))
    with open(out) as f:
        metrics = json.load(f)
    assert set(metrics) == {'toy/mae'}
    assert 0 <= metrics['toy/mae'] < 10


def test_train_amp_flag_switches_the_wrapper(tmp_path):
    sys.path.insert(0, osp.dirname(TRAIN))
    try:
        import train as train_tool
    finally:
        sys.path.pop(0)
    from mmengine.config import Config
    cfg = Config(
        dict(optim_wrapper=dict(type='OptimWrapper', optimizer=dict())))
    train_tool.enable_amp(cfg, cuda=True)
    assert cfg.optim_wrapper.type == 'AmpOptimWrapper'

    def gan():  # GFLA's layout: sub-wrappers without an explicit type
        return Config(
            dict(
                optim_wrapper=dict(
                    constructor='MultiOptimWrapperConstructor',
                    generator=dict(optimizer=dict()),
                    discriminator=dict(type='OptimWrapper',
                                       optimizer=dict()))))

    gpu = gan()
    train_tool.enable_amp(gpu, cuda=True)
    assert gpu.optim_wrapper.generator.type == 'AmpOptimWrapper'
    assert gpu.optim_wrapper.discriminator.loss_scale == 'dynamic'
    cpu = gan()
    train_tool.enable_amp(cpu, cuda=False)
    for key in ('generator', 'discriminator'):
        assert cpu.optim_wrapper[key].type == 'CPUAmpOptimWrapper'
        assert cpu.optim_wrapper[key].dtype == 'bfloat16'
    bad = Config(dict(optim_wrapper=dict(type='ApexOptimWrapper')))
    with pytest.raises(ValueError, match='ApexOptimWrapper'):
        train_tool.enable_amp(bad)


def test_mmagic_stock_tools_run_our_config(tmp_path, run_tool, toy_config):
    work_dir = str(tmp_path / 'work')
    run_tool([osp.join(MMAGIC_TOOLS, 'train.py'), toy_config, '--work-dir',
              work_dir],
             cwd=str(tmp_path))
    assert iteration_checkpoints(work_dir) == ['iter_2.pth']
    run_tool([
        osp.join(MMAGIC_TOOLS, 'test.py'), toy_config,
        osp.join(work_dir, 'iter_2.pth'), '--work-dir',
        str(tmp_path / 'test')
    ],
             cwd=str(tmp_path))


def test_mim_train_finds_gfla_mm(tmp_path, toy_config, tool_environ):
    mim = shutil.which('mim', path=osp.dirname(sys.executable))
    assert mim, 'openmim is part of requirements/tests.txt'
    # mim runs the train.py it finds in gfla_mm's installed package root.
    pkg_tools = osp.join(
        osp.dirname(__import__('gfla_mm').__file__), '.mim', 'tools')
    assert osp.isfile(osp.join(pkg_tools, 'train.py'))
    work_dir = str(tmp_path / 'work')
    proc = subprocess.run(
        [mim, 'train', 'gfla_mm', toy_config, '--work-dir', work_dir],
        cwd=str(tmp_path),
        env=tool_environ,
        capture_output=True,
        text=True,
        timeout=600)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-5000:]
    assert iteration_checkpoints(work_dir) == ['iter_2.pth']
    # mim test runs gfla_mm's tools/test.py on the checkpoint.
    proc = subprocess.run([
        mim, 'test', 'gfla_mm', toy_config, '--checkpoint',
        osp.join(work_dir, 'iter_2.pth'), '--work-dir',
        str(tmp_path / 'test')
    ],
                          cwd=str(tmp_path),
                          env=tool_environ,
                          capture_output=True,
                          text=True,
                          timeout=600)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-5000:]
    assert 'toy/mae' in proc.stdout + proc.stderr


@pytest.mark.parametrize('script,args,tool_args', [
    ('dist_train.sh', ['CFG.py', '2', '--work-dir', 'W'],
     ['train.py', 'CFG.py', '--launcher', 'pytorch', '--work-dir', 'W']),
    ('dist_test.sh', ['CFG.py', 'CKPT.pth', '2', '--out', 'M.json'], [
        'test.py', 'CFG.py', 'CKPT.pth', '--launcher', 'pytorch', '--out',
        'M.json'
    ]),
])
def test_dist_scripts_call_torchrun(tmp_path, tool_environ, script, args,
                                    tool_args):
    """The torchrun command lines (mmengine's pytorch launcher needs CUDA,
    so a real DDP run is a GPU test)."""
    fake = tmp_path / 'python'
    fake.write_text('#!/bin/sh\necho "$@"\n')
    fake.chmod(0o755)
    proc = subprocess.run(
        ['bash', osp.join(REPO_ROOT, 'tools', script), *args],
        env=dict(tool_environ, PYTHON=str(fake), NNODES='1'),
        capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    words = proc.stdout.split()
    assert words[:2] == ['-m', 'torch.distributed.run']
    assert '--nproc_per_node=2' in words and '--master_port=29500' in words
    tool = words.index(osp.join(REPO_ROOT, 'tools', tool_args[0]))
    assert words[tool + 1:] == tool_args[1:]


def test_dist_train_runs_ddp_on_cpu(tmp_path, toy_config, tool_environ):
    """Two gloo processes through torchrun on a CPU-only machine."""
    env = dict(tool_environ, PYTHON=sys.executable, PORT='29561')
    work_dir = str(tmp_path / 'work')
    proc = subprocess.run([
        'bash',
        osp.join(REPO_ROOT, 'tools', 'dist_train.sh'), toy_config, '2',
        '--work-dir', work_dir
    ],
                          cwd=str(tmp_path),
                          env=env,
                          capture_output=True,
                          text=True,
                          timeout=600)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-5000:]
    assert 'Distributed training: True' in proc.stdout + proc.stderr
    assert iteration_checkpoints(work_dir) == ['iter_2.pth']


def test_mim_search_lists_the_gfla_configs(tool_environ):
    """model-index.yml -> configs/gfla/metafile.yml, read through .mim."""
    mim = shutil.which('mim', path=osp.dirname(sys.executable))
    proc = subprocess.run([mim, 'search', 'gfla_mm'],
                          env=tool_environ,
                          capture_output=True,
                          text=True,
                          timeout=300)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    assert 'gfla_1xb8-1000k_deepfashion-256x256' in proc.stdout
    assert '10.573' in proc.stdout  # Table III FID
