# Copyright (c) OpenMMLab. All rights reserved.
"""Official checkpoint -> gfla_mm checkpoint, round trip on real tensors."""
import os.path as osp
import sys

import pytest
import torch
from mmengine.config import Config
from mmengine.registry import DefaultScope
from mmengine.runner.checkpoint import load_checkpoint

from gfla_mm.registry import MODELS

REPO_ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
CONFIGS = osp.join(REPO_ROOT, 'configs', 'gfla')


@pytest.fixture
def converter(monkeypatch):
    monkeypatch.syspath_prepend(
        osp.join(REPO_ROOT, 'tools', 'model_converters'))
    import gfla_official_to_mm
    yield gfla_official_to_mm
    sys.modules.pop('gfla_official_to_mm', None)


def build(config: str, seed: int):
    cfg = Config.fromfile(osp.join(CONFIGS, config))
    cfg.model.vgg.pretrained = None
    cfg.model.flow_init = None
    with DefaultScope.overwrite_default_scope('mmagic'):
        torch.manual_seed(seed)
        model = MODELS.build(cfg.model)
    model.init_weights()
    with torch.no_grad():  # away from the init, so that a copy is visible
        for p in model.parameters():
            p.add_(torch.randn_like(p) * 0.01)
    return model.eval()


def generate(model, h: int, w: int):
    gen = torch.Generator().manual_seed(3)
    args = (torch.rand(1, 3, h, w, generator=gen) * 2 - 1,
            torch.rand(1, 18, h, w, generator=gen),
            torch.rand(1, 18, h, w, generator=gen))
    with torch.no_grad():
        return model.generator(*args)[0]


@pytest.mark.parametrize('config,size', [
    ('gfla_1xb8-1000k_deepfashion-256x256.py', (64, 64)),
    ('gfla_1xb8-1000k_market-128x64.py', (128, 64)),
])
def test_round_trip(tmp_path, converter, config, size):
    official = build(config, seed=1)
    # The official layout: the same module names, saved from DataParallel.
    g_path = tmp_path / 'latest_net_G.pth'
    d_path = tmp_path / 'latest_net_D.pth'
    g_state = official.generator.state_dict()
    torch.save({f'module.{k}': v for k, v in g_state.items()}, g_path)
    torch.save(official.discriminator.state_dict(), d_path)
    out = tmp_path / 'converted.pth'
    converter.main([str(g_path), str(out), '--discriminator', str(d_path)])

    ours = build(config, seed=2)
    assert not torch.equal(generate(ours, *size), generate(official, *size))
    load_checkpoint(ours, str(out), map_location='cpu', strict=False)
    torch.testing.assert_close(
        generate(ours, *size), generate(official, *size), rtol=0, atol=0)
    for k, v in official.discriminator.state_dict().items():
        torch.testing.assert_close(ours.discriminator.state_dict()[k], v)


def test_wrong_config_names_the_keys(tmp_path, converter):
    market = build('gfla_1xb8-1000k_market-128x64.py', seed=0)
    g_path = tmp_path / 'latest_net_G.pth'
    torch.save(market.generator.state_dict(), g_path)
    with pytest.raises(KeyError, match='missing keys.*target.attn0'):
        converter.main([
            str(g_path),
            str(tmp_path / 'x.pth'), '--config',
            osp.join(CONFIGS, 'gfla_1xb8-1000k_deepfashion-256x256.py')
        ])
    with pytest.raises(FileNotFoundError, match='nope.pth'):
        converter.main([str(tmp_path / 'nope.pth'), str(tmp_path / 'y.pth')])


def test_animation_round_trip(tmp_path, converter):
    # Official `dance` checkpoints: G, D and D_V; the config is recognised
    # from the generator's keys.
    config = osp.join(REPO_ROOT, 'configs', 'gfla_animation',
                      'gfla-animation_1xb2-fashionvideo-256x256.py')

    def build_animation(seed):
        cfg = Config.fromfile(config)
        cfg.model.vgg.pretrained = None
        with DefaultScope.overwrite_default_scope('mmagic'):
            torch.manual_seed(seed)
            model = MODELS.build(cfg.model)
        model.init_weights()
        with torch.no_grad():
            for p in model.parameters():
                p.add_(torch.randn_like(p) * 0.01)
        return model.eval()

    def animate(model):
        gen = torch.Generator().manual_seed(3)
        args = (torch.rand(1, 3, 64, 64, generator=gen) * 2 - 1,
                torch.rand(1, 20, 64, 64, generator=gen),
                torch.rand(1, 2, 20, 64, 64, generator=gen))
        return model.animate(*args)

    official = build_animation(seed=1)
    paths = {}
    for name, net in (('G', official.generator), ('D', official.discriminator),
                      ('D_V', official.temporal_discriminator)):
        paths[name] = tmp_path / f'latest_net_{name}.pth'
        torch.save({f'module.{k}': v
                    for k, v in net.state_dict().items()}, paths[name])
    out = tmp_path / 'converted.pth'
    converter.main([
        str(paths['G']),
        str(out), '--discriminator',
        str(paths['D']), '--temporal-discriminator',
        str(paths['D_V'])
    ])
    assert torch.load(out, weights_only=True)['meta']['config'].endswith(
        'gfla-animation_1xb2-fashionvideo-256x256.py')
    ours = build_animation(seed=2)
    assert not torch.equal(animate(ours), animate(official))
    load_checkpoint(ours, str(out), map_location='cpu', strict=False)
    torch.testing.assert_close(
        animate(ours), animate(official), rtol=0, atol=0)
    for k, v in official.temporal_discriminator.state_dict().items():
        torch.testing.assert_close(
            ours.temporal_discriminator.state_dict()[k], v)
