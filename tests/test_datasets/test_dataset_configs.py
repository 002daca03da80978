# Copyright (c) OpenMMLab. All rights reserved.
import os
import os.path as osp

import pytest
from mmagic.registry import DATASETS
from mmengine.config import Config
from mmengine.registry import DefaultScope

from gfla_mm.datasets import make_synthetic_dataset

REPO_ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
BASE = osp.join(REPO_ROOT, 'configs', '_base_', 'datasets')


@pytest.mark.parametrize('name,frame,shape,csv', [
    ('deepfashion_256x256.py', (256, 176), (256, 256), 'fasion'),
    ('deepfashion_256x176.py', (256, 176), (256, 176), 'fasion'),
    ('market1501_128x64.py', (128, 64), (128, 64), 'market'),
])
def test_base_dataset_configs(tmp_path, name, frame, shape, csv):
    root = str(tmp_path / 'data')
    make_synthetic_dataset(root, (1, 1), 2, size=frame, seed=5)
    if csv == 'market':  # the synthetic writer uses DeepFashion's names
        for split in ('train', 'test'):
            for kind in ('pairs', 'annotation'):
                os.rename(osp.join(root, f'fasion-{kind}-{split}.csv'),
                          osp.join(root, f'market-{kind}-{split}.csv'))
    cfg = Config.fromfile(osp.join(BASE, name))
    for loader in ('train_dataloader', 'test_dataloader'):
        ds_cfg = cfg[loader].dataset
        ds_cfg.data_root = root
        with DefaultScope.overwrite_default_scope('mmagic'):
            ds = DATASETS.build(ds_cfg)
        sample = ds[0]
        assert sample['inputs']['source'].shape[1:] == shape
        assert sample['inputs']['target_heatmap'].shape == (18, *shape)
        assert sample['data_samples'].target.shape[1:] == shape
