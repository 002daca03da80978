# Copyright (c) OpenMMLab. All rights reserved.
import pytest
import torch
from mmagic.registry import MODELS

from gfla_mm.models import GFLADiscriminator, GFLAGenerator


def num_params(module):
    return sum(p.numel() for p in module.parameters())


@pytest.mark.parametrize('cfg,expected', [
    (dict(type='GFLAGenerator'), 14047395),  # DeepFashion, 14.0474M
    (dict(type='GFLAGenerator', attn_kernel_sizes={2: 3}), 12926471),
    (dict(type='GFLADiscriminator'), 664577),  # 0.6646M
    (dict(type='GFLADiscriminator', layers=3), 238209),  # Market 0.2382M
])
def test_parameter_counts_match_official(cfg, expected):
    assert num_params(MODELS.build(cfg)) == expected


def test_official_key_names():
    keys = GFLAGenerator().state_dict()
    for key, shape in [
        ('flow_net.output1.weight', (2, 128, 3, 3)),
        ('flow_net.mask2.0.weight', (1, 64, 3, 3)),
        ('flow_net.jump0.conv1.weight', (256, 256, 3, 3)),
        ('flow_net.jump0.model.2.weight', (256, 256, 3, 3)),
        ('target.attn1.fully_connect_layer.0.weight', (128, 256, 5, 5)),
        ('target.decoder0.0.model.0.model.5.weight', (256, 256, 3, 3)),
        ('target.decoder0.1.shortcut.0.weight', (256, 128, 3, 3)),
        ('target.outconv.model.2.weight', (3, 64, 3, 3)),
        ('source.encoder1.model.5.weight', (256, 256, 3, 3)),
    ]:
        assert tuple(keys[key].shape) == shape, key
    market = GFLAGenerator(attn_kernel_sizes={2: 3}).state_dict()
    assert 'target.attn1.fully_connect_layer.0.weight' in market
    assert 'target.attn0.fully_connect_layer.0.weight' not in market
    assert 'flow_net.output1.weight' not in market
    disc = GFLADiscriminator().state_dict()
    assert tuple(disc['block0.model.1.weight_orig'].shape) == (32, 3, 3, 3)
    assert tuple(disc['conv.weight_orig'].shape) == (1, 128, 1, 1)


@pytest.mark.parametrize('kernel_sizes,size,flow_sizes', [
    ({3: 3, 2: 5}, (64, 64), [(8, 8), (16, 16)]),
    ({2: 3}, (64, 32), [(16, 8)]),
])
def test_generator_forward_backward(kernel_sizes, size, flow_sizes):
    torch.manual_seed(0)
    gen = GFLAGenerator(attn_kernel_sizes=kernel_sizes)
    gen.init_weights()
    b = 2
    source = torch.rand(b, 3, *size) * 2 - 1
    poses = [torch.rand(b, 18, *size) for _ in range(2)]
    image, flows, masks = gen(source, *poses)
    assert image.shape == (b, 3, *size)
    assert image.abs().max() <= 1
    assert [tuple(f.shape[2:]) for f in flows] == flow_sizes
    assert all(f.shape[1] == 2 for f in flows)
    assert all(m.shape[1] == 1 and m.min() >= 0 and m.max() <= 1
               for m in masks)
    image.mean().backward()
    # The image depends on the flow heads through the local attention.
    head = 'output1' if len(flows) == 2 else 'output2'
    assert getattr(gen.flow_net, head).weight.grad.abs().sum() > 0


def test_orthogonal_init():
    gen = GFLAGenerator(attn_kernel_sizes={2: 3})
    gen.init_weights()
    w = gen.flow_net.encoder0.model[2].weight.reshape(64, -1)
    # Orthogonal rows scaled by the gain 0.02.
    torch.testing.assert_close(w @ w.t(), 0.02**2 * torch.eye(64),
                               atol=1e-6, rtol=0)
    assert gen.flow_net.encoder0.model[2].bias.abs().max() == 0
    assert (gen.flow_net.encoder0.model[0].weight == 1).all()
    disc = GFLADiscriminator()
    disc.init_weights()
    assert disc.conv.bias.abs().max() == 0


