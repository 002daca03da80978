# Copyright (c) OpenMMLab. All rights reserved.
import math

import pytest
import torch
from torch.autograd import gradcheck

from gfla_mm.ops import gaussian_resample

from .op_utils import make_flow, rand, rel_err


def naive_gaussian_resample(source, flow, K, d, sigma):
    """The official Resample2d forward, one output pixel at a time."""
    b, c, h, w = source.shape
    out = torch.zeros_like(source)
    for bi in range(b):
        for y in range(h):
            for x in range(w):
                xf = x + flow[bi, 0, y, x].item()
                yf = y + flow[bi, 1, y, x].item()
                fx, fy = math.floor(xf), math.floor(yf)
                alpha, beta = xf - fx, yf - fy
                num = torch.zeros(c, dtype=source.dtype)
                den = 0.0
                for i in range(K // 2):
                    for j in range(K // 2):
                        xs = ((fx - j * d, j * d + alpha),
                              (fx + (j + 1) * d, (j + 1) * d - alpha))
                        ys = ((fy - i * d, i * d + beta),
                              (fy + (i + 1) * d, (i + 1) * d - beta))
                        for yy, dy in ys:
                            for xx, dx in xs:
                                wgt = math.exp(-(dx * dx + dy * dy) /
                                               (2 * sigma * sigma))
                                v = source[bi, :, min(max(yy, 0), h - 1),
                                           min(max(xx, 0), w - 1)]
                                num += wgt * v
                                den += wgt
                out[bi, :, y, x] = num / den
    return out


@pytest.mark.parametrize('backend', ['ext', 'reference'])
@pytest.mark.parametrize('K,d,sigma', [(4, 1, 2.0), (2, 1, 1.0),
                                       (6, 2, 1.5)])
def test_against_naive_loop(backend, K, d, sigma):
    source = rand(2, 3, 5, 6, seed=K)
    flow = make_flow(2, 5, 6, seed=d, spread=4)
    out = gaussian_resample(source, flow, K, d, sigma, backend=backend)
    assert rel_err(out, naive_gaussian_resample(source, flow, K, d,
                                                sigma)) < 1e-12


@pytest.mark.parametrize('K,d', [(2, 1), (4, 1), (4, 2)])
def test_gradcheck(K, d):
    source = rand(2, 2, 5, 4, seed=K).requires_grad_()
    flow = make_flow(2, 5, 4, seed=K + d).requires_grad_()
    assert gradcheck(lambda s, f: gaussian_resample(s, f, K, d, 2.0),
                     [source, flow], eps=1e-6, atol=1e-6)


def test_gradcheck_integer_flow_non_contiguous():
    source = rand(1, 3, 4, 6, seed=3)[:, :, :, ::2].requires_grad_()
    flow = make_flow(1, 4, 3, integer=True, seed=4)
    assert not source.is_contiguous()
    assert gradcheck(lambda s: gaussian_resample(s, flow), [source],
                     eps=1e-6, atol=1e-6)


def test_negative_coordinates_use_floor():
    # The official source-gradient truncated with int(); ours floors, so the
    # gradient of a sample at x = -0.5 matches the reference's autograd.
    source = rand(1, 1, 3, 3, seed=5)
    flow = torch.full((1, 2, 3, 3), -0.5, dtype=torch.float64)
    grads = []
    for backend in ('ext', 'reference'):
        s = source.clone().requires_grad_()
        gaussian_resample(s, flow, backend=backend).sum().backward()
        grads.append(s.grad)
    assert rel_err(*grads) < 1e-12


@pytest.mark.parametrize('dtype,tol', [(torch.float64, 1e-6),
                                       (torch.float32, 1e-5)])
def test_matches_reference(dtype, tol):
    source = rand(2, 5, 8, 7, seed=21, dtype=dtype)
    flow = make_flow(2, 8, 7, seed=22, dtype=dtype)
    results = []
    for backend in ('ext', 'reference'):
        s = source.clone().requires_grad_()
        f = flow.clone().requires_grad_()
        out = gaussian_resample(s, f, backend=backend)
        out.backward(rand(*out.shape, seed=23, dtype=dtype))
        results.append((out.detach(), s.grad, f.grad))
    for ext, ref in zip(*results):
        assert rel_err(ext, ref) <= tol


@pytest.mark.parametrize('kwargs,match', [
    (dict(kernel_size=3), 'even int'),
    (dict(kernel_size=0), 'even int'),
    (dict(dilation=0), 'dilation'),
    (dict(sigma=0.0), 'sigma'),
])
def test_errors(kwargs, match):
    with pytest.raises(ValueError, match=match):
        gaussian_resample(torch.zeros(1, 1, 3, 3), torch.zeros(1, 2, 3, 3),
                          **kwargs)
