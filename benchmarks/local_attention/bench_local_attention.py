# Copyright (c) OpenMMLab. All rights reserved.
"""Benchmark of gfla_mm's local-attention ops against the official-style
chain (the pure-PyTorch references, which materialise every k x k patch).

GPU run (``--device cuda``): agreement checks first (CUDA vs CPU kernels in
fp32, bf16 vs fp32, CUDA gradcheck in float64), then forward and
forward+backward times (CUDA events, median) and peak extra memory of the
gather and of the whole local-attention block, for ext vs reference, at the
DeepFashion shapes (B=8; C=256, 32x32, k=3 and C=128, 64x64, k=5), fp32 and
bf16. CPU run (``--device cpu``): the same timings and peak memory (Linux)
at B=1, C=128, 64x64, k=5, fp32.

Needs only torch and the built extension (no mmagic/mmcv), so it runs on a
bare GPU machine::

    FORCE_CUDA=1 python setup.py build_ext --inplace
    python benchmarks/local_attention/bench_local_attention.py --device cuda
"""
import argparse
import json
import os
import os.path as osp
import statistics
import subprocess
import sys
import tempfile
import time
from typing import Callable, Dict, List, Optional, Tuple

import torch

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))


# The ops need torch alone (gfla_mm imports its mm* layers only where the
# stack is installed): this runs on the GPU machines, which have no mm*.
sys.path.insert(0, ROOT)
import gfla_mm.ops as ops  # noqa: E402


def rel_err(a: torch.Tensor, b: torch.Tensor) -> float:
    a, b = a.double(), b.double()
    return ((a - b).abs().max() / b.abs().max().clamp_min(1e-30)).item()


