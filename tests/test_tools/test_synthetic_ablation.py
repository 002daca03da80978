# Copyright (c) OpenMMLab. All rights reserved.
import os.path as osp
import re

REPO_ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
TOOL = osp.join(REPO_ROOT, 'tools', 'analysis_tools',
                'synthetic_ablation.py')


def test_quick_mode_runs_every_row_and_writes_the_table(tmp_path, run_tool):
    out = tmp_path / 'table.md'
    run_tool([
        TOOL, '--quick', '--data',
        str(tmp_path / 'data'), '--work-dir',
        str(tmp_path / 'work'), '--out',
        str(out)
    ], str(tmp_path))
    table = out.read_text()
    rows = {
        line.split('|')[1].strip():
        [c.strip() for c in line.split('|')[4:10]]
        for line in table.splitlines() if line.startswith('| ') and
        not line.startswith('| Model') and not line.startswith('| :')
    }
    assert list(rows) == [
        'Baseline', 'Global-Attn', 'Bi-Sample', 'Local-Attn', 'Full'
    ]
    number = re.compile(r'^\d+\.\d+$')
    for name, cells in rows.items():
        # body/MAE, SSIM, PSNR always; FlowEPE only with a flow estimator.
        assert all(number.match(c) for c in cells[:3]), (name, cells)
        has_flow = name not in ('Baseline', 'Global-Attn')
        assert all(
            bool(number.match(c)) == has_flow for c in cells[3:]), (name,
                                                                    cells)
    assert 'Zero flow (no motion)' in table and '--quick' in table
    # Bi-Sample and Full start from the one stage-1 checkpoint.
    assert osp.isfile(tmp_path / 'work' / 'stage1' / 'iter_2.pth')
