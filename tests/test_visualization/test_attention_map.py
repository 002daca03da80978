# Copyright (c) OpenMMLab. All rights reserved.
import pytest
import torch

from gfla_mm.models.editors.gfla import GFLAGenerator
from gfla_mm.visualization import (
    attention_heatmap,
    attention_maps,
    collect_local_attention,
)


def test_heatmap_puts_each_tap_where_it_samples():
    h, w, k = 6, 7, 3
    attn = torch.zeros(1, k * k, h, w)
    attn[0, 4] = 1.0  # all weight on the centre tap
    flow = torch.zeros(1, 2, h, w)
    flow[0, 0] = 2.0  # everything samples 2 px to the right
    mask = torch.zeros(h, w)
    mask[3, 1] = 1.0
    heat = attention_heatmap(attn, flow, mask)
    expected = torch.zeros(1, 1, h, w)
    expected[0, 0, 3, 3] = 1.0
    torch.testing.assert_close(heat, expected)


def test_uniform_attention_spreads_over_the_window_and_keeps_mass():
    h, w, k = 8, 8, 3
    attn = torch.full((2, k * k, h, w), 1 / 9)
    flow = torch.zeros(2, 2, h, w)
    flow[:, 1] = 0.5  # half a pixel down: two rows share each tap
    mask = torch.zeros(h, w)
    mask[4, 4] = 1.0
    heat = attention_heatmap(attn, flow, mask)
    assert heat.shape == (2, 1, h, w)
    torch.testing.assert_close(heat.sum((1, 2, 3)), torch.ones(2))
    # Rows 3..6 (taps at 3.5, 4.5, 5.5 split bilinearly), columns 3..5.
    nz = heat[0, 0].nonzero()
    assert nz[:, 0].min() == 3 and nz[:, 0].max() == 6
    assert nz[:, 1].min() == 3 and nz[:, 1].max() == 5
    torch.testing.assert_close(heat[0, 0, 3, 4], torch.tensor(0.5 / 9))


def test_attention_maps_of_a_generator():
    torch.manual_seed(0)
    gen = GFLAGenerator(
        base_channels=8,
        max_channels=16,
        flow_cfg=dict(base_channels=8, max_channels=16)).eval()
    args = (torch.rand(1, 3, 64, 64) * 2 - 1, torch.rand(1, 18, 64, 64),
            torch.rand(1, 18, 64, 64))
    found = collect_local_attention(gen, *args)
    assert [tuple(a.shape) for a, _ in found] == [(1, 9, 8, 8),
                                                   (1, 25, 16, 16)]
    for attn, flow in found:
        torch.testing.assert_close(
            attn.sum(1), torch.ones(1, *attn.shape[2:]))
        assert flow.shape[1] == 2
    maps = attention_maps(gen, *args, box=(20, 24, 28, 32))
    assert [tuple(m.shape) for m in maps] == [(1, 1, 64, 64)] * 2
    assert all(m.max() == 1 and m.min() >= 0 for m in maps)
    with pytest.raises(ValueError, match='box'):
        attention_maps(gen, *args, box=(30, 0, 20, 10))
    with pytest.raises(ValueError, match='no LocalAttention'):
        collect_local_attention(torch.nn.Identity(), args[0])
