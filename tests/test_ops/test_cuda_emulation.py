# Copyright (c) OpenMMLab. All rights reserved.
"""The CUDA kernels, executed on the CPU: ``pytorch/cuda/*.cu`` and
``common/cuda/*.cuh`` built on the host emulation of
``tests/test_ops/cuda_emulation`` (the real launchers pick the kernels, grid
sizes, channel groups and tiling), compared with the CPU kernels of
``gfla_mm._ext`` and the float64 references of ``gfla_mm.ops.reference``.

This module runs in the test session on the ``plain`` build, and again in
subprocesses under ThreadSanitizer and ASan + UBSan
(``test_cuda_sanitizers.py``, which sets ``GFLA_MM_EMULATION_VARIANT``).
"""
import functools
import os

import pytest
import torch

from gfla_mm.ops import ext_loader, reference
from gfla_mm.ops.block_extract import block_extract
from gfla_mm.ops.gaussian_resample import gaussian_resample
from gfla_mm.ops.local_attention_gather import local_attention_gather

from .cuda_emulation import build as emulation
from .op_utils import make_flow, rand, rel_err

VARIANT = os.environ.get(emulation.VARIANT_ENV, 'plain')
SANITIZED = VARIANT != 'plain'
FOLDED = (1, 3, 5, 7)  # kernel sizes with folded CUDA kernels
TILED_ENV = 'GFLA_MM_CUDA_TILED_SCATTER'
LOG_ENV = 'GFLA_EMU_LAUNCH_LOG'
# float64: the CPU and CUDA kernels sum in different orders (atomics).
TOL = {torch.float64: 1e-10, torch.float32: 1e-4}


@pytest.fixture(scope='module')
def emu():
    """The emulated CUDA extension (same API as ``gfla_mm._ext``)."""
    return emulation.build(VARIANT)


@pytest.fixture(scope='module')
def cpu():
    return ext_loader.load_ext()


@pytest.fixture
def launches(tmp_path, monkeypatch):
    """Names of the kernels launched so far in the test."""
    log = tmp_path / 'launches.txt'
    monkeypatch.setenv(LOG_ENV, str(log))

    def names():
        if not log.exists():
            return []
        return [line.split()[0] for line in log.read_text().splitlines()]

    return names


def gather_grads(ext, go, source, flow, attn, k, want=(True, True, True)):
    bufs = [
        torch.empty_like(t) if w else t.new_empty(0)
        for t, w in zip((source, flow, attn), want)
    ]
    ext.local_attention_gather_backward(go, source, flow, attn, *bufs, k)
    return bufs


def gather_inputs(k, dtype, C=5, B=2, H=7, W=9, spread=8, seed=0):
    source = rand(B, C, H, W, seed=seed, dtype=dtype)
    flow = make_flow(B, H, W, spread=spread, seed=seed + 1, dtype=dtype)
    attn = torch.softmax(rand(B, k * k, H, W, seed=seed + 2), 1).to(dtype)
    go = rand(B, C, H, W, seed=seed + 3, dtype=dtype)
    return source, flow, attn, go


def assert_same(a, b, tol, what):
    """Equal within ``tol`` relative to b's largest finite value; NaN and
    inf in the same places."""
    assert a.shape == b.shape, what
    finite = b[b.isfinite()].abs()
    scale = max(1.0, finite.max().item()) if finite.numel() else 1.0
    torch.testing.assert_close(
        a, b, rtol=tol, atol=tol * scale, equal_nan=True,
        msg=lambda m: f'{what}: {m}')


# ----------------------------------------------------------------------------
# local_attention_gather

# Channels: one partial group of 16, and one full group plus a partial one.
GATHER_CASES = [(k, dtype, C) for k in (1, 2, 3, 5, 7, 9)
                for dtype in (torch.float64, torch.float32)
                for C in (5, 20)]
if SANITIZED:  # every kernel instantiation once, on tiny inputs
    GATHER_CASES = [(k, torch.float32, 20) for k in (1, 2, 3, 5, 7, 9)]
    GATHER_CASES += [(3, torch.float64, 5), (9, torch.float64, 5)]


