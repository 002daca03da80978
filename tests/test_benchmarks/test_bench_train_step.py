# Copyright (c) OpenMMLab. All rights reserved.
import os.path as osp
import re

REPO_ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
SCRIPT = osp.join(REPO_ROOT, 'benchmarks', 'train_step',
                  'bench_train_step.py')


def test_train_and_infer_benchmarks_run_on_cpu(tmp_path, run_tool):
    """The full DeepFashion model, shrunk to 64x64 inputs and one step."""
    train = run_tool([
        SCRIPT, '--mode', 'train', '--device', 'cpu', '--batch', '1',
        '--size', '64', '--iters', '1', '--warmup', '0', '--backends', 'ext',
        'reference'
    ],
                     cwd=str(tmp_path))
    rows = re.findall(r'^\| (fp32|bf16) \| (ext|reference) \| ([\d.]+) \|',
                      train.stdout, re.M)
    assert len(rows) == 4, train.stdout
    assert all(float(r[2]) > 0 for r in rows)
    assert 'ext / reference' in train.stdout
    infer = run_tool([
        SCRIPT, '--mode', 'infer', '--device', 'cpu', '--size', '64',
        '--iters', '1', '--warmup', '0', '--backends', 'ext'
    ],
                     cwd=str(tmp_path))
    for dtype in ('fp32', 'bf16'):
        assert re.search(rf'^\| {dtype} \| ext \| \d+ \|', infer.stdout,
                         re.M), infer.stdout


def test_torch_only_step_equals_gfla_train_step(monkeypatch):
    """The GPU machine's torch-only replica computes what GFLA.train_step
    does: the same losses and the same updated weights."""
    import copy

    import torch
    from mmagic.structures import DataSample
    from mmengine.optim import build_optim_wrapper
    from mmengine.registry import DefaultScope

    from gfla_mm.registry import MODELS
    from tests.tiny_models import tiny_gfla_cfg
    monkeypatch.syspath_prepend(osp.dirname(SCRIPT))
    import torch_only

    with DefaultScope.overwrite_default_scope('mmagic'):
        torch.manual_seed(0)
        model = MODELS.build(tiny_gfla_cfg())
        model.init_weights()
        twin = copy.deepcopy(model)
        optim = build_optim_wrapper(
            model,
            dict(
                constructor='MultiOptimWrapperConstructor',
                generator=dict(
                    optimizer=dict(type='Adam', lr=1e-4, betas=(0.0, 0.999))),
                discriminator=dict(
                    optimizer=dict(type='Adam', lr=1e-5,
                                   betas=(0.0, 0.999)))))
    gen = torch.Generator().manual_seed(1)
    sample = DataSample(
        target=torch.randint(0, 256, (3, 64, 64), generator=gen).float())
    data = dict(
        inputs=dict(
            source=torch.randint(0, 256, (1, 3, 64, 64),
                                 generator=gen).float(),
            source_heatmap=torch.rand(1, 18, 64, 64, generator=gen),
            target_heatmap=torch.rand(1, 18, 64, 64, generator=gen)),
        data_samples=[sample])
    packed = twin.data_preprocessor(copy.deepcopy(data), True)
    logs = model.train_step(data, optim)

    parts = dict(
        generator=twin.generator,
        discriminator=twin.discriminator,
        vgg=twin.vgg,
        perceptual=twin.perceptual_loss,
        style=twin.style_loss,
        correctness=twin.correctness_loss,
        regularization=twin.regularization_loss)
    inputs = packed['inputs']
    values = torch_only.train_step(parts, torch_only.optimizers(parts),
                                   inputs['source'],
                                   inputs['source_heatmap'],
                                   inputs['target_heatmap'],
                                   packed['data_samples'].target)
    assert set(values) == set(logs)
    for key, value in values.items():
        assert abs(value - logs[key].item()) <= 1e-5 * max(1, abs(value)), key
    # Adam's first step moves each weight by about lr * sign(grad) (1e-4 for
    # G): the summation order of the losses may only change that a little
    # where a gradient is ~0.
    for name in ('generator', 'discriminator'):
        ours = dict(getattr(twin, name).named_parameters())
        for key, param in getattr(model, name).named_parameters():
            torch.testing.assert_close(ours[key], param, rtol=0, atol=2e-5)


def test_benchmark_runs_without_mmagic_mmcv_mmengine(tmp_path):
    """As on the lent GPU machine: only torch, torchvision and gfla_mm._ext."""
    import subprocess
    import sys
    code = ('import sys, runpy\n'
            'sys.modules.update(mmagic=None, mmcv=None, mmengine=None)\n'
            f'sys.argv = [{SCRIPT!r}, "--mode", "train", "--device", "cpu", '
            '"--batch", "1", "--size", "64", "--iters", "1", "--warmup", '
            '"0", "--backends", "ext"]\n'
            f'runpy.run_path({SCRIPT!r}, run_name="__main__")\n')
    proc = subprocess.run([sys.executable, '-c', code],
                          cwd=str(tmp_path),
                          capture_output=True,
                          text=True,
                          timeout=600,
                          env=dict(__import__('os').environ,
                                   OMP_NUM_THREADS='1'))
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-5000:]
    assert 'impl torch' in proc.stdout
    assert re.search(r'^\| bf16 \| ext \| [\d.]+ \|', proc.stdout, re.M)


def test_gpu_scripts_parse():
    import subprocess
    for script in ('benchmarks/run_on_gpu.sh',
                   'benchmarks/train_step/run_on_gpu.sh',
                   'benchmarks/local_attention/run_on_gpu.sh'):
        proc = subprocess.run(['bash', '-n', osp.join(REPO_ROOT, script)],
                              capture_output=True, text=True)
        assert proc.returncode == 0, (script, proc.stderr)
