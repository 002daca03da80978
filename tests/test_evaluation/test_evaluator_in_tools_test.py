# Copyright (c) OpenMMLab. All rights reserved.
import json
import os.path as osp

import pytest
import torch

from gfla_mm.datasets import make_synthetic_dataset

REPO_ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
TEST_TOOL = osp.join(REPO_ROOT, 'tools', 'test.py')
CONFIG = osp.join(REPO_ROOT, 'tests', 'data', 'configs',
                  'toy_pose_transfer_eval.py')


@pytest.mark.slow
def test_metrics_run_in_the_evaluator_of_tools_test(tmp_path, run_tool):
    root = tmp_path / 'synthetic'
    make_synthetic_dataset(str(root), (1, 1), 3, size=(64, 64), seed=0)
    ckpt = tmp_path / 'toy.pth'
    torch.manual_seed(0)
    torch.save(
        dict(state_dict={
            'conv.weight': torch.randn(3, 39, 3, 3) * 0.05,
            'conv.bias': torch.zeros(3)
        }), ckpt)
    out = tmp_path / 'metrics.json'
    run_tool([
        TEST_TOOL, CONFIG,
        str(ckpt), '--out',
        str(out), '--work-dir',
        str(tmp_path / 'work'), '--cfg-options',
        f'test_dataloader.dataset.data_root={root}'
    ],
             cwd=str(tmp_path))
    metrics = json.loads(out.read_text())
    assert set(metrics) >= {'LPIPS', 'MaskLPIPS', 'FID', 'SSIM', 'PSNR'}
    for name in ('LPIPS', 'MaskLPIPS', 'FID'):
        assert metrics[name] > 0
    assert metrics['MaskLPIPS'] < metrics['LPIPS']