@pytest.mark.parametrize('tiled', [False, True])
@pytest.mark.parametrize('k,dtype,C', GATHER_CASES)
def test_gather_matches_cpu_kernels(emu, cpu, launches, monkeypatch, tiled,
                                    k, dtype, C):
    monkeypatch.setenv(TILED_ENV, '1' if tiled else '0')
    source, flow, attn, go = gather_inputs(k, dtype, C)
    out = torch.empty_like(source)
    emu.local_attention_gather_forward(source, flow, attn, out, k)
    ref = torch.empty_like(source)
    cpu.local_attention_gather_forward(source, flow, attn, ref, k)
    assert_same(out, ref, TOL[dtype], 'forward')
    # All gradients, the source's alone, and flow + attention alone (the
    # folded kernel then runs without a source gradient).
    for want in [(True, True, True), (True, False, False),
                 (False, True, True)]:
        got = gather_grads(emu, go, source, flow, attn, k, want)
        exp = gather_grads(cpu, go, source, flow, attn, k, want)
        for name, g, e in zip(('source', 'flow', 'attn'), got, exp):
            assert_same(g, e, TOL[dtype], f'grad_{name} {want}')
    names = launches()
    folded = k in FOLDED
    assert any('folded' in n for n in names) == folded, names
    assert any('tiled' in n for n in names) == (tiled and folded), names


@pytest.mark.skipif(SANITIZED, reason='float64 autograd: plain build only')
@pytest.mark.parametrize('k', [2, 3, 5])
def test_gather_matches_reference(emu, k):
    source, flow, attn, go = gather_inputs(k, torch.float64, C=18)
    inputs = [t.clone().requires_grad_() for t in (source, flow, attn)]
    ref = reference.local_attention_gather_ref(*inputs, k)
    ref.backward(go)
    out = torch.empty_like(source)
    emu.local_attention_gather_forward(source, flow, attn, out, k)
    assert rel_err(out, ref.detach()) < 1e-10
    for name, g, t in zip(('source', 'flow', 'attn'),
                          gather_grads(emu, go, source, flow, attn, k),
                          inputs):
        assert rel_err(g, t.grad) < 1e-9, name


def tile_windows(flow, k, tile=16):
    """Cells of the source window of every 16 x 16 tile (the tiled scatter's
    shared-memory window), computed as its kernel does."""
    B, _, H, W = flow.shape
    ys, xs = torch.meshgrid(torch.arange(H), torch.arange(W), indexing='ij')
    bx = (xs + flow[:, 0]).floor().long()
    by = (ys + flow[:, 1]).floor().long()
    r = k // 2
    lo_c, hi_c = (bx - r).clamp(0, W - 1), (bx + k - r).clamp(0, W - 1)
    lo_r, hi_r = (by - r).clamp(0, H - 1), (by + k - r).clamp(0, H - 1)
    sizes = []
    for b in range(B):
        for y0 in range(0, H, tile):
            for x0 in range(0, W, tile):
                s = (slice(y0, y0 + tile), slice(x0, x0 + tile))
                rows = hi_r[b][s].max() - lo_r[b][s].min() + 1
                cols = hi_c[b][s].max() - lo_c[b][s].min() + 1
                sizes.append(int(rows * cols))
    return sizes


def test_tiled_scatter_window_and_global_fallback(emu, cpu, monkeypatch):
    """Tiles whose window fits the 48 x 48 shared memory, and tiles whose
    flows spread so far that the kernel scatters to global memory."""
    monkeypatch.setenv(TILED_ENV, '1')
    k, H, W = 3, 64, 64
    source, flow, attn, go = gather_inputs(k, torch.float32, 17, 1, H, W)
    flow = make_flow(1, H, W, spread=1, seed=5, dtype=torch.float32)
    flow[..., :16, :16] = make_flow(1, 16, 16, spread=40, seed=6,
                                    dtype=torch.float32)
    windows = tile_windows(flow, k)
    assert max(windows) > 48 * 48 and min(windows) <= 48 * 48, windows
    got = gather_grads(emu, go, source, flow, attn, k)
    exp = gather_grads(cpu, go, source, flow, attn, k)
    for name, g, e in zip(('source', 'flow', 'attn'), got, exp):
        assert_same(g, e, TOL[torch.float32], f'grad_{name}')


HALF_TOL = {torch.float16: 2e-3, torch.bfloat16: 2e-2}


