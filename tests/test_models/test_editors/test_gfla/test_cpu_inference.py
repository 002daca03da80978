# Copyright (c) OpenMMLab. All rights reserved.
"""optimize_for_inference: the rewritten generator computes what the
original does, with the same parameters and state-dict keys."""
import copy

import pytest
import torch
from torch import nn

from gfla_mm.models.editors.gfla import (
    is_optimized_for_inference,
    optimize_for_inference,
)
from gfla_mm.models.editors.gfla.cpu_inference import (
    FastLocalAttention,
    FusedResBlockDecoder,
    LayoutInstanceNorm2d,
)
from gfla_mm.models.editors.gfla.gfla_generator import (
    GFLABaselineGenerator,
    GFLAGenerator,
)
from gfla_mm.models.editors.gfla.gfla_modules import ResBlockDecoder
from gfla_mm.models.layers import LocalAttention

# fp32 images in [-1, 1]: the rewrite only reorders sums.
TOL = 1e-5


def tiny(**kwargs):
    """A narrow generator with PyTorch's default init (unlike the official
    gain-0.02 init its images vary, so that a wrong block shows)."""
    torch.manual_seed(0)
    return GFLAGenerator(
        base_channels=8,
        max_channels=16,
        flow_cfg=dict(base_channels=8, max_channels=16),
        **kwargs).eval()


def inputs(b=2, size=64):
    gen = torch.Generator().manual_seed(1)
    return (torch.rand(b, 3, size, size, generator=gen) * 2 - 1,
            torch.rand(b, 18, size, size, generator=gen),
            torch.rand(b, 18, size, size, generator=gen))


def assert_same_outputs(a, b, tol=TOL):
    (img_a, flows_a, masks_a), (img_b, flows_b, masks_b) = a, b
    assert img_a.std() > 1e-3  # the images are not flat
    assert (img_a - img_b).abs().max() <= tol
    for x, y in zip(flows_a + masks_a, flows_b + masks_b):
        assert (x - y).abs().max() <= tol


@pytest.mark.parametrize('kwargs,channels_last', [
    (dict(), False),
    (dict(), True),
    (dict(attn_kernel_sizes={3: 3, 2: 5, 1: 3}), True),
    (dict(attn_tap_reduction='sum'), False),
    (dict(feature_transform='bilinear'), True),
    (dict(feature_transform='global_attention'), False),
    (dict(source_norm=False), True),
])
def test_same_outputs_params_and_keys(kwargs, channels_last):
    plain = tiny(**kwargs)
    fast = optimize_for_inference(copy.deepcopy(plain), channels_last)
    assert is_optimized_for_inference(fast)
    assert not is_optimized_for_inference(plain)
    with torch.no_grad():
        assert_same_outputs(fast(*inputs()), plain(*inputs()))
    state, fast_state = plain.state_dict(), fast.state_dict()
    assert list(fast_state) == list(state)
    assert all(torch.equal(fast_state[k], v) for k, v in state.items())
    kinds = {type(m) for m in fast.modules()}
    assert ResBlockDecoder not in kinds and FusedResBlockDecoder in kinds
    assert LocalAttention not in kinds
    if kwargs.get('feature_transform', 'local_attention') == \
            'local_attention':
        assert FastLocalAttention in kinds
    assert (LayoutInstanceNorm2d in kinds) == channels_last
    assert (nn.InstanceNorm2d in kinds) != channels_last
    # In place exactly where an instance norm feeds the activation.
    for seq in (m for m in fast.modules() if isinstance(m, nn.Sequential)):
        for prev, act in zip(seq, list(seq)[1:]):
            if isinstance(act, nn.LeakyReLU):
                assert act.inplace == isinstance(prev, nn.InstanceNorm2d)


def test_baseline_generator_and_loading_a_plain_state_dict():
    torch.manual_seed(0)
    plain = GFLABaselineGenerator(base_channels=8, max_channels=16).eval()
    fast = optimize_for_inference(
        GFLABaselineGenerator(base_channels=8, max_channels=16),
        channels_last=True).eval()
    fast.load_state_dict(plain.state_dict())  # keys unchanged
    with torch.no_grad():
        assert_same_outputs(fast(*inputs()), plain(*inputs()))


def test_bf16_autocast_close_to_fp32():
    plain = tiny()
    fast = optimize_for_inference(copy.deepcopy(plain), channels_last=True)
    with torch.no_grad():
        ref = plain(*inputs())[0]
        with torch.autocast('cpu', dtype=torch.bfloat16):
            out = fast(*inputs())[0]
    # bf16 keeps 8 bits of mantissa: a few hundredths of the [-1, 1] range.
    assert (out.float() - ref).abs().max() < 0.1


def test_gradients_still_flow():
    """Not its purpose, but autograd gives the same gradients (float64)."""
    plain = tiny().double()
    fast = optimize_for_inference(copy.deepcopy(plain))
    args = [t.double() for t in inputs(b=1)]
    fast(*args)[0].sum().backward()
    plain(*args)[0].sum().backward()
    for (name, p), q in zip(plain.named_parameters(), fast.parameters()):
        assert (p.grad - q.grad).abs().max() <= 1e-9, name


def test_subclasses_are_left_alone():

    class MyAttention(LocalAttention):
        pass

    net = nn.Sequential(MyAttention(4), LocalAttention(4))
    optimize_for_inference(net)
    assert type(net[0]) is MyAttention
    assert type(net[1]) is FastLocalAttention
