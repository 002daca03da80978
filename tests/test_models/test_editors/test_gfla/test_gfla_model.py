# Copyright (c) OpenMMLab. All rights reserved.
"""The GFLA training wrappers on tiny real tensors: the D-then-G step,
predictions, AMP, stage-1 -> stage-2 loading and bad input."""
import os.path as osp

import pytest
import torch
from mmagic.structures import DataSample
from mmengine.optim import build_optim_wrapper
from mmengine.registry import DefaultScope

from gfla_mm.models.editors.gfla import (
    GFLA,
    GFLAFlowPretrainer,
    load_flow_estimator,
)
from gfla_mm.registry import MODELS
from tests.tiny_models import (
    GFLA_PREPROCESSOR,
    OFFICIAL_LOSSES,
    TINY_GENERATOR,
    tiny_gfla_cfg,
)

SIZE = 64
PREPROCESSOR = GFLA_PREPROCESSOR
TINY_G = dict(type='GFLAGenerator', **TINY_GENERATOR)
VGG = OFFICIAL_LOSSES['vgg']


@pytest.fixture(autouse=True)
def mmagic_scope():
    """Nested configs (DataPreprocessor, GANLoss) resolve in mmagic's scope,
    as under the Runner."""
    with DefaultScope.overwrite_default_scope('mmagic'):
        yield


def gfla_cfg(**overrides) -> dict:
    return tiny_gfla_cfg(**overrides)


def build(cfg: dict):
    torch.manual_seed(0)
    model = MODELS.build(cfg)
    model.init_weights()
    return model


def gan_optim(model, amp_dtype=None):
    wrapper = dict(type='OptimWrapper')
    if amp_dtype is not None:  # what tools/train.py --amp picks on CPU
        wrapper = dict(type='CPUAmpOptimWrapper', dtype=amp_dtype)
    return build_optim_wrapper(
        model,
        dict(
            constructor='MultiOptimWrapperConstructor',
            generator=dict(
                optimizer=dict(type='Adam', lr=1e-4, betas=(0.0, 0.999)),
                **wrapper),
            discriminator=dict(
                optimizer=dict(type='Adam', lr=1e-5, betas=(0.0, 0.999)),
                **wrapper)))


def batch(n: int = 2, size=(SIZE, SIZE), seed: int = 0) -> dict:
    """What PackInputs + pseudo_collate give: uint8-range images."""
    gen = torch.Generator().manual_seed(seed)
    h, w = size
    inputs = dict(
        source=torch.randint(0, 256, (n, 3, h, w), generator=gen).float(),
        source_heatmap=torch.rand(n, 18, h, w, generator=gen),
        target_heatmap=torch.rand(n, 18, h, w, generator=gen))
    samples = []
    for i in range(n):
        sample = DataSample(
            target=torch.randint(0, 256, (3, h, w), generator=gen).float())
        sample.set_metainfo(
            dict(
                target_path=f't{i}.jpg',
                source_channel_order='rgb',  # as GFLALoadImageFromFile
                target_channel_order='rgb'))
        samples.append(sample)
    return dict(inputs=inputs, data_samples=samples)


def params(module) -> dict:
    """Parameters only: spectral norm's power-iteration buffers move at
    every forward in train mode."""
    return {k: v.detach().clone() for k, v in module.named_parameters()}


def changed(before: dict, module) -> bool:
    after = dict(module.named_parameters())
    return any(not torch.equal(v, after[k]) for k, v in before.items())


def test_train_step_updates_d_then_g():
    model = build(gfla_cfg())
    optim = gan_optim(model)
    g0, d0 = params(model.generator), params(model.discriminator)
    vgg0 = params(model.vgg)
    logs = model.train_step(batch(), optim)
    assert set(logs) == {
        'loss_d_real', 'loss_d_fake', 'loss_l1', 'loss_perceptual',
        'loss_style', 'loss_correctness', 'loss_regularization', 'loss_gan'
    }
    assert all(torch.isfinite(v) for v in logs.values())
    assert changed(g0, model.generator) and changed(d0, model.discriminator)
    assert not changed(vgg0, model.vgg)  # frozen
    # D is trainable again after the G step, and holds only its own grads.
    assert all(p.requires_grad for p in model.discriminator.parameters())


def test_generator_step_leaves_discriminator_alone():
    model = build(gfla_cfg())
    optim = gan_optim(model)
    # A zero D learning rate isolates the G step: D must end unchanged, so
    # the G loss did not leak gradients into D's update.
    for group in optim['discriminator'].optimizer.param_groups:
        group['lr'] = 0.0
    d0 = params(model.discriminator)
    model.train_step(batch(), optim)
    assert not changed(d0, model.discriminator)