@pytest.mark.parametrize('dtype', [torch.float16, torch.bfloat16])
@pytest.mark.parametrize('k', [2, 3])
def test_half_precision_forwards(emu, cpu, dtype, k):
    """Half-precision forwards (float accumulation) against the float32 CPU
    kernels on the same rounded inputs."""
    source, flow, attn, _ = gather_inputs(k, torch.float32, C=20)
    source, flow, attn = (t.to(dtype) for t in (source, flow, attn))
    wide = [t.float() for t in (source, flow, attn)]
    out = torch.empty_like(source)
    emu.local_attention_gather_forward(source, flow, attn, out, k)
    ref = torch.empty_like(wide[0])
    cpu.local_attention_gather_forward(*wide, ref, k)
    assert out.dtype == dtype
    assert rel_err(out.float(), ref) < HALF_TOL[dtype]
    block = source.new_empty(*source.shape[:2], source.shape[2] * k,
                             source.shape[3] * k)
    emu.block_extract_forward(source, flow, block, k)
    block_ref = wide[0].new_empty(block.shape)
    cpu.block_extract_forward(wide[0], wide[1], block_ref, k)
    assert rel_err(block.float(), block_ref) < HALF_TOL[dtype]
    resampled = torch.empty_like(source)
    emu.gaussian_resample_forward(source, flow, resampled, 4, 1, 2.0)
    resampled_ref = torch.empty_like(wide[0])
    cpu.gaussian_resample_forward(wide[0], wide[1], resampled_ref, 4, 1, 2.0)
    assert rel_err(resampled.float(), resampled_ref) < HALF_TOL[dtype]


# ----------------------------------------------------------------------------
# block_extract and gaussian_resample

BLOCK_CASES = [(k, dtype) for k in (1, 2, 3, 5)
               for dtype in (torch.float64, torch.float32)]
if SANITIZED:
    BLOCK_CASES = [(2, torch.float32), (3, torch.float64)]


def block_grads(ext, go, source, flow, k):
    gs, gf = torch.empty_like(source), torch.empty_like(flow)
    ext.block_extract_backward(go, source, flow, gs, gf, k)
    return gs, gf


@pytest.mark.parametrize('k,dtype', BLOCK_CASES)
def test_block_extract_matches_cpu_and_reference(emu, cpu, k, dtype):
    source, flow, _, _ = gather_inputs(k, dtype, C=6)
    B, C, H, W = source.shape
    out = source.new_empty(B, C, H * k, W * k)
    emu.block_extract_forward(source, flow, out, k)
    exp = torch.empty_like(out)
    cpu.block_extract_forward(source, flow, exp, k)
    assert_same(out, exp, TOL[dtype], 'forward')
    go = rand(*out.shape, seed=9, dtype=dtype)
    for name, g, e in zip(('source', 'flow'),
                          block_grads(emu, go, source, flow, k),
                          block_grads(cpu, go, source, flow, k)):
        assert_same(g, e, TOL[dtype], f'grad_{name}')
    if dtype == torch.float64:
        assert rel_err(out, reference.block_extract_ref(source, flow,
                                                        k)) < 1e-12


RESAMPLE_CASES = [(K, d, sigma, dtype) for K in (2, 4) for d in (1, 2)
                  for sigma in (2.0, 0.05)
                  for dtype in (torch.float64, torch.float32)]
if SANITIZED:
    RESAMPLE_CASES = [(4, 1, 2.0, torch.float32), (4, 2, 0.05, torch.float64)]


def resample_grads(ext, go, source, flow, K, d, sigma):
    gs, gf = torch.empty_like(source), torch.empty_like(flow)
    ext.gaussian_resample_backward(go, source, flow, gs, gf, K, d, sigma)
    return gs, gf


@pytest.mark.parametrize('K,d,sigma,dtype', RESAMPLE_CASES)
def test_gaussian_resample_matches_cpu(emu, cpu, K, d, sigma, dtype):
    """sigma 0.05: every official weight exp(-d^2 / 2 sigma^2) underflows;
    both now give the nearest tap's value (and finite gradients)."""
    source, flow, _, go = gather_inputs(3, dtype, C=6)
    out, exp = torch.empty_like(source), torch.empty_like(source)
    emu.gaussian_resample_forward(source, flow, out, K, d, sigma)
    cpu.gaussian_resample_forward(source, flow, exp, K, d, sigma)
    assert torch.isfinite(out).all()
    assert_same(out, exp, TOL[dtype], 'forward')
    for name, g, e in zip(('source', 'flow'),
                          resample_grads(emu, go, source, flow, K, d, sigma),
                          resample_grads(cpu, go, source, flow, K, d, sigma)):
        assert torch.isfinite(g).all(), name
        assert_same(g, e, TOL[dtype], f'grad_{name}')
    if dtype == torch.float64 and sigma == 2.0:
        ref = reference.gaussian_resample_ref(source, flow, K, d, sigma)
        assert rel_err(out, ref) < 1e-12


