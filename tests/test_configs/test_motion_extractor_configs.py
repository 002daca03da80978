# Copyright (c) OpenMMLab. All rights reserved.
"""configs/motion_extractor: the official H36M settings, the synthetic
config through stock tools/train.py and tools/test.py."""
import glob
import json
import os.path as osp

import numpy as np
import pytest
from mmengine.config import Config
from mmengine.registry import DefaultScope

from gfla_mm.registry import DATASETS, MODELS

REPO_ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
CONFIG_DIR = osp.join(REPO_ROOT, 'configs', 'motion_extractor')
H36M = osp.join(CONFIG_DIR, 'motion-extractor_1xb32-100k_h36m.py')
SYNTHETIC = osp.join(CONFIG_DIR, 'motion-extractor_synthetic.py')
TRAIN = osp.join(REPO_ROOT, 'tools', 'train.py')
TEST = osp.join(REPO_ROOT, 'tools', 'test.py')


def test_h36m_config_is_the_official_recipe():
    cfg = Config.fromfile(H36M)
    assert cfg.train_dataloader.batch_size == 32
    assert cfg.optim_wrapper.optimizer.type == 'Adam'
    assert cfg.optim_wrapper.optimizer.lr == 1e-4
    assert cfg.model.loss_type == 'mse' and cfg.model.loss_weight == 1000
    assert cfg.train_dataloader.dataset.subjects == ('S1', 'S5', 'S6', 'S7',
                                                     'S8')
    assert cfg.val_dataloader.dataset.subjects == ('S9', 'S11')
    assert cfg.train_dataloader.dataset.target_frames == 24
    aug = cfg.train_dataloader.dataset.pipeline[0]
    assert aug.scale == (1.0, 1.5) and aug.shift == (-0.1, 0.1)
    with DefaultScope.overwrite_default_scope('mmagic'):
        model = MODELS.build(cfg.model)
    assert sum(p.numel() for p in model.generator.parameters()) == 1_834_786


def test_synthetic_config_builds_offline():
    cfg = Config.fromfile(SYNTHETIC)
    with DefaultScope.overwrite_default_scope('mmagic'):
        model = MODELS.build(cfg.model)
        ds_cfg = cfg.val_dataloader.dataset.copy()
        ds_cfg.num_sequences = 1
        dataset = DATASETS.build(ds_cfg)
    assert model.generator.kp_input.expand_conv.out_channels == 128
    assert dataset[0]['inputs'].shape == (24 + 80, 17, 2)


def test_config_names_in_the_folder():
    names = sorted(osp.basename(p) for p in glob.glob(
        osp.join(CONFIG_DIR, '*.py')))
    assert names == [
        'motion-extractor_1xb32-100k_h36m.py', 'motion-extractor_synthetic.py'
    ]


@pytest.mark.slow
def test_train_two_iterations_then_test(tmp_path, run_tool):
    work = str(tmp_path / 'work')
    small = [
        'train_cfg.max_iters=2', 'train_cfg.val_interval=2',
        'train_dataloader.batch_size=2',
        'train_dataloader.dataset.num_sequences=2',
        'val_dataloader.dataset.num_sequences=1',
        'default_hooks.checkpoint.interval=2',
        'param_scheduler.0.T_max=2', 'default_hooks.logger.interval=1'
    ]
    run_tool([TRAIN, SYNTHETIC, '--work-dir', work, '--cfg-options'] + small,
             cwd=str(tmp_path))
    ckpt = osp.join(work, 'iter_2.pth')
    assert osp.isfile(ckpt)
    logs = glob.glob(osp.join(work, '*', 'vis_data', 'scalars.json'))
    lines = [json.loads(line) for line in open(logs[0])]
    losses = [r['loss_mpjpe'] for r in lines if 'loss_mpjpe' in r]
    assert len(losses) == 2 and np.isfinite(losses).all()
    assert any('MPJPE' in r for r in lines)
    out = str(tmp_path / 'metrics.json')
    run_tool([
        TEST, SYNTHETIC, ckpt, '--work-dir', work, '--out', out,
        '--cfg-options', 'test_dataloader.dataset.num_sequences=1'
    ], cwd=str(tmp_path))
    results = glob.glob(osp.join(work, '*', '*.json'))
    metrics = [json.load(open(p)) for p in results]
    assert any(np.isfinite(m.get('MPJPE', np.nan)) for m in metrics), metrics


def _mpjpe_by_iter(work_dir: str) -> dict:
    records = {}
    for path in glob.glob(osp.join(work_dir, '*', 'vis_data',
                                   'scalars.json')):
        for line in open(path):
            r = json.loads(line)
            if 'loss_mpjpe' in r:
                records[r['iter']] = r['loss_mpjpe']
    return records


@pytest.mark.slow
def test_resume_with_dropout_continues_exactly(tmp_path, run_tool):
    """4 iterations == 2, then --resume to 4, with the official dropout
    (0.15): its masks come from torch's generator, which default_runtime's
    RNGStateHook saves and restores (measured: with the hook taken out of
    default_runtime.py, iterations 3-4 differ)."""
    import torch
    from mmengine.runner.checkpoint import _load_checkpoint
    small = [
        'model.generator.dropout=0.15', 'train_dataloader.batch_size=2',
        'train_dataloader.dataset.num_sequences=2',
        'val_dataloader.dataset.num_sequences=1', 'train_cfg.val_interval=2',
        'default_hooks.checkpoint.interval=2',
        'default_hooks.checkpoint.max_keep_ckpts=2',
        'default_hooks.checkpoint.save_optimizer=True',
        # end explicit: by default mmengine stops the schedule at the first
        # run's max_iters and keeps that end when resumed.
        'param_scheduler.0.T_max=4', 'param_scheduler.0.end=4',
        'default_hooks.logger.interval=1'
    ]
    whole, split = str(tmp_path / 'whole'), str(tmp_path / 'split')
    for work, resume, iters in ((whole, [], 4), (split, [], 2),
                                (split, ['--resume'], 4)):
        run_tool([
            TRAIN, SYNTHETIC, '--work-dir', work, *resume, '--cfg-options',
            *small, f'train_cfg.max_iters={iters}'
        ], cwd=str(tmp_path))
    want, got = _mpjpe_by_iter(whole), _mpjpe_by_iter(split)
    assert sorted(want) == sorted(got) == [1, 2, 3, 4]
    assert got == want
    a, b = (_load_checkpoint(osp.join(d, 'iter_4.pth'), map_location='cpu')
            for d in (whole, split))
    differ = [
        k for k in a['state_dict']
        if not torch.equal(a['state_dict'][k], b['state_dict'][k])
    ]
    assert not differ, differ[:5]
