# Copyright (c) OpenMMLab. All rights reserved.
import os.path as osp
import re

REPO_ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
SCRIPT = osp.join(REPO_ROOT, 'benchmarks', 'motion_extractor',
                  'bench_motion_extractor.py')


def test_benchmark_prints_a_row_per_chunk(tmp_path, run_tool):
    out = run_tool([
        SCRIPT, '--frames', '50', '--channels', '16', '--iters', '1',
        '--warmup', '0', '--chunks', '24', '0', '--threads', '1'
    ], cwd=str(tmp_path)).stdout
    rows = re.findall(r'^\| (\w+) \| 64 \| ([\d.]+) \| (\d+) \|$', out, re.M)
    assert [r[0] for r in rows] == ['24', 'whole'], out
    assert all(float(r[1]) > 0 and int(r[2]) > 0 for r in rows)