def test_discriminator_patch_logits():
    disc = GFLADiscriminator(layers=3)
    assert disc(torch.zeros(2, 3, 64, 32)).shape == (2, 1, 8, 4)
    assert GFLADiscriminator()(torch.zeros(1, 3, 64, 64)).shape == (1, 1, 4,
                                                                     4)


def test_flow_estimator_handles_sizes_off_multiples_of_32():
    """256x176 is not a multiple of 2**5: padded inside, outputs cropped to
    ceil(size / scale) so they fit the renderer's 1/8 and 1/4 grids."""
    from gfla_mm.models.editors.gfla import GFLAGenerator
    torch.manual_seed(0)
    gen = GFLAGenerator(
        base_channels=8,
        max_channels=16,
        flow_cfg=dict(base_channels=8, max_channels=16))
    h, w = 64, 40
    src = torch.randn(1, 3, h, w, requires_grad=True)
    image, flows, masks = gen(src, torch.rand(1, 18, h, w),
                              torch.rand(1, 18, h, w))
    assert image.shape == (1, 3, h, w)
    assert [tuple(f.shape[2:]) for f in flows] == [(8, 5), (16, 10)]
    assert [tuple(m.shape[2:]) for m in masks] == [(8, 5), (16, 10)]
    image.mean().backward()
    assert src.grad.isfinite().all()


@pytest.mark.parametrize('kernel_sizes,size,flow_sizes', [
    ({3: 3, 2: 5}, (256, 256), [(32, 32), (64, 64)]),  # DeepFashion
    ({2: 3}, (128, 64), [(32, 16)]),  # Market-1501
])
def test_full_size_forward(kernel_sizes, size, flow_sizes):
    """The real models at the real resolutions (forward only)."""
    torch.manual_seed(0)
    gen = GFLAGenerator(attn_kernel_sizes=kernel_sizes).eval()
    with torch.no_grad():
        image, flows, masks = gen(
            torch.rand(1, 3, *size) * 2 - 1, torch.rand(1, 18, *size),
            torch.rand(1, 18, *size))
    assert image.shape == (1, 3, *size)
    assert [tuple(f.shape[2:]) for f in flows] == flow_sizes
    assert [tuple(m.shape[2:]) for m in masks] == flow_sizes


def _recolour_change(source_norm: bool) -> float:
    """Mean output change when the source is recoloured per channel
    (a * x + b, a > 0)."""
    torch.manual_seed(0)
    gen = GFLAGenerator(
        base_channels=8,
        max_channels=16,
        source_norm=source_norm,
        init_gain=1.0,  # the demo's: without norms 0.02 shrinks features
        flow_cfg=dict(base_channels=4, max_channels=8))
    gen.init_weights()
    # Non-trivial InstanceNorm affines: the invariance must not rely on
    # the (1, 0) initialisation.
    for m in gen.modules():
        if isinstance(m, torch.nn.InstanceNorm2d):
            m.weight.data.uniform_(0.5, 1.5)
            m.bias.data.uniform_(-0.5, 0.5)
    gen.eval()
    source = torch.rand(2, 3, 64, 64) * 2 - 1
    poses = torch.rand(2, 18, 64, 64), torch.rand(2, 18, 64, 64)
    a = torch.tensor([0.7, 1.3, 0.9]).view(1, 3, 1, 1)
    b = torch.tensor([0.3, -0.3, 0.2]).view(1, 3, 1, 1)
    with torch.no_grad():
        out = gen(source, *poses)[0]
        recoloured = gen(source * a + b, *poses)[0]
    return float((out - recoloured).abs().mean())


def test_official_source_encoder_cannot_see_colours():
    # The official first layer normalises the image: recolouring the
    # source changes nothing but through InstanceNorm's eps. The demo's
    # source_norm=False generator reads the colours.
    official, demo = _recolour_change(True), _recolour_change(False)
    assert official < 1e-5
    assert demo > 50 * official and demo > 1e-4


def test_source_norm_off_keeps_conv_keys():
    official = GFLAGenerator(base_channels=8, max_channels=16)
    demo = GFLAGenerator(base_channels=8, max_channels=16, source_norm=False)
    off = set(demo.state_dict())
    on = set(official.state_dict())
    assert off < on
    # Only the source encoder's InstanceNorm affines are gone.
    assert all(k.startswith('source.') and k.endswith(('0.weight',
                                                        '0.bias', '3.weight',
                                                        '3.bias'))
               for k in on - off)
