# Copyright (c) OpenMMLab. All rights reserved.
import math

import pytest
import torch
from torch.autograd import gradcheck

from gfla_mm.ops import block_extract

from .op_utils import make_flow, rand, rel_err


def naive_block_extract(source, flow, k):
    """The official BlockExtractor, one output pixel at a time."""
    b, c, h, w = source.shape
    out = torch.zeros(b, c, k * h, k * w, dtype=source.dtype)

    def px(bi, yy, xx):
        return source[bi, :, min(max(yy, 0), h - 1), min(max(xx, 0), w - 1)]

    for bi in range(b):
        for Y in range(k * h):
            for X in range(k * w):
                y, x = Y // k, X // k
                sx = x + flow[bi, 0, y, x].item() + X % k - k // 2
                sy = y + flow[bi, 1, y, x].item() + Y % k - k // 2
                x0, y0 = math.floor(sx), math.floor(sy)
                ax, ay = sx - x0, sy - y0
                top = (1 - ax) * px(bi, y0, x0) + ax * px(bi, y0, x0 + 1)
                bottom = ((1 - ax) * px(bi, y0 + 1, x0) +
                          ax * px(bi, y0 + 1, x0 + 1))
                out[bi, :, Y, X] = (1 - ay) * top + ay * bottom
    return out


@pytest.mark.parametrize('backend', ['ext', 'reference'])
@pytest.mark.parametrize('k', [1, 3])
def test_against_naive_loop_5x6(backend, k):
    source = rand(2, 3, 5, 6, seed=1)
    flow = make_flow(2, 5, 6, seed=2, spread=4)
    out = block_extract(source, flow, k, backend=backend)
    assert out.shape == (2, 3, 5 * k, 6 * k)
    assert rel_err(out, naive_block_extract(source, flow, k)) < 1e-12


def test_zero_flow_gives_neighbourhoods():
    # The target-patch use: integer positions, border replicated.
    source = torch.arange(20, dtype=torch.float64).view(1, 1, 4, 5)
    out = block_extract(source, torch.zeros(1, 2, 4, 5, dtype=torch.float64),
                        3)
    # Patch of pixel (0, 0): rows/cols -1..1 clamped to 0..1.
    assert out[0, 0, :3, :3].tolist() == [[0, 0, 1], [0, 0, 1], [5, 5, 6]]


@pytest.mark.parametrize('k', [1, 3, 5, 7])
def test_gradcheck(k):
    source = rand(2, 2, 4, 5, seed=k).requires_grad_()
    flow = make_flow(2, 4, 5, seed=k + 10).requires_grad_()
    assert gradcheck(lambda s, f: block_extract(s, f, k), [source, flow],
                     eps=1e-6, atol=1e-6)


def test_gradcheck_integer_flow_non_contiguous():
    source = rand(2, 5, 4, 3, seed=4).permute(0, 1, 3, 2).requires_grad_()
    flow = make_flow(2, 3, 4, integer=True, seed=5)
    assert not source.is_contiguous()
    assert gradcheck(lambda s: block_extract(s, flow, 3), [source],
                     eps=1e-6, atol=1e-6)


@pytest.mark.parametrize('dtype,tol', [(torch.float64, 1e-6),
                                       (torch.float32, 1e-5)])
def test_matches_reference(dtype, tol):
    source = rand(2, 6, 7, 9, seed=11, dtype=dtype)
    flow = make_flow(2, 7, 9, seed=12, dtype=dtype)
    results = []
    for backend in ('ext', 'reference'):
        s = source.clone().requires_grad_()
        f = flow.clone().requires_grad_()
        out = block_extract(s, f, 5, backend=backend)
        out.backward(rand(*out.shape, seed=13, dtype=dtype))
        results.append((out.detach(), s.grad, f.grad))
    for ext, ref in zip(*results):
        assert rel_err(ext, ref) <= tol


def test_errors():
    with pytest.raises(ValueError, match='flow must be 4-D'):
        block_extract(torch.zeros(1, 1, 3, 3), torch.zeros(2, 3, 3), 3)
    with pytest.raises(ValueError, match='kernel_size must be in'):
        block_extract(torch.zeros(1, 1, 3, 3), torch.zeros(1, 2, 3, 3), 20)
    with pytest.raises(ValueError, match='flow of shape \\(1, 2, 3, 4\\)'):
        block_extract(torch.zeros(1, 1, 3, 3), torch.zeros(1, 2, 3, 4), 3)