# ----------------------------------------------------------------------------
# Non-finite inputs: one semantics on CPU and CUDA (docs/ops.md)


def nonfinite_flow(B, H, W, dtype, seed=0):
    flow = make_flow(B, H, W, spread=3, seed=seed, dtype=dtype)
    flow[0, 0, 1, 2] = float('inf')
    flow[0, 1, 3, 4] = float('-inf')
    flow[-1, 0, 2, 5] = float('nan')
    flow[-1, 1, 4, 1] = 1e30  # finite, far beyond int64
    return flow


@pytest.mark.parametrize('tiled', [False, True])
@pytest.mark.parametrize('k', [2, 3])
def test_gather_nonfinite_inputs_agree(emu, cpu, monkeypatch, tiled, k):
    monkeypatch.setenv(TILED_ENV, '1' if tiled else '0')
    source, _, attn, go = gather_inputs(k, torch.float32, C=20, H=6, W=7)
    flow = nonfinite_flow(2, 6, 7, torch.float32)
    source[1, 3, 2, 2] = float('inf')  # 0 * inf where a weight is 0
    go[0, :, 0, 0] = 0  # zero output gradients at one finite pixel
    out, exp = torch.empty_like(source), torch.empty_like(source)
    emu.local_attention_gather_forward(source, flow, attn, out, k)
    cpu.local_attention_gather_forward(source, flow, attn, exp, k)
    assert out.isnan().any() and out.isinf().any()
    assert_same(out, exp, 1e-5, 'forward')
    for name, g, e in zip(('source', 'flow', 'attn'),
                          gather_grads(emu, go, source, flow, attn, k),
                          gather_grads(cpu, go, source, flow, attn, k)):
        assert_same(g, e, 1e-5, f'grad_{name}')


def test_tiled_scatter_survives_infinite_flow(emu, cpu, monkeypatch):
    """The case UBSan found: k=3, 1x1x64x16, flow = +inf at one pixel. The
    tiled scatter computed its window from rows[0]/rows[K] of an undefined
    float->int conversion, wrote outside its shared memory and dropped the
    pixel's NaN gradients (0 NaN cells where the CPU has 4)."""
    monkeypatch.setenv(TILED_ENV, '1')
    k = 3
    source, _, attn, go = gather_inputs(k, torch.float32, 1, 1, 64, 16)
    flow = make_flow(1, 64, 16, spread=2, seed=3, dtype=torch.float32)
    flow[0, 0, 30, 8] = float('inf')
    got = gather_grads(emu, go, source, flow, attn, k, (True, False, False))
    exp = gather_grads(cpu, go, source, flow, attn, k, (True, False, False))
    assert int(exp[0].isnan().sum()) == 4
    assert_same(got[0], exp[0], 1e-5, 'grad_source')


def test_block_extract_and_resample_nonfinite_agree(emu, cpu):
    source, _, _, _ = gather_inputs(3, torch.float32, C=4, H=6, W=7)
    flow = nonfinite_flow(2, 6, 7, torch.float32)
    k = 3
    out = source.new_empty(2, 4, 6 * k, 7 * k)
    exp = torch.empty_like(out)
    emu.block_extract_forward(source, flow, out, k)
    cpu.block_extract_forward(source, flow, exp, k)
    assert_same(out, exp, 1e-5, 'block forward')
    go = rand(*out.shape, seed=4, dtype=torch.float32)
    go[0, :, :3, :3] = 0  # zero gradients at pixel (0, 0): skipped by both
    for name, g, e in zip(('source', 'flow'),
                          block_grads(emu, go, source, flow, k),
                          block_grads(cpu, go, source, flow, k)):
        assert_same(g, e, 1e-5, f'block grad_{name}')
    go = rand(*source.shape, seed=5, dtype=torch.float32)
    go[1, :, 2, 5] = 0  # the NaN-flow pixel: no NaN scattered from it
    out, exp = torch.empty_like(source), torch.empty_like(source)
    emu.gaussian_resample_forward(source, flow, out, 4, 1, 2.0)
    cpu.gaussian_resample_forward(source, flow, exp, 4, 1, 2.0)
    assert_same(out, exp, 1e-5, 'resample forward')
    for name, g, e in zip(('source', 'flow'),
                          resample_grads(emu, go, source, flow, 4, 1, 2.0),
                          resample_grads(cpu, go, source, flow, 4, 1, 2.0)):
        assert_same(g, e, 1e-5, f'resample grad_{name}')


