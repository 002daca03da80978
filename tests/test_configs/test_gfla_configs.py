# Copyright (c) OpenMMLab. All rights reserved.
"""Every config under configs/gfla builds its model with the paper's
settings and trains one step (random VGG19, small inputs)."""
import glob
import os.path as osp

import pytest
import torch
from mmagic.structures import DataSample
from mmengine.config import Config
from mmengine.optim import build_optim_wrapper
from mmengine.registry import DefaultScope

from gfla_mm.registry import MODELS

REPO_ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
CONFIG_DIR = osp.join(REPO_ROOT, 'configs', 'gfla')
CONFIGS = sorted(
    osp.basename(p) for p in glob.glob(osp.join(CONFIG_DIR, '*.py')))


def load(name: str) -> Config:
    return Config.fromfile(osp.join(CONFIG_DIR, name))


def fake_batch(h: int, w: int, n: int = 1) -> dict:
    gen = torch.Generator().manual_seed(0)
    samples = []
    for i in range(n):
        sample = DataSample(
            target=torch.randint(0, 256, (3, h, w), generator=gen).float(),
            # The synthetic set's ground-truth flow (2x the image, as the
            # 128x128 renderings of the 64x64 demo), NaN off the body.
            gt_flow=torch.randn(2, 2 * h, 2 * w, generator=gen))
        sample.gt_flow[:, :h // 2] = float('nan')
        sample.set_metainfo(
            dict(source_channel_order='rgb', target_channel_order='rgb'))
        samples.append(sample)
    return dict(
        inputs=dict(
            source=torch.randint(0, 256, (n, 3, h, w),
                                 generator=gen).float(),
            source_heatmap=torch.rand(n, 18, h, w, generator=gen),
            target_heatmap=torch.rand(n, 18, h, w, generator=gen)),
        data_samples=samples)


def test_all_expected_configs_exist():
    expected = {
        'gfla_flow-pretrain_1xb8-200k_deepfashion-256x256.py',
        'gfla_1xb8-1000k_deepfashion-256x256.py',
        'gfla_flow-pretrain_1xb8-200k_deepfashion-256x176.py',
        'gfla_1xb8-1000k_deepfashion-256x176.py',
        'gfla_flow-pretrain_1xb8-200k_market-128x64.py',
        'gfla_1xb8-1000k_market-128x64.py',
        'gfla-baseline_1xb8-1000k_deepfashion-256x256.py',
        'gfla-global-attn_1xb8-1000k_deepfashion-256x256.py',
        'gfla-local-attn_1xb8-1000k_deepfashion-256x256.py',
        'gfla-bi-sample_1xb8-1000k_deepfashion-256x256.py',
        'gfla_synthetic_demo.py',
        *SHORT_NAMES,
    }
    assert expected <= set(CONFIGS)


# The names users type, and the mmagic-style names they stand for.
SHORT_NAMES = {
    'gfla_deepfashion.py': 'gfla_1xb8-1000k_deepfashion-256x256.py',
    'gfla_deepfashion_flow.py':
    'gfla_flow-pretrain_1xb8-200k_deepfashion-256x256.py',
    'gfla_market.py': 'gfla_1xb8-1000k_market-128x64.py',
    'gfla_market_flow.py': 'gfla_flow-pretrain_1xb8-200k_market-128x64.py',
}


@pytest.mark.parametrize('short', sorted(SHORT_NAMES))
def test_short_names_are_the_long_configs(short):
    """Everything equal but the stage-1 work dir a stage-2 config reads
    (the short stage-1 config's)."""
    got, want = load(short).to_dict(), load(SHORT_NAMES[short]).to_dict()
    if 'flow_init' in want['model']:
        assert got['model'].pop('flow_init') == (
            'work_dirs/' + short.replace('.py', '_flow'))
        want['model'].pop('flow_init')
    assert got == want


def test_config_file_names_are_unique():
    # mim finds a config by its file name anywhere under .mim/configs.
    names = [osp.basename(p) for p in glob.glob(
        osp.join(REPO_ROOT, 'configs', '**', '*.py'), recursive=True)]
    assert len(names) == len(set(names)), sorted(
        n for n in set(names) if names.count(n) > 1)


@pytest.mark.parametrize('name', CONFIGS)
def test_config_trains_one_step(name):
    cfg = load(name)
    model_cfg = cfg.model
    if 'vgg' in model_cfg:
        model_cfg.vgg.pretrained = None
    if 'flow_init' in model_cfg:
        model_cfg.flow_init = None
    # Market at its real size; the 256x* models at 1/4 of it (the 176
    # width becomes 48: not a multiple of 32, as 176 is not).
    size = {'market': (128, 64), '256x176': (64, 48)}
    h, w = next((v for k, v in size.items() if k in name), (64, 64))
    with DefaultScope.overwrite_default_scope('mmagic'):
        torch.manual_seed(0)
        model = MODELS.build(model_cfg)
        model.init_weights()
        optim = build_optim_wrapper(model, cfg.optim_wrapper)
        logs = model.train_step(fake_batch(h, w), optim)
    assert logs and all(torch.isfinite(v) for v in logs.values()), logs
    ablation_without_flow = ('baseline' in name or 'global-attn' in name
                             or 'local-attn' in name)
    # The flows learn from L_c, or offline (the synthetic demo) from the
    # renderer's ground truth.
    flow_loss = 'loss_flow' if 'synthetic_demo' in name else 'loss_correctness'
    assert (flow_loss in logs) != ablation_without_flow


def test_deepfashion_end_to_end_matches_the_paper():
    cfg = load('gfla_1xb8-1000k_deepfashion-256x256.py')
    m = cfg.model
    assert m.pixel_loss.loss_weight == 5.0
    assert m.correctness_loss.loss_weight == 5.0
    assert m.gan_loss == dict(
        type='GANLoss', gan_type='lsgan', loss_weight=2.0)
    assert m.regularization_loss.loss_weight == 0.0025
    assert m.style_loss.loss_weight == 500.0
    assert m.perceptual_loss.loss_weight == 0.5
    assert cfg.train_dataloader.batch_size == 8
    g, d = cfg.optim_wrapper.generator, cfg.optim_wrapper.discriminator
    assert (g.optimizer.lr, d.optimizer.lr) == (1e-4, 1e-5)
    assert g.optimizer.betas == d.optimizer.betas == (0.0, 0.999)
    with DefaultScope.overwrite_default_scope('mmagic'):
        gen = MODELS.build(m.generator)
        disc = MODELS.build(m.discriminator)
    assert sum(p.numel() for p in gen.parameters()) == 14047395
    assert sum(p.numel() for p in disc.parameters()) == 664577


def test_market_end_to_end_matches_the_official_options():
    cfg = load('gfla_1xb8-1000k_market-128x64.py')
    with DefaultScope.overwrite_default_scope('mmagic'):
        gen = MODELS.build(cfg.model.generator)
        disc = MODELS.build(cfg.model.discriminator)
    assert sum(p.numel() for p in gen.parameters()) == 12926471
    assert sum(p.numel() for p in disc.parameters()) == 238209
    assert list(cfg.model.correctness_loss.layers) == ['relu3_1']
    assert list(cfg.model.regularization_loss.kernel_sizes) == [3]


@pytest.mark.parametrize('stage2', [
    'gfla_1xb8-1000k_deepfashion-256x256.py',
    'gfla_1xb8-1000k_deepfashion-256x176.py',
    'gfla_1xb8-1000k_market-128x64.py',
    'gfla-bi-sample_1xb8-1000k_deepfashion-256x256.py',
    'gfla_deepfashion.py',
    'gfla_market.py',
])
def test_stage2_points_at_its_stage1_work_dir(stage2):
    cfg = load(stage2)
    flow_init = cfg.model.flow_init
    assert flow_init.startswith('work_dirs/')
    stage1 = osp.basename(flow_init) + '.py'
    assert stage1 in CONFIGS
    s1 = load(stage1)
    assert s1.model.correctness_loss.loss_weight == 20.0
    assert s1.model.regularization_loss.loss_weight == 0.01
    # The stage-1 flow estimator fits the stage-2 generator.
    assert (sorted(s1.model.flow_net.attn_layers) == sorted(
        int(k) for k in cfg.model.generator.attn_kernel_sizes))


@pytest.mark.parametrize('name', CONFIGS)
def test_evaluators_name_registered_metrics(name):
    """Building the paper metrics would download Inception/AlexNet; their
    types must at least resolve in mmagic's METRICS."""
    import gfla_mm.evaluation  # noqa: F401
    from gfla_mm.registry import METRICS
    cfg = load(name)
    for key in ('val_evaluator', 'test_evaluator'):
        for metric in cfg[key].metrics:
            assert METRICS.get(metric.type) is not None, (key, metric.type)
    types = [m.type for m in cfg.test_evaluator.metrics]
    if cfg.model.type == 'GFLAFlowPretrainer' and 'demo' not in name:
        # Stage 1 is scored offline: nothing that downloads Inception/AlexNet.
        assert set(types) == {'SSIM', 'PSNR'}
        return
    if 'demo' in name:
        # Offline too, with the synthetic set's ground truth.
        assert set(types) == {'SSIM', 'PSNR', 'MAE', 'FlowEPE'}
        return
    # End to end: the paper's protocol, with its dataset's training images.
    expected = {'PaperFID', 'LPIPS'} | ({'MaskLPIPS'}
                                        if 'market' in name else set())
    assert expected <= set(types)
    fid = cfg.test_evaluator.metrics[types.index('PaperFID')]
    assert fid.real_dir == cfg.train_dataloader.dataset.data_root + '/train'


def pipelines(cfg: Config) -> list:
    return [
        cfg[f'{split}_dataloader'].dataset.pipeline
        for split in ('train', 'val', 'test') if f'{split}_dataloader' in cfg
    ]


@pytest.mark.parametrize('name', CONFIGS)
def test_pipelines_pass_the_channel_orders(name):
    # mmagic's DataPreprocessor reads '<key>_channel_order' from the
    # metainfo; without it an RGB-loaded image counts as BGR.
    for pipeline in pipelines(load(name)):
        pack = [s for s in pipeline if s['type'] == 'PackInputs'][0]
        for step in pipeline:
            if (step['type'] == 'GFLALoadImageFromFile'
                    and step.get('channel_order', 'bgr') != 'bgr'):
                for field in ('channel_order', 'color_type'):
                    assert f"{step['key']}_{field}" in pack['meta_keys']


def test_predictions_are_bgr_like_mmagic(tmp_path):
    """source_img / gt_img / pred_img in BGR, as mmagic's metrics and
    visualisers expect (the loaders read RGB)."""
    import cv2
    import numpy as np
    from mmengine.dataset import pseudo_collate

    from gfla_mm.datasets import make_synthetic_dataset
    from gfla_mm.registry import DATASETS
    root = str(tmp_path / 'data')
    make_synthetic_dataset(root, (1, 1), 2, size=(128, 128), seed=3)
    cfg = load('gfla_synthetic_demo.py')
    cfg.test_dataloader.dataset.data_root = root
    cfg.model.generator.update(base_channels=8, max_channels=16)
    with DefaultScope.overwrite_default_scope('mmagic'):
        model = MODELS.build(cfg.model).eval()
        dataset = DATASETS.build(cfg.test_dataloader.dataset)
    with torch.no_grad():
        pred = model.test_step(pseudo_collate([dataset[0]]))[0]
    info = dataset.get_data_info(0)
    for key, path in (('source_img', 'source_path'), ('gt_img',
                                                      'target_path')):
        bgr = cv2.resize(cv2.imread(info[path]), (64, 64),
                         interpolation=cv2.INTER_LINEAR)
        got = pred.get(key).permute(1, 2, 0).numpy()
        np.testing.assert_allclose(got, bgr, atol=1e-3)
    # The generator's RGB output is destructed with the source's record.
    assert pred.metainfo['source_output_channel_order'] == 'rgb'