def test_losses_follow_the_config():
    model = build(
        gfla_cfg(
            correctness_loss=None,
            regularization_loss=None,
            style_loss=None,
            discriminator=None,
            gan_loss=None))
    optim = build_optim_wrapper(
        model,
        dict(
            constructor='MultiOptimWrapperConstructor',
            generator=dict(optimizer=dict(type='Adam', lr=1e-4))))
    logs = model.train_step(batch(), optim)
    assert set(logs) == {'loss_l1', 'loss_perceptual'}
    # The VGG keeps only the layers its losses read.
    assert model.vgg.layers == [f'relu{i}_1' for i in range(1, 6)]


def test_discriminator_needs_gan_loss():
    with pytest.raises(ValueError, match='go together'):
        MODELS.build(gfla_cfg(gan_loss=None))


def test_per_flow_lists_must_match_the_flows():
    # TINY_G attends at two levels: one L_c layer or one L_r kernel size is
    # a config out of sync (Market's stage 2 once kept these by hand).
    with pytest.raises(ValueError, match=r'model.correctness_loss.layers = '
                       r"\('relu3_1',\) has 1 entries.*2 flow"):
        MODELS.build(gfla_cfg(correctness_loss=dict(
            type='SamplingCorrectnessLoss', layers=('relu3_1', ))))
    with pytest.raises(ValueError,
                       match=r'regularization_loss.kernel_sizes = \(3,\)'):
        MODELS.build(gfla_cfg(regularization_loss=dict(
            type='AffineRegularizationLoss', kernel_sizes=(3, ))))
    stage1 = pretrainer_cfg()
    stage1['flow_net']['attn_layers'] = (2, )
    with pytest.raises(ValueError, match='at levels \\[2\\]'):
        MODELS.build(stage1)


def test_bf16_autocast_step_is_finite():
    model = build(gfla_cfg())
    optim = gan_optim(model, amp_dtype='bfloat16')
    seen = []
    model.generator.register_forward_hook(
        lambda m, i, out: seen.append(out[0].dtype))
    for seed in range(2):
        logs = model.train_step(batch(seed=seed), optim)
        assert all(torch.isfinite(v) for v in logs.values()), logs
    assert all(
        torch.isfinite(p).all() for p in model.generator.parameters())
    assert seen[0] == torch.bfloat16  # the generator did run in bf16


def test_nan_input_stops_with_the_loss_named():
    model = build(gfla_cfg(discriminator=None, gan_loss=None))
    optim = build_optim_wrapper(
        model,
        dict(
            constructor='MultiOptimWrapperConstructor',
            generator=dict(optimizer=dict(type='Adam', lr=1e-4))))
    data = batch()
    data['inputs']['source_heatmap'][0, 3, 5, 5] = float('nan')
    with pytest.raises(FloatingPointError, match='loss_l1'):
        model.train_step(data, optim)


def test_missing_input_key_is_named():
    model = build(gfla_cfg())
    data = model.data_preprocessor(batch(), False)
    del data['inputs']['target_heatmap']
    with pytest.raises(KeyError, match='target_heatmap'):
        model(**data, mode='predict')


def test_predict_returns_images_flows_and_grid_pictures():
    model = build(gfla_cfg()).eval()
    with torch.no_grad():
        out = model.val_step(batch(n=2))
    assert len(out) == 2
    sample = out[0]
    assert sample.gt_img.shape == (3, SIZE, SIZE)
    for key in ('source_img', 'source_pose_img', 'target_pose_img'):
        img = sample.get(key)
        assert img.shape == (3, SIZE, SIZE), key
        assert 0 <= img.min() and img.max() <= 255, key
    pred = sample.output
    assert pred.pred_img.shape == (3, SIZE, SIZE)
    assert [tuple(f.shape) for f in pred.flows] == [(2, 8, 8), (2, 16, 16)]
    assert [tuple(m.shape) for m in pred.masks] == [(1, 8, 8), (1, 16, 16)]
    for i in range(2):
        assert pred.get(f'flow_img_{i}').shape == (3, SIZE, SIZE)
        assert pred.get(f'mask_img_{i}').shape == (3, SIZE, SIZE)
    # The prediction is the generator's image, de-normalised.
    data = model.data_preprocessor(batch(n=2), False)
    with torch.no_grad():
        fake = model(**data, mode='tensor')[0]
    expected = ((fake[0] + 1) * 127.5).clamp(0, 255).flip(0)  # RGB -> BGR
    torch.testing.assert_close(pred.pred_img, expected, rtol=0, atol=1e-3)


def test_predict_without_data_samples():
    model = build(gfla_cfg()).eval()
    data = model.data_preprocessor(batch(n=1), False)
    with torch.no_grad():
        out = model(data['inputs'], None, mode='predict')
    assert out[0].output.pred_img.shape == (3, SIZE, SIZE)
    assert 'gt_img' not in out[0]


