# Copyright (c) OpenMMLab. All rights reserved.
"""The demo's stage 1 learns flows offline: its flow end-point error falls
well below the zero flow's within a few dozen iterations. The old demo
signal (the correctness loss on random VGG19 features) stays at the zero
flow's error over such a run (configs/gfla/README.md)."""
import os.path as osp

import torch
from mmengine.config import Config
from mmengine.dataset import pseudo_collate
from mmengine.registry import DefaultScope

from gfla_mm.datasets import make_synthetic_dataset
from gfla_mm.evaluation.metrics import flow_end_point_error
from gfla_mm.registry import DATASETS, MODELS

REPO_ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
FLOW_DEMO = osp.join(REPO_ROOT, 'configs', 'gfla',
                     'gfla_synthetic_demo_flow.py')


def epe_ratio(model, batches) -> float:
    """Mean EPE of the finer (1/4) flow over the zero flow's."""
    errs, zeros = [], []
    model.eval()
    with torch.no_grad():
        for batch in batches:
            data = model.data_preprocessor(batch, False)
            flows, _ = model(data['inputs'], mode='tensor')
            for i, sample in enumerate(
                    data['data_samples'].split(allow_nonseq_value=True)):
                err, n = flow_end_point_error(flows[-1][i], sample.gt_flow)
                zero, _ = flow_end_point_error(
                    torch.zeros_like(flows[-1][i]), sample.gt_flow)
                if n:
                    errs.append(float(err))
                    zeros.append(float(zero))
    model.train()
    return sum(errs) / sum(zeros)


def test_demo_stage1_learns_the_flow(tmp_path):
    root = str(tmp_path / 'data')
    make_synthetic_dataset(root, (3, 1), 3, seed=7)
    cfg = Config.fromfile(FLOW_DEMO)
    cfg.train_dataloader.dataset.data_root = root
    torch.manual_seed(0)
    with DefaultScope.overwrite_default_scope('mmagic'):
        model = MODELS.build(cfg.model)
        model.init_weights()
        dataset = DATASETS.build(cfg.train_dataloader.dataset)
    batches = [
        pseudo_collate([dataset[i] for i in range(j, j + 6)])
        for j in range(0, len(dataset), 6)
    ]
    optim = torch.optim.Adam(
        model.parameters(), **{
            k: v
            for k, v in cfg.optim_wrapper.optimizer.items() if k != 'type'
        })
    before = epe_ratio(model, batches)
    assert 0.98 < before <= 1.02  # the initial flow is ~0
    for step in range(80):
        batch = batches[step % len(batches)]
        data = model.data_preprocessor(batch, True)
        losses = model(data['inputs'], data['data_samples'], mode='loss')
        assert set(losses) == {'loss_flow', 'loss_regularization'}
        optim.zero_grad()
        sum(losses.values()).backward()
        optim.step()
    after = epe_ratio(model, batches)
    assert after < 0.8, f'flow EPE / zero-flow EPE {after:.3f} after 80 ' \
        'iterations'
