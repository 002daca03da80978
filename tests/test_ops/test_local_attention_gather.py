# Copyright (c) OpenMMLab. All rights reserved.
import pytest
import torch
from torch.autograd import gradcheck

from gfla_mm.ops import local_attention_gather, local_attention_gather_ref
from gfla_mm.ops.reference import tap_offsets

from .op_utils import make_flow, rand, rel_err


def gather_inputs(b, c, h, w, k, *, integer=False, dtype=torch.float64,
                  seed=0):
    source = rand(b, c, h, w, seed=seed, dtype=dtype)
    flow = make_flow(b, h, w, integer=integer, seed=seed + 1, dtype=dtype)
    attn = torch.softmax(rand(b, k * k, h, w, seed=seed + 2), 1).to(dtype)
    return source, flow, attn


@pytest.mark.parametrize('k', [1, 3, 5, 7])
def test_gradcheck_fractional_flow(k):
    source, flow, attn = gather_inputs(2, 3, 5, 6, k, seed=k)
    args = [t.requires_grad_() for t in (source, flow, attn)]
    assert gradcheck(lambda s, f, a: local_attention_gather(s, f, a, k),
                     args, eps=1e-6, atol=1e-6)


@pytest.mark.parametrize('k', [1, 3, 5])
def test_gradcheck_integer_flow(k):
    # At integer sample points the flow derivative is one-sided, so only
    # source and attention are checked (as for the target patches of GFLA).
    source, flow, attn = gather_inputs(2, 2, 4, 5, k, integer=True)
    source.requires_grad_()
    attn.requires_grad_()
    assert gradcheck(lambda s, a: local_attention_gather(s, flow, a, k),
                     [source, attn], eps=1e-6, atol=1e-6)


def test_gradcheck_non_contiguous():
    k = 3
    source, flow, attn = gather_inputs(2, 3, 6, 5, k)
    # Transposed storage: same values, non-contiguous views.
    source_t = source.transpose(2, 3).contiguous().transpose(2, 3)
    flow_t = flow.transpose(2, 3).contiguous().transpose(2, 3)
    attn_t = attn.transpose(2, 3).contiguous().transpose(2, 3)
    assert not source_t.is_contiguous()
    args = [t.requires_grad_() for t in (source_t, flow_t, attn_t)]
    assert gradcheck(lambda s, f, a: local_attention_gather(s, f, a, k),
                     args, eps=1e-6, atol=1e-6)


@pytest.mark.parametrize('dtype,tol', [(torch.float64, 1e-6),
                                       (torch.float32, 1e-5)])
@pytest.mark.parametrize('k', [3, 5])
def test_matches_reference(dtype, tol, k):
    source, flow, attn = gather_inputs(3, 8, 9, 11, k, dtype=dtype, seed=7)
    outs, grads = [], []
    for backend in ('ext', 'reference'):
        args = [t.clone().requires_grad_() for t in (source, flow, attn)]
        out = local_attention_gather(*args, k, backend=backend)
        out.backward(rand(*out.shape, seed=3, dtype=dtype))
        outs.append(out.detach())
        grads.append([a.grad for a in args])
    assert rel_err(outs[0], outs[1]) <= tol
    for name, g_ext, g_ref in zip(('source', 'flow', 'attn'), *grads):
        assert rel_err(g_ext, g_ref) <= tol, name


def test_reference_matches_definition():
    """Oracle check: the reference equals the formula, tap by tap."""
    k = 3
    source, flow, attn = gather_inputs(1, 2, 4, 5, k)
    out = local_attention_gather_ref(source, flow, attn, k)
    h, w = 4, 5
    expected = torch.zeros_like(out)
    for j, (ox, oy) in enumerate(tap_offsets(k).tolist()):
        for y in range(h):
            for x in range(w):
                sx = x + flow[0, 0, y, x].item() + ox
                sy = y + flow[0, 1, y, x].item() + oy
                x0, y0 = int(torch.floor(torch.tensor(sx))), int(
                    torch.floor(torch.tensor(sy)))
                ax, ay = sx - x0, sy - y0

                def px(yy, xx):
                    return source[0, :, min(max(yy, 0), h - 1),
                                  min(max(xx, 0), w - 1)]

                val = ((1 - ay) * ((1 - ax) * px(y0, x0) + ax * px(y0, x0 + 1))
                       + ay * ((1 - ax) * px(y0 + 1, x0) +
                               ax * px(y0 + 1, x0 + 1)))
                expected[0, :, y, x] += attn[0, j, y, x] * val
    assert rel_err(out, expected) < 1e-12


def test_no_grad_for_unneeded_inputs():
    source, flow, attn = gather_inputs(1, 2, 4, 4, 3)
    source.requires_grad_()
    local_attention_gather(source, flow, attn, 3).sum().backward()
    assert source.grad is not None and flow.grad is None


@pytest.mark.parametrize('bad,match', [
    (dict(source=torch.zeros(2, 3, 4)), 'source must be 4-D'),
    (dict(flow=torch.zeros(2, 3, 4, 5)), 'flow must have 2 channels'),
    (dict(flow=torch.zeros(1, 2, 4, 5)), 'flow of shape'),
    (dict(attn=torch.zeros(2, 9, 4, 6)), 'attn of shape'),
    (dict(attn=torch.zeros(2, 8, 4, 5)), 'kernel_size\\*\\*2 = 9'),
    (dict(kernel_size=0), 'kernel_size must be in'),
    (dict(kernel_size=16), 'kernel_size must be in'),
])
def test_errors_name_the_argument(bad, match):
    args = dict(
        source=torch.zeros(2, 3, 4, 5),
        flow=torch.zeros(2, 2, 4, 5),
        attn=torch.zeros(2, 9, 4, 5),
        kernel_size=3)
    args.update(bad)
    with pytest.raises(ValueError, match=match):
        local_attention_gather(**args)


def test_dtype_and_device_errors():
    source = torch.zeros(1, 2, 3, 3)
    with pytest.raises(TypeError, match='kernel_size must be an int'):
        local_attention_gather(source, torch.zeros(1, 2, 3, 3),
                               torch.zeros(1, 9, 3, 3), 3.0)
    with pytest.raises(TypeError, match='flow has dtype torch.float64'):
        local_attention_gather(source, torch.zeros(1, 2, 3, 3).double(),
                               torch.zeros(1, 9, 3, 3), 3)
    with pytest.raises(TypeError, match='source has dtype torch.int64'):
        local_attention_gather(source.long(), torch.zeros(1, 2, 3, 3),
                               torch.zeros(1, 9, 3, 3), 3)
    with pytest.raises(ValueError, match='attn is on meta'):
        local_attention_gather(source, torch.zeros(1, 2, 3, 3),
                               torch.zeros(1, 9, 3, 3, device='meta'), 3)


@pytest.mark.gpu
def test_cpu_cuda_mix_is_refused():
    with pytest.raises(ValueError, match='flow is on cuda'):
        local_attention_gather(
            torch.zeros(1, 2, 3, 3), torch.zeros(1, 2, 3, 3, device='cuda'),
            torch.zeros(1, 9, 3, 3), 3)
