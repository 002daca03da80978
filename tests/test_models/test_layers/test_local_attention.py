# Copyright (c) OpenMMLab. All rights reserved.
import pytest
import torch
from mmagic.registry import MODELS
from torch.autograd import gradcheck

from gfla_mm.models import LocalAttention
from gfla_mm.ops import local_attention_block_ref

from ...test_ops.op_utils import make_flow, rand, rel_err


def block_inputs(b, c, h, w, seed=0, dtype=torch.float64):
    return (rand(b, c, h, w, seed=seed, dtype=dtype),
            rand(b, c, h, w, seed=seed + 1, dtype=dtype),
            make_flow(b, h, w, seed=seed + 2, spread=3, dtype=dtype))


@pytest.mark.parametrize('k,chunk', [(3, 1), (5, 2), (5, None), (4, 1)])
def test_matches_official_chain(k, chunk):
    torch.manual_seed(0)
    block = LocalAttention(6, k, hidden_channels=16,
                           patch_chunk=chunk).double()
    source, target, flow = block_inputs(3, 6, 7, 8, seed=k)
    args = [t.clone().requires_grad_() for t in (source, target, flow)]
    out = block(*args)
    ref_args = [t.clone().requires_grad_() for t in (source, target, flow)]
    ref = local_attention_block_ref(*ref_args, block.fully_connect_layer, k)
    assert out.shape == source.shape
    assert rel_err(out, ref) < 1e-10
    grad = rand(*out.shape, seed=99)
    out.backward(grad)
    params = [p.grad.clone() for p in block.parameters()]
    block.zero_grad()
    ref.backward(grad)
    for a, r in zip(args, ref_args):
        assert rel_err(a.grad, r.grad) < 1e-10
    for p, g in zip(block.parameters(), params):
        assert rel_err(g, p.grad) < 1e-10


def test_gradcheck():
    torch.manual_seed(1)
    block = LocalAttention(2, 3, hidden_channels=4).double()
    args = [t.requires_grad_() for t in block_inputs(2, 2, 4, 5)]
    assert gradcheck(block, args, eps=1e-6, atol=1e-6)


def test_parameter_names_match_official():
    block = LocalAttention(256, 3)
    shapes = {k: tuple(v.shape) for k, v in block.state_dict().items()}
    assert shapes == {
        'fully_connect_layer.0.weight': (128, 512, 3, 3),
        'fully_connect_layer.0.bias': (128, ),
        'fully_connect_layer.2.weight': (9, 128, 1, 1),
        'fully_connect_layer.2.bias': (9, ),
    }


def test_registered_and_validates():
    block = MODELS.build(dict(type='GFLALocalAttention', channels=4))
    assert isinstance(block, LocalAttention)
    x = torch.zeros(1, 4, 3, 3)
    with pytest.raises(ValueError, match='target of shape'):
        block(x, torch.zeros(1, 4, 3, 4), torch.zeros(1, 2, 3, 3))
    with pytest.raises(ValueError, match='built for 4'):
        block(torch.zeros(1, 2, 3, 3), torch.zeros(1, 2, 3, 3),
              torch.zeros(1, 2, 3, 3))
    with pytest.raises(ValueError, match='patch_chunk'):
        LocalAttention(4, patch_chunk=0)


def test_functional_form_validates_weights():
    from gfla_mm.ops import local_attention
    x = torch.zeros(1, 4, 3, 3)
    with pytest.raises(ValueError, match='hidden_weight of shape'):
        local_attention(x, x, torch.zeros(1, 2, 3, 3),
                        torch.zeros(8, 6, 3, 3), None,
                        torch.zeros(9, 8, 1, 1), None, 3)


def test_attention_weights_are_what_forward_mixes_with():
    from gfla_mm.models.layers import LocalAttention
    from gfla_mm.ops import local_attention_gather
    torch.manual_seed(0)
    block = LocalAttention(4, kernel_size=3, hidden_channels=8)
    source, target = torch.randn(2, 4, 6, 5), torch.randn(2, 4, 6, 5)
    flow = torch.randn(2, 2, 6, 5)
    weights = block.attention_weights(source, target, flow)
    assert weights.shape == (2, 9, 6, 5)
    torch.testing.assert_close(weights.sum(1), torch.ones(2, 6, 5))
    torch.testing.assert_close(
        block(source, target, flow),
        local_attention_gather(source, flow, weights, 3) / 9)


def test_sum_tap_reduction_is_k_squared_times_the_official_mean():
    torch.manual_seed(0)
    mean = LocalAttention(4, 3)
    summed = LocalAttention(4, 3, tap_reduction='sum')
    summed.load_state_dict(mean.state_dict())  # same parameters and keys
    f32 = dict(dtype=torch.float32)
    src, tgt = rand(2, 4, 6, 5, seed=1, **f32), rand(2, 4, 6, 5, seed=2, **f32)
    flow = make_flow(2, 6, 5, **f32)
    with torch.no_grad():
        torch.testing.assert_close(
            summed(src, tgt, flow), 9 * mean(src, tgt, flow))
    with pytest.raises(ValueError, match="'mean' or 'sum'"):
        LocalAttention(4, 3, tap_reduction='max')


def test_generator_passes_the_tap_reduction():
    from gfla_mm.models import GFLAGenerator
    gen = GFLAGenerator(base_channels=8, max_channels=16,
                        attn_tap_reduction='sum')
    blocks = [m for m in gen.modules() if isinstance(m, LocalAttention)]
    assert len(blocks) == 2
    assert all(b.tap_reduction == 'sum' for b in blocks)
