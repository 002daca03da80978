# Copyright (c) OpenMMLab. All rights reserved.
import json
import os.path as osp
import sys

import torch

REPO_ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
SCRIPT = osp.join(REPO_ROOT, 'benchmarks', 'local_attention',
                  'bench_local_attention.py')


def test_cpu_benchmark_runs_and_reports(tmp_path, run_tool):
    out = tmp_path / 'bench.json'
    proc = run_tool([
        SCRIPT, '--device', 'cpu', '--shape', '1,16,32,5', '--iters', '1',
        '--warmup', '0', '--out', str(out)
    ],
                    cwd=str(tmp_path))
    assert '| gather | 1, 16, 32², 5 | float32 |' in proc.stdout
    assert '| block | 1, 16, 32², 5 | float32 |' in proc.stdout
    report = json.loads(out.read_text())
    assert report['checks_ok'] is True
    assert [r['what'] for r in report['results']] == ['gather', 'block']
    for row in report['results']:
        for side in ('ref', 'ext'):
            assert row[side]['fwd_ms'] > 0 and row[side]['fwd_bwd_ms'] > 0
        if sys.platform.startswith('linux'):
            # The CPU memory pass (peak resident set above the inputs): the
            # reference chain materialises the k x k patches, the op not.
            assert 0 < row['ext']['peak_mib'] < row['ref']['peak_mib']


def test_gpu_nonfinite_checks_run(monkeypatch):
    """The GPU day's non-finite checks, CPU against CPU: the script's logic
    (a NaN/inf pattern per op and gradient) runs and passes."""
    import importlib.util
    spec = importlib.util.spec_from_file_location('bench_local_attention',
                                                  SCRIPT)
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    monkeypatch.setenv(bench.TILED_ENV, '0')
    lines = []
    assert bench.nonfinite_checks(lines, devices=('cpu', 'cpu'))
    assert len(lines) == 10 and all(line.endswith('| ok |')
                                    for line in lines), lines
    assert bench.same_values(torch.tensor([1.0, float('nan')]),
                             torch.tensor([1.0, float('nan')]), 1e-6)
    assert not bench.same_values(torch.tensor([1.0, float('nan')]),
                                 torch.tensor([1.0, 2.0]), 1e-6)
