# Copyright (c) OpenMMLab. All rights reserved.
"""configs/gfla_animation: every config builds offline (the official ones
with the official parameter counts) and trains one step on synthetic clips;
the demo config through tools/test.py with the paper's four metrics (random
weights) and through tools/train.py with an exact --resume.

The tools run in-process (their ``main``): a tool subprocess spends ~11 s
of CPU importing the stack, and these tests must stay within about two
minutes on two busy cores. Torch runs one intra-op thread here, as
``tests/conftest.py`` gives tool subprocesses: on an oversubscribed machine
two spinning OpenMP threads made the demo's iterations 5x slower.
"""
import glob
import json
import os.path as osp
import sys

import numpy as np
import pytest
import torch
from mmengine.config import Config
from mmengine.dataset import pseudo_collate
from mmengine.optim import build_optim_wrapper
from mmengine.registry import DefaultScope

from gfla_mm.datasets import make_synthetic_clips
from gfla_mm.engine import load_from_local_weights_only
from gfla_mm.registry import DATASETS, MODELS

REPO_ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
CONFIG_DIR = osp.join(REPO_ROOT, 'configs', 'gfla_animation')
CONFIGS = sorted(
    osp.basename(p) for p in glob.glob(osp.join(CONFIG_DIR, '*.py')))
DEMO = 'gfla-animation_synthetic-demo.py'
# Table IV's Naive-Animation: the image GFLA frame by frame, test only.
NAIVE = 'gfla-naive-animation_fashionvideo-256x256.py'
OFFICIAL = [name for name in CONFIGS if name not in (DEMO, NAIVE)]
TRAINABLE = [name for name in CONFIGS if name != NAIVE]
VGG19_URL = 'https://download.pytorch.org/models/vgg19-dcbb9e9d.pth'

# Narrow networks for the training tests (the losses and the recipe stay
# the config's): ~1 s per 6-frame chunk at 64x64 on one core.
TINY = dict(
    generator=dict(
        base_channels=8,
        max_channels=16,
        flow_cfg=dict(base_channels=4, max_channels=8)),
    discriminator=dict(base_channels=8, max_channels=16),
    temporal_discriminator=dict(base_channels=4, max_channels=8))
SIZE = (64, 64)
FRAMES = 16  # per synthetic clip: one 16-frame clip for FID-Video / AED


def load(name: str) -> Config:
    cfg = Config.fromfile(osp.join(CONFIG_DIR, name))
    if 'vgg' in cfg.model:
        cfg.model.vgg.pretrained = None  # offline: random VGG19
    return cfg


def set_transform(pipeline: list, kind: str, **kwargs) -> None:
    steps = [step for step in pipeline if step['type'] == kind]
    assert steps, f'no {kind} in the pipeline {pipeline}'
    for step in steps:
        step.update(kwargs)


def tools_main(name: str):
    """``main`` of tools/<name>.py."""
    sys.path.insert(0, osp.join(REPO_ROOT, 'tools'))
    try:
        module = __import__(name)
    finally:
        sys.path.pop(0)
    return module.main


@pytest.fixture(scope='module')
def clips(tmp_path_factory) -> str:
    """2 train and 2 test clips of 16 frames, 64x64 (official layout)."""
    root = str(tmp_path_factory.mktemp('clips') / 'synthetic')
    make_synthetic_clips(root, (2, 2), FRAMES, size=SIZE, seed=0)
    return root


@pytest.fixture
def one_thread():
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


def test_config_names_in_the_folder():
    assert CONFIGS == [
        'gfla-animation_1xb2-fashionvideo-256x256.py',
        'gfla-animation_1xb2-iper-256x256.py',
        'gfla-animation_synthetic-demo.py',
        'gfla-naive-animation_fashionvideo-256x256.py',
        'gfla-seq-animation_1xb2-fashionvideo-256x256.py',
    ]


