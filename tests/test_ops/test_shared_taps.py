# Copyright (c) OpenMMLab. All rights reserved.
"""sample_taps_nhwc (the pixel-major taps kernel) and
local_attention_shared_taps (the local attention's inference form)."""
import pytest
import torch
import torch.nn.functional as F

from gfla_mm.ops import (
    block_extract,
    export_mode,
    load_ext,
    local_attention,
    local_attention_shared_taps,
    sample_taps_nhwc,
)

from .op_utils import make_flow, rand, rel_err


def tiled_to_rows(patches, k):
    """block_extract's (B, C, kH, kW) tiles as (B, H*W, k*k, C) rows."""
    b, c = patches.shape[:2]
    taps = F.pixel_unshuffle(patches, k).view(b, c, k * k, -1)
    return taps.permute(0, 3, 2, 1)


@pytest.mark.parametrize('k,dtype', [(3, torch.float32), (5, torch.float64),
                                     (4, torch.float32),
                                     (1, torch.float64)])
@pytest.mark.parametrize('integer', [False, True])
def test_taps_are_block_extract_values_bit_for_bit(k, dtype, integer):
    """Flows reach 8 px outside the image; integer points hit the
    bilinear kinks."""
    source = rand(2, 5, 6, 7, seed=k, dtype=dtype)
    flow = make_flow(2, 6, 7, integer=integer, seed=k + 1, dtype=dtype)
    expected = tiled_to_rows(block_extract(source, flow, k), k)
    for src in (source, source.contiguous(memory_format=torch.channels_last)):
        taps = sample_taps_nhwc(src, flow, k)
        assert taps.shape == (2, 42, k * k, 5) and taps.is_contiguous()
        assert torch.equal(taps, expected)
    reference = sample_taps_nhwc(source, flow, k, backend='reference')
    assert rel_err(reference, expected) < 1e-6


def test_taps_take_the_differentiable_path_when_a_gradient_is_needed():
    source = rand(1, 3, 5, 5).requires_grad_()
    flow = make_flow(1, 5, 5, seed=1)
    taps = sample_taps_nhwc(source, flow, 3)
    taps.sum().backward()
    # Interior taps: every source cell is read; the sum of its bilinear
    # weights over all taps is positive.
    assert source.grad is not None and source.grad.abs().sum() > 0


def test_kernel_checks_its_arguments():
    ext = load_ext()
    source = torch.zeros(1, 4, 5, 3)  # (B, H, W, C)
    flow = torch.zeros(1, 2, 4, 5)
    with pytest.raises(RuntimeError, match=r'out of shape .* \(B, H\*W'):
        ext.sample_taps_nhwc_forward(source, flow, torch.zeros(1, 20, 4, 3),
                                     3)
    with pytest.raises(RuntimeError, match='does not fit'):
        ext.sample_taps_nhwc_forward(source, torch.zeros(1, 2, 3, 5),
                                     torch.zeros(1, 20, 9, 3), 3)
    with pytest.raises(RuntimeError, match='kernel_size must be in'):
        ext.sample_taps_nhwc_forward(source, flow, torch.zeros(1, 20, 0, 3),
                                     0)


def block_params(c, k, m=6, seed=0):
    return (rand(m, 2 * c, k, k, seed=seed) * 0.3, rand(m, seed=seed + 1),
            rand(k * k, m, 1, 1, seed=seed + 2), rand(k * k, seed=seed + 3))


@pytest.mark.parametrize('k', [3, 5, 2])
@pytest.mark.parametrize('backend', ['ext', 'reference'])
def test_shared_taps_attention_equals_local_attention(k, backend):
    c = 4
    source, target = rand(2, c, 6, 7, seed=1), rand(2, c, 6, 7, seed=2)
    flow = make_flow(2, 6, 7, seed=3, spread=3)
    params = block_params(c, k)
    expected = local_attention(source, target, flow, *params, k)
    out = local_attention_shared_taps(source, target, flow, *params, k,
                                      backend=backend)
    assert out.is_contiguous()
    assert rel_err(out, expected) < 1e-12
    cl = [
        t.contiguous(memory_format=torch.channels_last)
        for t in (source, target)
    ]
    out = local_attention_shared_taps(*cl, flow, *params, k, backend=backend)
    assert out.is_contiguous(memory_format=torch.channels_last)
    assert rel_err(out, expected) < 1e-12
    with export_mode():
        exported = local_attention_shared_taps(source, target, flow, *params,
                                               k)
    assert rel_err(exported, expected) < 1e-12


def test_shared_taps_attention_gradients():
    c, k = 3, 3
    args = [rand(1, c, 5, 6, seed=s).requires_grad_() for s in (1, 2)]
    flow = make_flow(1, 5, 6, seed=3, spread=2).requires_grad_()
    params = [p.requires_grad_() for p in block_params(c, k)]
    ref_args = [t.detach().clone().requires_grad_() for t in args + [flow]]
    ref_params = [p.detach().clone().requires_grad_() for p in params]
    grad = rand(1, c, 5, 6, seed=9)
    local_attention_shared_taps(*args, flow, *params, k).backward(grad)
    local_attention(*ref_args, *ref_params, k).backward(grad)
    for a, r in zip(args + [flow] + params, ref_args + ref_params):
        assert rel_err(a.grad, r.grad) < 1e-9