# ----------------------------------------------------------------------------
# The Python ops on the emulated CUDA kernels


@pytest.mark.skipif(SANITIZED, reason='gradcheck: plain build only')
def test_gradcheck_through_the_python_ops(emu, monkeypatch):
    # fast_mode: a few random directions instead of the full Jacobian (every
    # emulated launch wakes hundreds of threads); nondet_tol: the CUDA
    # backward adds with atomics, in any order (docs/ops.md).
    gradcheck = functools.partial(
        torch.autograd.gradcheck, fast_mode=True, nondet_tol=1e-12)
    monkeypatch.setattr(ext_loader, '_ext', emu)
    for k in (2, 3):
        source, flow, attn, _ = gather_inputs(k, torch.float64, 3, 1, 4, 5,
                                              spread=2)
        inputs = [t.requires_grad_() for t in (source, flow, attn)]
        assert gradcheck(
            lambda s, f, a: local_attention_gather(s, f, a, k), inputs)
    source, flow, _, _ = gather_inputs(3, torch.float64, 2, 1, 4, 5, spread=2)
    inputs = [t.requires_grad_() for t in (source, flow)]
    assert gradcheck(lambda s, f: block_extract(s, f, 3),
                                    inputs)
    assert gradcheck(
        lambda s, f: gaussian_resample(s, f, 4, 1, 2.0), inputs)


def test_emulated_and_cpu_extensions_stay_apart(emu, cpu):
    """Both registries in one process: the CPU extension still runs its own
    kernels (which have no half precision), the emulated one the CUDA
    kernels (which do) -- so the comparisons above compare two codes."""
    source, flow, attn, _ = gather_inputs(3, torch.float16)
    out = torch.empty_like(source)
    emu.local_attention_gather_forward(source, flow, attn, out, 3)
    with pytest.raises(RuntimeError, match='not implemented for'):
        cpu.local_attention_gather_forward(source, flow, attn, out, 3)
    assert emu.with_cuda()


def test_entry_point_checks_guard_the_cuda_path(emu):
    source, flow, attn, _ = gather_inputs(3, torch.float32)
    with pytest.raises(RuntimeError, match='attn of shape'):
        emu.local_attention_gather_forward(source, flow,
                                           attn[:, :4].contiguous(),
                                           torch.empty_like(source), 3)


# ----------------------------------------------------------------------------
# The emulation itself catches what it claims to (canaries.cpp)

CANARY_FAILURES = {
    'divergent_barrier': 'divergent __syncthreads in block (0, 0, 0): 32 of '
    '64 threads left the kernel while 32 wait',
    'oversized_shared': "exceed CUDA's 49152 (48 KiB)",
    'too_many_threads': 'invalid block (2048, 1, 1)',
    'empty_grid': 'invalid grid (0, 1, 1)',
}


@pytest.mark.skipif(SANITIZED, reason='canaries: plain build only')
@pytest.mark.parametrize('name', sorted(CANARY_FAILURES))
def test_emulation_rejects_what_cuda_rejects(name):
    code, message = emulation.run_canary('plain', name)
    assert code == 1 and CANARY_FAILURES[name] in message, message


@pytest.mark.skipif(SANITIZED, reason='canaries: plain build only')
@pytest.mark.parametrize('name', ['block_sum', 'uninitialised_shared',
                                  'atomics'])
def test_emulation_models_blocks_shared_memory_and_atomics(name):
    """A barrier-synchronised block sum, shared memory that reads NaN until
    written, and exact atomics across blocks."""
    assert emulation.run_canary('plain', name) == (0, '')

