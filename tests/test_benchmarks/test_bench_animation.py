# Copyright (c) OpenMMLab. All rights reserved.
import os.path as osp
import re
import subprocess
import sys

import pytest
import torch

REPO_ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
SCRIPT = osp.join(REPO_ROOT, 'benchmarks', 'animation', 'bench_animation.py')
TINY = ['--size', '64', '--tiny', '--iters', '1', '--threads', '1']


def row(mode: str, stdout: str) -> tuple:
    found = re.findall(
        rf'^\| {mode} \| 64 \| (\d+) \| 6 \| ([\d.]+) \| ([\d.]+) '
        r'\| ([\d.]+) \|$',
        stdout, re.M)
    assert len(found) == 1, stdout
    return tuple(float(v) for v in found[0][:3])


@pytest.fixture
def one_thread():
    """One intra-op thread (``--threads 1`` sets it process-wide)."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


def test_infer_and_train_rows_on_cpu(monkeypatch, capsys, one_thread):
    """In-process (a subprocess would re-import the stack for ~11 s)."""
    monkeypatch.syspath_prepend(osp.dirname(SCRIPT))
    import bench_animation
    bench_animation.main(['--mode', 'infer', '--frames', '12', *TINY])
    infer = capsys.readouterr().out
    bench_animation.main(['--mode', 'train', *TINY])
    train = capsys.readouterr().out
    frames, seconds, fps = row('infer', infer)
    assert frames == 12 and seconds > 0
    assert abs(fps - 12 / seconds) <= 0.01 * fps + 0.01
    assert re.search(r'peak RSS: \d+ MiB', infer)
    frames, seconds, per_s = row('train', train)
    assert frames == 6 and seconds > 0 and per_s > 0
    assert 'GFLAAnimation.train_step' in train


def test_animate_loop_is_the_models(monkeypatch, one_thread):
    """The benchmark's chunked loop generates what GFLAAnimation.animate
    does (the GPU machine times the loop without mmagic)."""
    from mmengine.registry import DefaultScope

    from gfla_mm.registry import MODELS
    monkeypatch.syspath_prepend(osp.dirname(SCRIPT))
    import bench_animation
    with DefaultScope.overwrite_default_scope('mmagic'):
        torch.manual_seed(0)
        model = MODELS.build(
            dict(
                type='GFLAAnimation',
                generator=dict(
                    type='GFLAAnimationGenerator', **bench_animation.TINY[
                        'generator'])))
        model.init_weights()
    model.eval()
    ref, ref_structure, structures = bench_animation.clip_inputs(
        6, 64, 'cpu')
    want = model.animate(ref, ref_structure, structures, chunk_size=3)
    got = bench_animation.animate(model.generator, ref, ref_structure,
                                  structures, 3)
    assert got.shape == (1, 6, 3, 64, 64)
    assert torch.equal(got, want)


def test_infer_runs_without_mmagic_mmcv_mmengine(tmp_path):
    """As on the lent GPU machine: only torch and gfla_mm._ext."""
    code = ('import sys, runpy\n'
            'sys.modules.update(mmagic=None, mmcv=None, mmengine=None)\n'
            f'sys.argv = [{SCRIPT!r}, "--mode", "infer", "--frames", "6", '
            + ', '.join(repr(a) for a in TINY) + ']\n'
            f'runpy.run_path({SCRIPT!r}, run_name="__main__")\n')
    proc = subprocess.run([sys.executable, '-c', code],
                          cwd=str(tmp_path),
                          capture_output=True,
                          text=True,
                          timeout=600,
                          env=dict(__import__('os').environ,
                                   OMP_NUM_THREADS='1'))
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-5000:]
    assert row('infer', proc.stdout)[0] == 6
    # Training needs GFLAAnimation (mmagic): a clear exit, not a traceback.
    code = code.replace('"infer"', '"train"')
    proc = subprocess.run([sys.executable, '-c', code],
                          cwd=str(tmp_path),
                          capture_output=True,
                          text=True,
                          timeout=600)
    assert proc.returncode != 0
    assert 'needs mmagic' in proc.stderr and 'Traceback' not in proc.stderr


def test_gpu_script_parses():
    for script in ('benchmarks/run_on_gpu.sh',
                   'benchmarks/animation/run_on_gpu.sh'):
        proc = subprocess.run(['bash', '-n', osp.join(REPO_ROOT, script)],
                              capture_output=True, text=True)
        assert proc.returncode == 0, (script, proc.stderr)
