# Copyright (c) OpenMMLab. All rights reserved.
"""The animation networks against the official architecture facts."""
import os.path as osp
import re

import pytest
import torch

from gfla_mm.models import (
    GFLAAnimationGenerator,
    GFLATemporalDiscriminator,
)

# The official key list, copied from the reference facts.
REFERENCE = osp.join(
    osp.dirname(__file__), *[osp.pardir] * 3, 'data',
    'official_animation_keys.txt')


def num_params(module):
    return sum(p.numel() for p in module.parameters())


def official_shapes(section: str) -> dict:
    """name -> shape of one section of the official key list."""
    with open(REFERENCE) as f:
        text = f.read()
    body = text.split(f'## {section}', 1)[1].split('\n## ', 1)[0]
    shapes = {}
    for line in body.splitlines()[1:]:
        m = re.match(r'^(\S+) \(([\d, ]*)\)', line)
        if m:
            shapes[m.group(1)] = tuple(
                int(v) for v in m.group(2).split(',') if v.strip())
    return shapes


def small_generator(**kwargs):
    torch.manual_seed(0)
    gen = GFLAAnimationGenerator(
        base_channels=8,
        max_channels=16,
        flow_cfg=dict(base_channels=8, max_channels=16),
        **kwargs)
    gen.init_weights()
    with torch.no_grad():  # away from the near-zero init flows
        for p in gen.parameters():
            p.add_(torch.randn_like(p) * 0.05)
    return gen.eval()


def clip(t=4, size=64, seed=1):
    g = torch.Generator().manual_seed(seed)
    return (torch.rand(1, t, 20, size, size, generator=g),
            torch.rand(1, 3, size, size, generator=g) * 2 - 1,
            torch.rand(1, 20, size, size, generator=g))


@pytest.mark.parametrize('net,section,count', [
    (GFLAAnimationGenerator, 'Animation (FashionVideo/iPER) generator',
     23510195),
    (GFLATemporalDiscriminator, 'Animation temporal discriminator', 1032961),
])
def test_official_keys_shapes_and_counts(net, section, count):
    model = net()
    assert num_params(model) == count
    want = official_shapes(section)
    own = {k: tuple(v.shape) for k, v in model.state_dict().items()}
    assert own == want


def test_first_frame_uses_the_reference_as_previous():
    gen = small_generator()
    structures, ref, ref_structure = clip()
    with torch.no_grad():
        start = gen(structures, ref, ref_structure)
        explicit = gen(structures, ref, ref_structure, ref, ref_structure)
    torch.testing.assert_close(start.images, explicit.images, rtol=0, atol=0)
    assert torch.equal(start.previous_images[:, 0], ref)
    # Every later frame is generated from the frame before it.
    assert torch.equal(start.previous_images[:, 1:], start.images[:, :-1])
    with pytest.raises(ValueError, match='together'):
        gen(structures, ref, ref_structure, ref, None)


def test_outputs_stack_over_time_coarse_to_fine():
    gen = small_generator()
    structures, ref, ref_structure = clip(t=3)
    with torch.no_grad():
        out = gen(structures, ref, ref_structure)
    assert out.images.shape == (1, 3, 3, 64, 64)
    for flows, masks in ((out.previous_flows, out.previous_masks),
                         (out.reference_flows, out.reference_masks)):
        assert [tuple(f.shape) for f in flows] == [(1, 3, 2, 8, 8),
                                                   (1, 3, 2, 16, 16)]
        assert [tuple(m.shape) for m in masks] == [(1, 3, 1, 8, 8),
                                                   (1, 3, 1, 16, 16)]
    with pytest.raises(ValueError, match='structures must be'):
        gen(structures[:, :, :18], ref, ref_structure)


def test_fusion_is_the_sum_over_both_sources():
    # Paper eq. 19-20 / official FaceTargetNet: at an attended level,
    # f <- [f(1-m_p) + a_p m_p] + [f(1-m_r) + a_r m_r].
    gen = small_generator()
    renderer = gen.target
    seen = {}

    def fake_attention(name, value):
        def forward(source, target, flow):
            seen.setdefault(name, target.clone())
            return torch.full_like(target, value)
        return forward

    for branch, value in (('_p', 0.25), ('_r', -0.5)):
        for i in (0, 1):
            getattr(renderer, f'attn{branch}{i}').forward = fake_attention(
                f'{branch}{i}', value)
    captured = {}
    renderer.decoder0.register_forward_pre_hook(
        lambda m, args: captured.setdefault('in0', args[0].clone()))
    structures, ref, ref_structure = clip(t=1)
    with torch.no_grad():
        feats = gen.source_reference(ref)
        masks_p = [torch.full((1, 1, 8, 8), 0.3), torch.full((1, 1, 16, 16),
                                                              0.3)]
        masks_r = [torch.full((1, 1, 8, 8), 0.8), torch.full((1, 1, 16, 16),
                                                              0.8)]
        flows = [torch.zeros(1, 2, 8, 8), torch.zeros(1, 2, 16, 16)]
        renderer.render(structures[:, 0], [(feats, flows, masks_p),
                                           (feats, flows, masks_r)])
    f = seen['_p0']
    expected = (f * 0.7 + 0.25 * 0.3) + (f * 0.2 - 0.5 * 0.8)
    torch.testing.assert_close(captured['in0'], expected)
    with pytest.raises(ValueError, match='2 branches'):
        renderer.render(structures[:, 0], [(feats, flows, masks_p)])


def test_single_branch_renderer_is_unchanged():
    # The image model's renderer is the one-branch case of the same code.
    from gfla_mm.models import GFLAGenerator
    torch.manual_seed(0)
    gen = GFLAGenerator(base_channels=8, max_channels=16,
                        flow_cfg=dict(base_channels=8, max_channels=16))
    assert gen.target.branches == ('', )
    assert hasattr(gen.target, 'attn0') and not hasattr(gen.target,
                                                        'attn_p0')


def test_temporal_discriminator_folds_time_into_channels():
    torch.manual_seed(0)
    disc = GFLATemporalDiscriminator(base_channels=8, max_channels=32)
    disc.init_weights()
    frames = torch.randn(2, 6, 3, 64, 64)
    assert disc(frames).shape == (2, 1, 4, 4)
    # Official order of the folded channels: c * (T - 4) + t, i.e. the
    # (B, C, T, H, W) tensor viewed as (B, C * T, H, W).
    feats = disc.block1(disc.block0(frames.transpose(1, 2)))
    assert feats.shape == (2, 16, 2, 16, 16)
    folded = feats.reshape(2, -1, 16, 16)
    torch.testing.assert_close(folded[:, 3], feats[:, 1, 1])
    with pytest.raises(ValueError, match=r'\(B, 6, C, H, W\)'):
        disc(frames[:, :5])
    with pytest.raises(ValueError, match='num_frames >= 5'):
        GFLATemporalDiscriminator(num_frames=4)


def test_generator_backward_reaches_both_branches():
    gen = small_generator().train()
    structures, ref, ref_structure = clip(t=2)
    gen(structures, ref, ref_structure).images.mean().backward()
    for name in ('source_previous', 'source_reference', 'flow_net_previous',
                 'flow_net_reference', 'target.attn_p0', 'target.attn_r1'):
        module = gen.get_submodule(name)
        grads = [p.grad for p in module.parameters()]
        assert all(g is not None for g in grads), name
        assert any(g.abs().sum() > 0 for g in grads), name
