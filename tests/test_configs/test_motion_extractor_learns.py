# Copyright (c) OpenMMLab. All rights reserved.
"""The synthetic Motion Extraction Network recipe learns to denoise: after a
short CPU training its joints on held-out tracks are clearly closer to the
clean ones than the noisy detections are."""
import os.path as osp

import numpy as np
import pytest
import torch
from mmengine.config import Config
from mmengine.dataset import default_collate
from mmengine.registry import DefaultScope

from gfla_mm.datasets import coco17_to_h36m17
from gfla_mm.evaluation.metrics import mean_joint_error
from gfla_mm.registry import DATASETS, MODELS

REPO_ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
SYNTHETIC = osp.join(REPO_ROOT, 'configs', 'motion_extractor',
                     'motion-extractor_synthetic.py')


@pytest.mark.slow
def test_synthetic_recipe_denoises_held_out_tracks():
    cfg = Config.fromfile(SYNTHETIC)
    iters = cfg.train_cfg.max_iters  # the config's whole schedule (2000)
    torch.manual_seed(0)
    np.random.seed(0)
    with DefaultScope.overwrite_default_scope('mmagic'):
        model = MODELS.build(cfg.model)
        train = DATASETS.build(cfg.train_dataloader.dataset)
        test_cfg = cfg.test_dataloader.dataset.copy()
        test_cfg.num_sequences = 4
        test = DATASETS.build(test_cfg)
    loader = torch.utils.data.DataLoader(
        train, batch_size=cfg.train_dataloader.batch_size, shuffle=True,
        collate_fn=default_collate, drop_last=True)
    opt = torch.optim.Adam(model.parameters(),
                           cfg.optim_wrapper.optimizer.lr)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, iters)
    step = 0
    while step < iters:
        for batch in loader:
            loss = model(batch['inputs'], batch['data_samples'],
                         mode='loss')['loss_mpjpe']
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            step += 1
            if step == iters:
                break
    # Held-out tracks (another seed): the network's Human3.6M joints vs the
    # noisy detections mapped to Human3.6M (filled, exact derivation).
    batch = default_collate([test[i] for i in range(len(test))])
    model.eval()
    with torch.no_grad():
        samples = model(batch['inputs'], batch['data_samples'],
                        mode='predict')
    pred = torch.stack([s.pred_joints for s in samples])
    gt = torch.stack([s.gt_joints for s in samples])
    noisy = torch.as_tensor(
        coco17_to_h36m17(batch['inputs'][:, 40:-40].numpy()))
    denoised_err = mean_joint_error(pred, gt).item() * 128
    noisy_err = mean_joint_error(noisy, gt).item() * 128
    print(f'MPJPE on held-out tracks: noisy {noisy_err:.2f} px, denoised '
          f'{denoised_err:.2f} px')
    assert denoised_err < 0.85 * noisy_err, (denoised_err, noisy_err)