def make_inputs(b, c, h, w, k, device, dtype, seed=0):
    gen = torch.Generator().manual_seed(seed)
    source = torch.randn(b, c, h, w, generator=gen)
    target = torch.randn(b, c, h, w, generator=gen)
    # Smooth-ish flow of a few pixels, as the flow estimator produces.
    flow = 3 * torch.randn(b, 2, h // 8 + 1, w // 8 + 1, generator=gen)
    flow = torch.nn.functional.interpolate(
        flow, size=(h, w), mode='bilinear', align_corners=False)
    flow = flow + 0.2 * torch.randn(b, 2, h, w, generator=gen)
    attn = torch.softmax(torch.randn(b, k * k, h, w, generator=gen), 1)
    hidden_w = 0.02 * torch.randn(128, 2 * c, k, k, generator=gen)
    hidden_b = torch.zeros(128)
    out_w = 0.02 * torch.randn(k * k, 128, 1, 1, generator=gen)
    out_b = torch.zeros(k * k)
    tensors = dict(
        source=source, target=target, flow=flow, attn=attn,
        hidden_w=hidden_w, hidden_b=hidden_b, out_w=out_w, out_b=out_b)
    return {
        n: t.to(device=device, dtype=dtype).requires_grad_()
        for n, t in tensors.items()
    }


# Opt-in shared-memory scatter of the CUDA source gradient (read per call).
TILED_ENV = 'GFLA_MM_CUDA_TILED_SCATTER'
GATHER_INPUTS = ('source', 'flow', 'attn')
BLOCK_INPUTS = ('source', 'target', 'flow', 'hidden_w', 'hidden_b', 'out_w',
                'out_b')


def gather_fn(backend: str, k: int) -> Callable:
    return lambda x: ops.local_attention_gather(
        x['source'], x['flow'], x['attn'], k, backend=backend)


def block_fn(backend: str, k: int) -> Callable:
    """The block: gfla_mm's (ext) or the official op chain (reference)."""
    if backend == 'ext':
        return lambda x: ops.local_attention(
            x['source'], x['target'], x['flow'], x['hidden_w'], x['hidden_b'],
            x['out_w'], x['out_b'], k)

    def chain(x):
        def kernel_net(patches):
            hidden = torch.nn.functional.conv2d(
                patches, x['hidden_w'], x['hidden_b'], stride=k)
            logits = torch.nn.functional.conv2d(
                torch.nn.functional.leaky_relu(hidden, 0.1), x['out_w'],
                x['out_b'])
            return torch.softmax(logits, dim=1)

        return ops.local_attention_block_ref(x['source'], x['target'],
                                             x['flow'], kernel_net, k)

    return chain


def sync(device):
    if device == 'cuda':
        torch.cuda.synchronize()


def time_ms(run: Callable, device: str, iters: int, warmup: int) -> float:
    """Median wall time of ``run()`` in milliseconds."""
    for _ in range(warmup):
        run()
    sync(device)
    times = []
    for _ in range(iters):
        if device == 'cuda':
            start = torch.cuda.Event(enable_timing=True)
            end = torch.cuda.Event(enable_timing=True)
            start.record()
            run()
            end.record()
            torch.cuda.synchronize()
            times.append(start.elapsed_time(end))
        else:
            t0 = time.perf_counter()
            run()
            times.append((time.perf_counter() - t0) * 1e3)
    return statistics.median(times)


def peak_extra_mib(run: Callable, device: str) -> float:
    """Peak memory above what was in use before ``run()``, in MiB.

    CUDA: the caching allocator's peak statistics. CPU (Linux): the process's
    peak resident set (``VmHWM``, reset through ``/proc/self/clear_refs``)
    above the resident set before the call, which follows the tensors alive
    only in a process started with :data:`CPU_MEMORY_ENV`.
    """
    if device == 'cuda':
        torch.cuda.synchronize()
        torch.cuda.reset_peak_memory_stats()
        base = torch.cuda.memory_allocated()
        run()
        torch.cuda.synchronize()
        return (torch.cuda.max_memory_allocated() - base) / 2**20
    release_free_heap()
    with open('/proc/self/clear_refs', 'w') as f:
        f.write('5')  # resets VmHWM to the current VmRSS
    base = proc_status_kib('VmRSS')
    run()
    return (proc_status_kib('VmHWM') - base) / 1024


# glibc serves large blocks with mmap and unmaps them on free, but raises
# that threshold (up to 32 MiB) each time such a block is freed, after which
# freed memory stays resident in the heap. A fixed 64 KiB threshold, set
# before the process allocates anything, keeps every tensor of interest on
# its own mapping, so the resident set measures the tensors alive.
CPU_MEMORY_ENV = {'MALLOC_MMAP_THRESHOLD_': str(64 * 1024)}


def release_free_heap() -> None:
    """glibc ``malloc_trim(0)``: free heap pages leave the resident set, so
    that reusing them during the measured call counts as growth."""
    import ctypes
    import ctypes.util
    try:
        ctypes.CDLL(ctypes.util.find_library('c')).malloc_trim(0)
    except (OSError, AttributeError, TypeError):
        pass  # not glibc: the peak can only be less exact


def proc_status_kib(field: str) -> int:
    with open('/proc/self/status') as f:
        for line in f:
            if line.startswith(field + ':'):
                return int(line.split()[1])
    raise RuntimeError(f'/proc/self/status has no {field}')


def fwd_and_fwd_bwd(fn: Callable, x: Dict,
                    inputs: tuple) -> Tuple[Callable, Callable]:
    """Forward (no grad) and forward+backward (gradients of ``inputs``)."""
    def fwd():
        with torch.no_grad():
            fn(x)

    def fwd_bwd():
        out = fn(x)
        return torch.autograd.grad(out, [x[n] for n in inputs],
                                   torch.ones_like(out))

    return fwd, fwd_bwd


def edge_case_checks(lines: List[str]) -> bool:
    """CUDA like CPU where the kernels take shortcuts: no channels (flow and
    attention gradients are 0, not left unset), and an inf in the source
    under a zero output gradient (0 * inf = NaN in the flow and attention
    gradients, not skipped)."""
    ok = True
    for k in (3, 5, 2):  # folded and generic kernels
        for name, c in (('C=0', 0), ('inf source, zero grads', 4)):
            x_cpu = make_inputs(1, c, 9, 8, k, 'cpu', torch.float32, seed=5)
            gout = torch.randn(1, c, 9, 8)
            if c:
                with torch.no_grad():
                    x_cpu['source'][0, 1, 4, 4] = float('inf')
                gout[:, :, :5] = 0
            grads = []
            for device in ('cpu', 'cuda'):
                x = {n: x_cpu[n].detach().to(device).requires_grad_()
                     for n in ('source', 'flow', 'attn')}
                out = ops.local_attention_gather(x['source'], x['flow'],
                                                 x['attn'], k)
                grads.append([
                    g.cpu() for g in torch.autograd.grad(
                        out, [x['flow'], x['attn']], gout.to(device))
                ])
            passed = all(
                torch.equal(g.isnan(), r.isnan()) and torch.allclose(
                    g.nan_to_num(), r.nan_to_num(), rtol=1e-5, atol=1e-5)
                for g, r in zip(grads[1], grads[0]))
            ok &= passed
            lines.append(f'| gather k={k}, {name}: CUDA flow/attn grads vs '
                         f'CPU (NaN pattern + values) | - | equal | '
                         f'{"ok" if passed else "FAIL"} |')
    return ok


def same_values(got: torch.Tensor, ref: torch.Tensor, tol: float) -> bool:
    """NaN/inf in the same places, finite values within ``tol`` (relative to
    the largest finite reference value)."""
    got, ref = got.double().cpu(), ref.double()
    finite = ref[ref.isfinite()].abs()
    scale = max(1.0, finite.max().item()) if finite.numel() else 1.0
    return torch.allclose(got, ref, rtol=tol, atol=tol * scale,
                          equal_nan=True)


def nonfinite_checks(lines: List[str],
                     devices: Tuple[str, str] = ('cpu', 'cuda')) -> bool:
    """The semantics of docs/ops.md ("Non-finite inputs") on the GPU: flows
    of +inf, -inf, NaN and 1e30 (fp16 AMP makes them), zero output gradients
    at one pixel, the tiled scatter on and off; and gaussian_resample CUDA vs
    CPU values, also where every official weight underflows (sigma 0.05).
    ``devices``: reference, then checked (a test runs it on CPU twice)."""
    ok = True

    def flows(h, w):
        gen = torch.Generator().manual_seed(7)
        flow = 3 * torch.randn(2, 2, h, w, generator=gen)
        flow[0, 0, 1, 2] = float('inf')
        flow[0, 1, 3, 4] = float('-inf')
        flow[1, 0, 2, 5] = float('nan')
        flow[1, 1, 4, 1] = 1e30
        return flow

    def compare(name, fn, inputs, gout):
        results = []
        for device in devices:
            x = [t.detach().to(device).requires_grad_() for t in inputs]
            out = fn(*x)
            grads = torch.autograd.grad(out, x, gout.to(device))
            results.append([out.detach().cpu()] + [g.cpu() for g in grads])
        passed = all(
            same_values(g, r, 1e-4) for g, r in zip(results[1], results[0]))
        lines.append(f'| {name}: CUDA output + grads vs CPU (NaN/inf '
                     f'pattern + values) | - | equal | '
                     f'{"ok" if passed else "FAIL"} |')
        return passed

    gen = torch.Generator().manual_seed(8)
    for k in (2, 3):
        for tiled in ('0', '1'):
            os.environ[TILED_ENV] = tiled
            source = torch.randn(2, 20, 6, 7, generator=gen)
            attn = torch.softmax(torch.randn(2, k * k, 6, 7, generator=gen),
                                 1)
            gout = torch.randn(2, 20, 6, 7, generator=gen)
            gout[0, :, 0, 0] = 0
            ok &= compare(
                f'gather k={k}, non-finite flows, tiled={tiled}',
                lambda s, f, a, k=k: ops.local_attention_gather(s, f, a, k),
                [source, flows(6, 7), attn], gout)
    # The case the host emulation's UBSan run found in the tiled scatter.
    os.environ[TILED_ENV] = '1'
    source = torch.randn(1, 1, 64, 16, generator=gen)
    attn = torch.softmax(torch.randn(1, 9, 64, 16, generator=gen), 1)
    flow = torch.randn(1, 2, 64, 16, generator=gen)
    flow[0, 0, 30, 8] = float('inf')
    ok &= compare('gather k=3, 1x1x64x16, one +inf flow, tiled',
                  lambda s, f, a: ops.local_attention_gather(s, f, a, 3),
                  [source, flow, attn], torch.randn(1, 1, 64, 16,
                                                     generator=gen))
    os.environ[TILED_ENV] = '0'
    source = torch.randn(2, 4, 6, 7, generator=gen)
    gout = torch.randn(2, 4, 18, 21, generator=gen)
    gout[0, :, :3, :3] = 0
    ok &= compare('block_extract k=3, non-finite flows',
                  lambda s, f: ops.block_extract(s, f, 3),
                  [source, flows(6, 7)], gout)
    for sigma in (2.0, 0.05):
        for name, flow in (('finite', 3 * torch.randn(2, 2, 6, 7,
                                                      generator=gen)),
                           ('non-finite', flows(6, 7))):
            ok &= compare(
                f'gaussian_resample K=4, sigma={sigma:g}, {name} flows',
                lambda s, f, sigma=sigma: ops.gaussian_resample(
                    s, f, 4, 1, sigma), [source, flow],
                torch.randn(2, 4, 6, 7, generator=gen))
    return ok


def agreement_checks(lines: List[str]) -> bool:
    """CUDA vs CPU kernels, bf16 vs fp32, CUDA gradcheck in float64."""
    ok = True
    k = 5
    x_cpu = make_inputs(2, 16, 24, 20, k, 'cpu', torch.float32, seed=1)
    for name, fn in (('gather', gather_fn('ext', k)),
                     ('block', block_fn('ext', k))):
        ref = fn(x_cpu)
        ref_grads = torch.autograd.grad(ref.sum(),
                                        [x_cpu['source'], x_cpu['flow']])
        for dtype, tol in ((torch.float32, 1e-5), (torch.bfloat16, 1e-2)):
            x = {
                n: t.detach().to('cuda', dtype).requires_grad_()
                for n, t in x_cpu.items()
            }
            out = fn(x)
            grads = torch.autograd.grad(out.float().sum(),
                                        [x['source'], x['flow']])
            errs = [rel_err(out, ref)] + [
                rel_err(g, r) for g, r in zip(grads, ref_grads)
            ]
            # bf16 rounds its inputs: compare the output only there.
            worst = errs[0] if dtype == torch.bfloat16 else max(errs)
            passed = worst <= tol
            ok &= passed
            lines.append(f'| {name} CUDA {str(dtype)[6:]} vs CPU fp32 | '
                         f'{worst:.2e} | <= {tol:g} | '
                         f'{"ok" if passed else "FAIL"} |')
    # Every gather code path: folded CUDA kernels (k = 1, 3, 5, 7), the
    # generic one (k = 2, 9); a channel count that is not a multiple of the
    # 16-channel groups; all three gradients.
    # The opt-in shared-memory scatter (GFLA_MM_CUDA_TILED_SCATTER=1), on
    # smooth flows and on wild ones (windows too large: global fallback).
    variants = [(kk, '0', 17, 13, 1.0) for kk in (1, 2, 3, 5, 7, 9)]
    variants += [(kk, '1', 40, 37, 1.0) for kk in (1, 3, 5, 7)]
    variants += [(5, '1', 64, 64, 20.0)]
    for kk, tiled, hh, ww, flow_scale in variants:
        os.environ[TILED_ENV] = tiled
        x_cpu = make_inputs(2, 20, hh, ww, kk, 'cpu', torch.float64, seed=3)
        with torch.no_grad():
            x_cpu['flow'].mul_(flow_scale)
        names = ['source', 'flow', 'attn']
        fn = gather_fn('ext', kk)
        ref = fn(x_cpu)
        gout = torch.randn_like(ref)
        ref_grads = torch.autograd.grad(ref, [x_cpu[n] for n in names], gout)
        x = {
            n: t.detach().to('cuda', torch.float32).requires_grad_()
            for n, t in x_cpu.items()
        }
        out = fn(x)
        grads = torch.autograd.grad(out, [x[n] for n in names],
                                    gout.to('cuda', torch.float32))
        worst = max([rel_err(out, ref)] +
                    [rel_err(g, r) for g, r in zip(grads, ref_grads)])
        passed = worst <= 1e-5
        ok &= passed
        lines.append(f'| gather k={kk}, C=20, {hh}x{ww}, flow x{flow_scale:g}'
                     f', tiled={tiled}: CUDA fp32 (out, 3 grads) vs CPU fp64 '
                     f'| {worst:.2e} | <= 1e-05 | '
                     f'{"ok" if passed else "FAIL"} |')
    os.environ[TILED_ENV] = '0'
    ok &= edge_case_checks(lines)
    ok &= nonfinite_checks(lines)
    gc = torch.autograd.gradcheck
    small = make_inputs(2, 3, 5, 6, 3, 'cuda', torch.float64, seed=2)
    small['flow'] = (small['flow'].detach().floor() + 0.5).requires_grad_()
    small5 = make_inputs(1, 18, 5, 6, 5, 'cuda', torch.float64, seed=4)
    small5['flow'] = (small5['flow'].detach().floor() +
                      0.5).requires_grad_()
    checks = {
        'local_attention_gather': lambda: gc(
            lambda s, f, a: ops.local_attention_gather(s, f, a, 3),
            [small['source'], small['flow'], small['attn']]),
        'local_attention_gather k=5, C=18': lambda: gc(
            lambda s, f, a: ops.local_attention_gather(s, f, a, 5),
            [small5['source'], small5['flow'], small5['attn']]),
        'block_extract': lambda: gc(
            lambda s, f: ops.block_extract(s, f, 3),
            [small['source'], small['flow']]),
        'gaussian_resample': lambda: gc(
            lambda s, f: ops.gaussian_resample(s, f),
            [small['source'], small['flow']]),
    }
    for name, check in checks.items():
        passed = bool(check())
        ok &= passed
        lines.append(f'| {name} CUDA gradcheck float64 | - | exact | '
                     f'{"ok" if passed else "FAIL"} |')
    return ok


def run_phase(results: List[Dict], phase: str, device: str,
              args: argparse.Namespace) -> None:
    """Fills ``row['ref']``/``row['ext']`` with times or peak memory."""
    for row in results:
        x = make_inputs(row['b'], row['c'], row['size'], row['size'],
                        row['k'], device, row['dtype'])
        os.environ[TILED_ENV] = row['tiled']
        for side, backend in (('ref', 'reference'), ('ext', 'ext')):
            fwd, fwd_bwd = fwd_and_fwd_bwd(row['make'](backend, row['k']), x,
                                           row['inputs'])
            res = row.setdefault(side, {})
            if phase == 'time':
                res['fwd_ms'] = time_ms(fwd, device, args.iters, args.warmup)
                res['fwd_bwd_ms'] = time_ms(fwd_bwd, device, args.iters,
                                            args.warmup)
            else:
                fwd_bwd()  # one-time allocations (thread pools) excluded
                res['peak_mib'] = peak_extra_mib(fwd_bwd, device)
        del x
        if device == 'cuda':
            torch.cuda.empty_cache()
    os.environ[TILED_ENV] = '0'


def cpu_memory_pass(results: List[Dict], argv: Optional[List[str]]) -> None:
    """Peak memory of every row, measured in a fresh child process (see
    :data:`CPU_MEMORY_ENV`) so that the timings keep glibc's defaults."""
    with tempfile.TemporaryDirectory() as tmp:
        out = osp.join(tmp, 'memory.json')
        argv = list(sys.argv[1:] if argv is None else argv)
        subprocess.run(
            [sys.executable, osp.abspath(__file__), *argv, '--memory-only',
             '--out', out],
            env={**os.environ, **CPU_MEMORY_ENV},
            check=True)
        with open(out) as f:
            peaks = json.load(f)
    for row, peak in zip(results, peaks):
        for side in ('ref', 'ext'):
            row[side]['peak_mib'] = peak[side]['peak_mib']


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--device', choices=['cuda', 'cpu'], default='cuda')
    parser.add_argument('--iters', type=int, default=50)
    parser.add_argument('--warmup', type=int, default=10)
    parser.add_argument('--out', help='write the results as JSON here')
    parser.add_argument(
        '--shape',
        action='append',
        metavar='B,C,SIZE,K',
        help='time this shape instead of the defaults (repeatable)')
    parser.add_argument(
        '--checks-only', action='store_true',
        help='the edge-case and non-finite checks alone, on tiny inputs '
        '(for compute-sanitizer); no timings')
    # Internal: the CPU memory pass, run in a child with CPU_MEMORY_ENV.
    parser.add_argument('--memory-only', action='store_true',
                        help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    device = args.device
    if device == 'cuda' and not torch.cuda.is_available():
        parser.error('--device cuda but no CUDA device is visible')
    lines = []
    ok = True
    if args.checks_only:
        if device != 'cuda':
            parser.error('--checks-only compares CUDA with the CPU')
        ok = edge_case_checks(lines) & nonfinite_checks(lines)
        print('\n'.join(lines))
        return 0 if ok else 1
    if device == 'cuda':
        name = torch.cuda.get_device_name()
        lines += [f'device: {name}, torch {torch.__version__}', '',
                  '| check | max rel. error | bound | result |',
                  '|---|---|---|---|']
        ok = agreement_checks(lines)
        lines.append('')
        cases = [(8, 256, 32, 3), (8, 128, 64, 5)]
        dtypes = [torch.float32, torch.bfloat16]
    else:
        lines += [f'device: CPU ({torch.get_num_threads()} threads), torch '
                  f'{torch.__version__}', '']
        cases = [(1, 128, 64, 5)]
        dtypes = [torch.float32]
    if args.shape:
        cases = [tuple(map(int, shape.split(','))) for shape in args.shape]
    rows = [('gather', gather_fn, GATHER_INPUTS, '0'),
            ('block', block_fn, BLOCK_INPUTS, '0')]
    if device == 'cuda':
        rows += [('gather, tiled scatter', gather_fn, GATHER_INPUTS, '1'),
                 ('block, tiled scatter', block_fn, BLOCK_INPUTS, '1')]
    results = [
        dict(what=what, b=b, c=c, size=size, k=k, dtype=dtype, make=make,
             inputs=inputs, tiled=tiled) for b, c, size, k in cases
        for dtype in dtypes for what, make, inputs, tiled in rows
    ]
    if args.memory_only:
        run_phase(results, 'memory', device, args)
        with open(args.out, 'w') as f:
            json.dump([{s: row[s] for s in ('ref', 'ext')} for row in results],
                      f)
        return 0
    run_phase(results, 'time', device, args)
    if device == 'cuda':
        run_phase(results, 'memory', device, args)
    elif osp.exists('/proc/self/clear_refs'):
        cpu_memory_pass(results, argv)
    lines += [
        '| what | B, C, size, k | dtype | ref fwd ms | ext fwd ms | '
        'ref fwd+bwd ms | ext fwd+bwd ms | speed-up fwd+bwd | '
        'ref peak MiB | ext peak MiB | memory ratio |', '|---' * 11 + '|'
    ]
    for row in results:
        for key in ('make', 'inputs', 'tiled'):
            del row[key]
        row['dtype'] = str(row['dtype'])[6:]
        ref, ext = row['ref'], row['ext']
        speed = ref['fwd_bwd_ms'] / ext['fwd_bwd_ms']
        mem = ('| {:.1f} | {:.1f} | 1/{:.1f} |'.format(
            ref['peak_mib'], ext['peak_mib'],
            ref['peak_mib'] / max(ext['peak_mib'], 1e-6))
               if 'peak_mib' in ext else '| - | - | - |')
        lines.append(
            f'| {row["what"]} | {row["b"]}, {row["c"]}, {row["size"]}², '
            f'{row["k"]} | {row["dtype"]} | {ref["fwd_ms"]:.3f} | '
            f'{ext["fwd_ms"]:.3f} | {ref["fwd_bwd_ms"]:.3f} | '
            f'{ext["fwd_bwd_ms"]:.3f} | {speed:.1f}x ' + mem)
    print('\n'.join(lines))
    if args.out:
        with open(args.out, 'w') as f:
            json.dump(dict(device=device, checks_ok=ok, results=results), f,
                      indent=1)
    return 0 if ok else 1


if __name__ == '__main__':
    sys.exit(main())
