# Copyright (c) OpenMMLab. All rights reserved.
"""The feature transforms of the Table II ablations."""
import pytest
import torch
import torch.nn.functional as F

from gfla_mm.models.layers import BilinearWarp, GlobalAttention


def test_bilinear_warp_matches_grid_sample_inside_the_image():
    gen = torch.Generator().manual_seed(0)
    source = torch.randn(2, 3, 8, 9, generator=gen)
    # Sample points that stay inside, where border handling plays no role.
    flow = torch.rand(2, 2, 8, 9, generator=gen) - 0.5
    flow[:, :, [0, -1], :] = 0
    flow[:, :, :, [0, -1]] = 0
    out = BilinearWarp()(source, torch.empty(0), flow)
    ys, xs = torch.meshgrid(
        torch.arange(8.), torch.arange(9.), indexing='ij')
    x = (xs + flow[:, 0]) / 8 * 2 - 1  # align_corners=True coordinates
    y = (ys + flow[:, 1]) / 7 * 2 - 1
    ref = F.grid_sample(
        source, torch.stack([x, y], -1), mode='bilinear',
        align_corners=True)
    torch.testing.assert_close(out, ref, atol=1e-5, rtol=1e-5)


def test_global_attention_starts_as_identity_and_attends():
    gen = torch.Generator().manual_seed(0)
    block = GlobalAttention(16)
    source = torch.randn(2, 16, 4, 5, generator=gen)
    target = torch.randn(2, 16, 4, 5, generator=gen)
    torch.testing.assert_close(block(source, target), target)  # gamma = 0
    with torch.no_grad():
        block.gamma.fill_(1.0)
    out = block(source, target)
    assert out.shape == target.shape
    # Each output is target + a convex combination of projected sources.
    v = block.value(source).flatten(2)
    mixed = (out - target).flatten(2)
    assert mixed.min() >= v.min() - 1e-5 and mixed.max() <= v.max() + 1e-5
    out.sum().backward()
    assert block.query.weight.grad.abs().sum() > 0
    with pytest.raises(ValueError, match='one shape'):
        block(source, target[:, :, :3])
