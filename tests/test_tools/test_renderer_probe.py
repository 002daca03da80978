# Copyright (c) OpenMMLab. All rights reserved.
import importlib.util
import math
import os.path as osp

from gfla_mm.datasets import make_synthetic_dataset

REPO_ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
TOOL = osp.join(REPO_ROOT, 'tools', 'analysis_tools', 'renderer_probe.py')
DEMO = osp.join(REPO_ROOT, 'configs', 'gfla', 'gfla_synthetic_demo.py')


def test_probe_trains_on_ground_truth_flows_and_scores(tmp_path):
    root = str(tmp_path / 'data')
    make_synthetic_dataset(root, (2, 1), 3, seed=0)
    spec = importlib.util.spec_from_file_location('renderer_probe', TOOL)
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    narrow = ['model.generator.base_channels=4',
              'model.generator.max_channels=8']
    result = tool.main([
        DEMO, '--data', root, '--iters', '3', '--batch-size', '3',
        '--cfg-options', *narrow
    ])
    assert set(result) == {'body_L1', 'background_L1', 'swap', 'spread'}
    assert all(math.isfinite(v) and v >= 0 for v in result.values())
    assert 0 < result['body_L1'] < 1
    # The demo's generator reads the source: rotating the sources changes
    # the output even untrained.
    assert result['swap'] > 0
    # The paper's two attended levels instead of the demo's three.
    two = tool.main([
        DEMO, '--data', root, '--iters', '1', '--batch-size', '3',
        '--attn-kernel-sizes', '3:3', '2:5', '--cfg-options', *narrow
    ])
    assert two['body_L1'] != result['body_L1']