@pytest.mark.parametrize('name', CONFIGS)
def test_config_builds_offline(name):
    cfg = Config.fromfile(osp.join(CONFIG_DIR, name))
    if name in OFFICIAL:  # torchvision's ImageNet VGG19, as the official
        assert cfg.model.vgg.pretrained == VGG19_URL
    cfg = load(name)
    with DefaultScope.overwrite_default_scope('mmagic'):
        model = MODELS.build(cfg.model)
    counts = {
        key: sum(p.numel() for p in getattr(model, key).parameters())
        for key in ('generator', 'discriminator', 'temporal_discriminator')
        if getattr(model, key, None) is not None
    }
    if name == NAIVE:  # the image model's DeepFashion 256x256 generator
        assert counts == dict(generator=14_047_395)
    elif name in OFFICIAL:
        # The official DanceGenerator and TemporalDiscriminator (reference
        # key list), the image model's spatial ResDiscriminator.
        assert counts == dict(
            generator=23_510_195,
            discriminator=664_577,
            temporal_discriminator=1_032_961)
        assert model.train_chunk == model.test_chunk == 6
        assert model.temporal_discriminator.num_frames == 6
    else:
        assert counts['generator'] < 2_000_000, counts
    # Every evaluator type resolves (building the paper's metrics would
    # download Inception/AlexNet/I3D).
    import gfla_mm.evaluation  # noqa: F401
    from gfla_mm.registry import METRICS
    for key in ('val_evaluator', 'test_evaluator'):
        for metric in cfg.get(key, {}).get('metrics', []):
            assert METRICS.get(metric.type) is not None, (key, metric.type)
    types = {m.type for m in cfg.test_evaluator.metrics}
    expected = {'SSIM', 'PSNR'} if name == DEMO else {
        'PaperFID', 'LPIPS', 'FIDVideo', 'AED'
    }
    assert types == expected


def test_official_configs_differ_where_the_official_does():
    fashion, iper, seq = (load(n).to_dict() for n in (
        'gfla-animation_1xb2-fashionvideo-256x256.py',
        'gfla-animation_1xb2-iper-256x256.py',
        'gfla-seq-animation_1xb2-fashionvideo-256x256.py'))
    assert not fashion['model'].get('correctness_mask', False)
    assert iper['model']['correctness_mask'] is True
    assert iper['model']['correctness_loss']['loss_weight'] == 2.0
    assert iper['train_dataloader']['dataset']['mask_dir'] == 'train_C'

    def driving(cfg, split):
        steps = cfg[f'{split}_dataloader']['dataset']['pipeline']
        return [s for s in steps
                if s['type'] == 'LoadClipSkeletons'][0].get('driving')

    for split in ('train', 'val', 'test'):
        assert driving(fashion, split) == 'clean'
        assert driving(seq, split) == 'noisy'
    # Seq-Animation changes nothing but the driving track.
    for cfg in (fashion, seq):
        pipelines = [cfg['train_pipeline'], cfg['test_pipeline']] + [
            cfg[f'{split}_dataloader']['dataset']['pipeline']
            for split in ('train', 'val', 'test')
        ]
        for pipeline in pipelines:
            set_transform(pipeline, 'LoadClipSkeletons', driving=None)
        cfg.pop('driving')
    assert seq == fashion


@pytest.mark.parametrize('name', TRAINABLE)
def test_config_trains_one_step(name, clips, one_thread):
    """One clip of 6 frames (one chunk) at 64x64, batch 1, narrow networks:
    finite losses, every parameter of G, D and D_V updated, VGG frozen."""
    cfg = load(name)
    cfg.merge_from_dict(dict(model=TINY))
    dataset_cfg = cfg.train_dataloader.dataset
    dataset_cfg.data_root = clips
    set_transform(dataset_cfg.pipeline, 'TemporalClipSample', num_frames=6)
    set_transform(dataset_cfg.pipeline, 'LoadClipFrames', load_size=SIZE)
    with DefaultScope.overwrite_default_scope('mmagic'):
        torch.manual_seed(0)
        np.random.seed(0)
        model = MODELS.build(cfg.model)
        model.init_weights()
        dataset = DATASETS.build(dataset_cfg)
        optim = build_optim_wrapper(model, cfg.optim_wrapper)
        batch = pseudo_collate([dataset[0]])
        assert batch['inputs']['skeletons'][0].shape == (6, 20, *SIZE)
        before = {k: v.clone() for k, v in model.named_parameters()}
        logs = model.train_step(batch, optim)
    assert all(torch.isfinite(v) for v in logs.values()), logs
    expected = {
        'loss_d_real', 'loss_d_fake', 'loss_dv_real', 'loss_dv_fake',
        'loss_l1', 'loss_gan', 'loss_gan_v', 'loss_regularization_p',
        'loss_regularization_r'
    }
    if name in OFFICIAL:
        expected |= {
            'loss_perceptual', 'loss_style', 'loss_correctness_p',
            'loss_correctness_r'
        }
    if cfg.model.get('flow_supervision_loss'):  # the demo's true flows
        expected |= {'loss_flow_p', 'loss_flow_r'}
    assert set(logs) == expected
    for prefix in ('generator.', 'discriminator.', 'temporal_discriminator.'):
        unchanged = [
            k for k, v in model.named_parameters()
            if k.startswith(prefix) and torch.equal(v, before[k])
        ]
        assert not unchanged, f'{name}: not updated: {unchanged[:5]}'
    frozen = [(k, v) for k, v in model.named_parameters()
              if k.startswith('vgg.')]
    assert (name in OFFICIAL) == bool(frozen)
    assert all(torch.equal(v, before[k]) for k, v in frozen)


