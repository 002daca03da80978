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
    assert re.search(r'^\| ext \| \d+ \|', infer.stdout, re.M), infer.stdout
