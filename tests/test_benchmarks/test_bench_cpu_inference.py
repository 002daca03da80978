# Copyright (c) OpenMMLab. All rights reserved.
import os.path as osp
import re

REPO_ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
SCRIPT = osp.join(REPO_ROOT, 'benchmarks', 'cpu_inference',
                  'bench_cpu_inference.py')
CONFIG = osp.join(REPO_ROOT, 'configs', 'gfla', 'gfla_synthetic_demo.py')


def test_side_by_side_rows_at_a_tiny_size(tmp_path, run_tool):
    """The demo generator at 64x64, one round: a row per variant and dtype,
    the official architecture as the 1.00x baseline; the fast forms agree
    with gfla_mm's image to float rounding, bf16 more loosely."""
    out = run_tool([
        SCRIPT, '--config', CONFIG, '--size', '64', '64', '--iters', '1',
        '--warmup', '0', '--threads', '1', '--bf16'
    ],
                   cwd=str(tmp_path)).stdout
    rows = re.findall(
        r'^\| (\w+) \| (fp32|bf16) \| ([\d.]+) \| [\d.]+ \| [\d.]+ \| '
        r'([\d.]+)x \| [\d.]+ \| [\d.]+x \| ([\d.e+-]+) \|$', out, re.M)
    assert [(r[0], r[1]) for r in rows] == [
        (v, d) for d in ('fp32', 'bf16')
        for v in ('official', 'gfla_mm', 'fast', 'fast_cl')
    ], out
    assert rows[0][3] == '1.00'
    diffs = {(r[0], r[1]): float(r[4]) for r in rows}
    for variant in ('official', 'fast', 'fast_cl'):
        assert diffs[variant, 'fp32'] < 1e-4, out
    assert all(d < 0.2 for d in diffs.values()), out
    assert 'load average at start' in out and 'load average at end' in out