def tiny_demo_config(path: str, clips: str) -> str:
    """The demo config with narrow networks and batch 1 on ``clips``,
    written to ``path`` (what the tools read)."""
    cfg = load(DEMO)
    cfg.merge_from_dict(dict(model=TINY))
    cfg.train_dataloader.batch_size = 1
    for split in ('train', 'val', 'test'):
        cfg[f'{split}_dataloader'].dataset.data_root = clips
    set_transform(cfg.train_dataloader.dataset.pipeline,
                  'TemporalClipSample', num_frames=6)
    cfg.default_hooks.logger.interval = 1
    cfg.dump(path)
    return path


@pytest.mark.slow
def test_tools_test_writes_the_four_paper_metrics(tmp_path, clips,
                                                  one_thread):
    """tools/test.py with FID-Video, AED, FID and LPIPS (random networks)
    on two 16-frame test videos: every metric in the --out JSON."""
    config = tiny_demo_config(str(tmp_path / 'tiny_demo.py'), clips)
    cfg = Config.fromfile(config)
    cfg.test_evaluator = dict(
        type='Evaluator',
        metrics=[
            dict(type='FIDVideo', random_weights=True),
            dict(type='AED', random_weights=True),
            dict(type='PaperFID', random_weights=True, input_size=75),
            dict(type='LPIPS', pnet_rand=True),
        ])
    cfg.dump(config)
    with DefaultScope.overwrite_default_scope('mmagic'):
        torch.manual_seed(0)
        model = MODELS.build(cfg.model)
        model.init_weights()
    ckpt = str(tmp_path / 'random.pth')
    torch.save(dict(state_dict=model.state_dict()), ckpt)
    out = tmp_path / 'metrics.json'
    tools_main('test')([
        config, ckpt, '--out',
        str(out), '--work-dir',
        str(tmp_path / 'work'), '--cfg-options', 'experiment_name=anim_test'
    ])
    metrics = json.loads(out.read_text())
    assert set(metrics) == {'FID-Video', 'AED', 'FID', 'LPIPS'}, metrics
    assert all(np.isfinite(v) and v > 0 for v in metrics.values()), metrics


def losses_by_iter(work_dir: str) -> dict:
    """{iteration: logged losses} over every run in ``work_dir``."""
    logs = {}
    for path in sorted(glob.glob(osp.join(work_dir, '*', 'vis_data',
                                          'scalars.json'))):
        with open(path) as f:
            for line in f:
                record = json.loads(line)
                if 'loss_l1' in record:
                    logs[record['iter']] = {
                        k: v for k, v in record.items()
                        if k.startswith('loss')
                    }
    return logs


@pytest.mark.slow
def test_resume_continues_exactly(tmp_path, clips, one_thread):
    """4 iterations in one run == 2, then --resume to 4: the same losses at
    every iteration and the same weights and optimiser states. Exact
    because RNGStateHook (default_runtime.py) restores torch's random
    state, from which the model draws the discriminators' frames; mmengine
    alone does not (the losses of iteration 3 differ without it)."""
    config = tiny_demo_config(str(tmp_path / 'tiny_demo.py'), clips)
    train = tools_main('train')
    common = [
        'train_cfg.val_interval=2', 'default_hooks.checkpoint.interval=2',
        'default_hooks.checkpoint.max_keep_ckpts=2'
    ]
    whole, split = str(tmp_path / 'whole'), str(tmp_path / 'split')
    train([
        config, '--work-dir', whole, '--cfg-options', 'train_cfg.max_iters=4',
        'experiment_name=anim_whole', *common
    ])
    train([
        config, '--work-dir', split, '--cfg-options', 'train_cfg.max_iters=2',
        'experiment_name=anim_first_half', *common
    ])
    train([
        config, '--work-dir', split, '--resume', '--cfg-options',
        'train_cfg.max_iters=4', 'experiment_name=anim_resumed', *common
    ])
    want, got = losses_by_iter(whole), losses_by_iter(split)
    assert sorted(want) == sorted(got) == [1, 2, 3, 4]
    assert got == want
    a, b = (load_from_local_weights_only(osp.join(d, 'iter_4.pth'))
            for d in (whole, split))
    assert b['meta']['iter'] == 4
    assert a['state_dict'].keys() == b['state_dict'].keys()
    differ = [
        k for k in a['state_dict']
        if not torch.equal(a['state_dict'][k], b['state_dict'][k])
    ]
    assert not differ, differ[:5]
    for key, opt in a['optimizer'].items():
        for i, state in opt['state'].items():
            for name, value in state.items():
                assert torch.equal(
                    torch.as_tensor(value),
                    torch.as_tensor(b['optimizer'][key]['state'][i][name]))