@pytest.mark.parametrize('transform', ['bilinear', 'global_attention'])
def test_ablation_generators_train(transform):
    gen = dict(TINY_G, feature_transform=transform)
    cfg = gfla_cfg(generator=gen)
    if transform == 'global_attention':
        cfg.update(correctness_loss=None, regularization_loss=None)
    model = build(cfg)
    logs = model.train_step(batch(), gan_optim(model))
    assert all(torch.isfinite(v) for v in logs.values())
    assert ('loss_correctness' in logs) == (transform == 'bilinear')


def test_baseline_generator_trains():
    model = build(
        gfla_cfg(
            generator=dict(
                type='GFLABaselineGenerator', base_channels=8,
                max_channels=16),
            correctness_loss=None,
            regularization_loss=None))
    logs = model.train_step(batch(), gan_optim(model))
    assert 'loss_correctness' not in logs
    assert all(torch.isfinite(v) for v in logs.values())


def pretrainer_cfg() -> dict:
    return dict(
        type='GFLAFlowPretrainer',
        flow_net=dict(
            type='GFLAFlowEstimator', base_channels=8, max_channels=16),
        correctness_loss=dict(
            type='SamplingCorrectnessLoss', loss_weight=20.0),
        regularization_loss=dict(
            type='AffineRegularizationLoss', loss_weight=0.01),
        vgg=VGG,
        data_preprocessor=PREPROCESSOR)


def test_flow_pretrainer_step_and_predict():
    model = build(pretrainer_cfg())
    optim = build_optim_wrapper(
        model, dict(optimizer=dict(type='Adam', lr=1e-4,
                                   betas=(0.0, 0.999))))
    before = params(model.flow_net)
    logs = model.train_step(batch(), optim)
    assert set(logs) == {'loss', 'loss_correctness', 'loss_regularization'}
    assert changed(before, model.flow_net)
    assert all(k.startswith(('flow_net.', 'vgg.'))
               for k in model.state_dict())
    with torch.no_grad():
        out = model.eval().val_step(batch(n=1))
    assert out[0].output.pred_img.shape == (3, SIZE, SIZE)
    assert len(out[0].output.flows) == 2


def test_stage1_checkpoint_seeds_stage2(tmp_path):
    stage1 = build(pretrainer_cfg())
    with torch.no_grad():
        for p in stage1.flow_net.parameters():
            p.add_(0.5)  # distinguishable from any fresh init
    ckpt = tmp_path / 'iter_10.pth'
    torch.save(dict(meta=dict(iter=10), state_dict=stage1.state_dict()),
               ckpt)
    (tmp_path / 'last_checkpoint').write_text(str(ckpt))

    for flow_init in (str(ckpt), str(tmp_path)):  # file, or work dir
        stage2 = build(gfla_cfg(flow_init=flow_init))
        for key, value in stage1.flow_net.state_dict().items():
            torch.testing.assert_close(
                stage2.generator.flow_net.state_dict()[key], value)

    # An official poseflownet state dict (no 'state_dict' wrapper).
    official = tmp_path / 'latest_net_G.pth'
    torch.save(
        {f'flow_net.{k}': v
         for k, v in stage1.flow_net.state_dict().items()}, official)
    model = build(gfla_cfg())
    load_flow_estimator(model.generator.flow_net, str(official))
    torch.testing.assert_close(model.generator.flow_net.block0.model[2].weight,
                               stage1.flow_net.block0.model[2].weight)


def test_stage2_loading_errors(tmp_path):
    missing = tmp_path / 'nowhere.pth'
    with pytest.raises(FileNotFoundError, match='flow_init.*nowhere.pth'):
        build(gfla_cfg(flow_init=str(missing)))
    with pytest.raises(FileNotFoundError, match='last_checkpoint'):
        build(gfla_cfg(flow_init=str(tmp_path)))
    other = tmp_path / 'other.pth'
    torch.save(dict(state_dict={'conv.weight': torch.zeros(1)}), other)
    with pytest.raises(KeyError, match='no flow estimator weights'):
        build(gfla_cfg(flow_init=str(other)))
    wrong = tmp_path / 'wrong.pth'
    torch.save({'flow_net.block0.model.2.weight': torch.zeros(1)}, wrong)
    with pytest.raises(RuntimeError, match='block0'):
        build(gfla_cfg(flow_init=str(wrong)))
    # A flow_init the model cannot use is refused.
    with pytest.raises(ValueError, match='no flow estimator'):
        build(
            gfla_cfg(
                generator=dict(
                    type='GFLABaselineGenerator', base_channels=8,
                    max_channels=16),
                flow_init=str(other)))
    assert osp.isfile(other)


def test_gfla_is_an_mmagic_edit_model():
    from mmagic.models.base_models import BaseEditModel
    assert issubclass(GFLA, BaseEditModel)
    assert 'GFLAFlowPretrainer' in MODELS.module_dict
    assert MODELS.get('GFLAFlowPretrainer') is GFLAFlowPretrainer
