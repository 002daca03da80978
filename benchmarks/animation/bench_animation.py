# Copyright (c) OpenMMLab. All rights reserved.
"""GFLA animation model speed: sequential inference frames/s and one
training chunk (G + D + D_V steps), median over runs, with peak memory.

    python benchmarks/animation/bench_animation.py --mode infer --threads 2
    python benchmarks/animation/bench_animation.py --mode train --threads 2

``--mode infer`` generates ``--frames`` frames of one video (batch 1) with
the official ``GFLAAnimationGenerator`` (23.5M parameters, random weights:
the speed does not depend on them), ``--chunk`` frames per generator call,
the last frame of each chunk seeding the next, under ``no_grad``: what
``GFLAAnimation.animate`` does (:func:`animate` is that loop, checked
against it by ``tests/test_benchmarks/test_bench_animation.py``). It needs
torch and gfla_mm only: without mmagic (the lent GPU machine) the networks
are imported with ``benchmarks/train_step/torch_only.py``'s stand-ins.

``--mode train`` times ``GFLAAnimation.train_step`` itself on one clip of
``--chunk`` frames (= one chunk: one D, one D_V and one G step with every
loss of the FashionVideo config, random VGG19), which needs mmagic.

Memory: peak resident set size of the process (``ru_maxrss``, includes the
Python stack and the networks) and its value before the timed runs; on CUDA
``torch.cuda.max_memory_allocated`` over the timed runs.
"""
import argparse
import os.path as osp
import resource
import statistics
import sys
import time
import types
from typing import Callable, List, Optional, Tuple

import torch

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
CONFIG = osp.join(ROOT, 'configs', 'gfla_animation',
                  'gfla-animation_1xb2-fashionvideo-256x256.py')
# --tiny: narrow networks for the smoke test (not a benchmark).
TINY = dict(
    generator=dict(
        base_channels=8,
        max_channels=16,
        flow_cfg=dict(base_channels=4, max_channels=8)),
    discriminator=dict(base_channels=8, max_channels=16),
    temporal_discriminator=dict(base_channels=4, max_channels=8))


def has_mmagic() -> bool:
    try:
        import mmagic  # noqa: F401
    except ImportError:
        return False
    return True


def quiet_init_logs() -> None:
    """mmengine's ``init_weights`` logs every parameter at INFO."""
    try:
        import logging

        from mmengine.logging import MMLogger
    except ImportError:
        return
    MMLogger.get_current_instance().setLevel(logging.WARNING)


def import_generator() -> type:
    """``GFLAAnimationGenerator``, with or without mmagic installed."""
    if not has_mmagic():
        sys.path.insert(0, osp.join(ROOT, 'benchmarks', 'train_step'))
        import torch_only
        torch_only.import_networks()  # stand-ins for registry, BaseModule
        name = 'gfla_mm.models.editors.gfla_animation'
        if sys.modules.get(name) is None:  # skip its mmagic-bound __init__
            package = types.ModuleType(name)
            package.__path__ = [
                osp.join(ROOT, 'gfla_mm', 'models', 'editors',
                         'gfla_animation')
            ]
            sys.modules[name] = package
    from gfla_mm.models.editors.gfla_animation.animation_generator import (
        GFLAAnimationGenerator,
    )
    return GFLAAnimationGenerator


@torch.no_grad()
def animate(generator: torch.nn.Module, ref: torch.Tensor,
            ref_structure: torch.Tensor, structures: torch.Tensor,
            chunk: int) -> torch.Tensor:
    """``GFLAAnimation.animate``: (B, T, 3, H, W) frames, ``chunk`` at a
    time, the last generated frame seeding the next chunk."""
    frames, previous, previous_structure = [], None, None
    for start in range(0, structures.shape[1], chunk):
        step = structures[:, start:start + chunk]
        out = generator(step, ref, ref_structure, previous,
                        previous_structure)
        frames.append(out.images)
        previous, previous_structure = out.images[:, -1], step[:, -1]
    return torch.cat(frames, 1)


def clip_inputs(frames: int, size: int, device: str, seed: int = 0):
    """A reference in [-1, 1], its structure and ``frames`` structures
    (17 heatmaps in [0, 1] + 3 bone channels in 0..255), batch 1."""
    g = torch.Generator().manual_seed(seed)

    def structure(*shape):
        s = torch.rand(*shape, 20, size, size, generator=g)
        s[..., 17:, :, :] *= 255
        return s.to(device)

    ref = (torch.rand(1, 3, size, size, generator=g) * 2 - 1).to(device)
    return ref, structure(1), structure(1, frames)


def sync(device: str) -> None:
    if device.startswith('cuda'):
        torch.cuda.synchronize()


def rss_mib() -> float:
    """Current resident set size (MiB)."""
    with open('/proc/self/status') as f:
        for line in f:
            if line.startswith('VmRSS:'):
                return int(line.split()[1]) / 1024
    return float('nan')


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed(run: Callable[[], None], iters: int, warmup: int,
          device: str) -> Tuple[List[float], List[float]]:
    """Wall and process CPU seconds (all threads) of each timed run: on a
    shared machine the CPU time shows how much of the wall time was ours."""
    times, cpu = [], []
    for i in range(warmup + iters):
        sync(device)
        start, start_cpu = time.perf_counter(), time.process_time()
        run()
        sync(device)
        if i >= warmup:
            times.append(time.perf_counter() - start)
            cpu.append(time.process_time() - start_cpu)
    return times, cpu


def report(mode: str, args, times: List[float], cpu: List[float],
           work: float, unit: str) -> None:
    """The result row: ``work`` frames (infer) or chunks (train) per run."""
    med = statistics.median(times)
    frames = args.frames if mode == 'infer' else args.chunk
    print(f'| mode | size | frames | chunk | median s | {unit} | '
          'median CPU s |')
    print('|---|---|---|---|---|---|---|')
    print(f'| {mode} | {args.size} | {frames} | {args.chunk} | {med:.3f} | '
          f'{work / med:.3f} | {statistics.median(cpu):.3f} |')
    print('runs (s): ' + ', '.join(f'{t:.3f}' for t in times))


def memory_line(device: str, rss_before: float) -> str:
    if device.startswith('cuda'):
        peak = torch.cuda.max_memory_allocated() / 2**20
        return f'peak CUDA memory allocated: {peak:.0f} MiB'
    return (f'RSS before the timed runs: {rss_before:.0f} MiB, peak RSS: '
            f'{peak_rss_mib():.0f} MiB')


def bench_infer(args) -> None:
    generator_cls = import_generator()
    torch.manual_seed(0)
    kwargs = TINY['generator'] if args.tiny else {}
    generator = generator_cls(**kwargs)
    generator.init_weights()
    generator = generator.to(args.device).eval()
    ref, ref_structure, structures = clip_inputs(args.frames, args.size,
                                                 args.device)
    params = sum(p.numel() for p in generator.parameters())
    print(f'inference: GFLAAnimationGenerator ({params:,} parameters), '
          f'{args.frames} frames of {args.size}x{args.size}, chunks of '
          f'{args.chunk}, batch 1, no_grad')
    out = []

    def run():
        out[:] = [animate(generator, ref, ref_structure, structures,
                          args.chunk)]

    run()  # the first call allocates; not a warm-up of the timing
    if args.device.startswith('cuda'):
        torch.cuda.reset_peak_memory_stats()
    rss_before = rss_mib()
    times, cpu = timed(run, args.iters, args.warmup, args.device)
    assert out[0].shape == (1, args.frames, 3, args.size, args.size)
    assert torch.isfinite(out[0]).all()
    report('infer', args, times, cpu, args.frames, 'frames/s')
    print(memory_line(args.device, rss_before))


def build_model(device: str, tiny: bool):
    """The FashionVideo ``GFLAAnimation`` (random VGG19) and its optimiser
    wrappers."""
    from mmengine.config import Config
    from mmengine.optim import build_optim_wrapper
    from mmengine.registry import DefaultScope

    from gfla_mm.registry import MODELS
    cfg = Config.fromfile(CONFIG)
    cfg.model.vgg.pretrained = None
    if tiny:
        cfg.merge_from_dict(dict(model=TINY))
    with DefaultScope.overwrite_default_scope('mmagic'):
        torch.manual_seed(0)
        model = MODELS.build(cfg.model)
        model.init_weights()
        model = model.to(device)
        optim = build_optim_wrapper(model, cfg.optim_wrapper)
    return model, optim


def clip_batch(frames: int, size: int, seed: int = 0) -> dict:
    """One packed clip as ``PackClipInputs`` gives it (0..255 images)."""
    from mmagic.structures import DataSample
    g = torch.Generator().manual_seed(seed)
    ref, ref_structure, structures = clip_inputs(frames, size, 'cpu', seed)
    sample = DataSample(
        gt_img=torch.rand(frames, 3, size, size, generator=g) * 255)
    sample.set_metainfo(
        dict(ref_img_channel_order='rgb', gt_channel_order='rgb'))
    return dict(
        inputs=[
            dict(
                ref_img=(ref[0] + 1) * 127.5,
                ref_skeleton=ref_structure[0],
                skeletons=structures[0])
        ],
        data_samples=[sample])


def bench_train(args) -> None:
    if not has_mmagic():
        raise SystemExit(
            '--mode train times GFLAAnimation.train_step and needs mmagic '
            '(pip install the gfla_mm stack); --mode infer runs with torch '
            'alone')
    model, optim = build_model(args.device, args.tiny)
    data = clip_batch(args.chunk, args.size)
    counts = {
        k: sum(p.numel() for p in getattr(model, k).parameters())
        for k in ('generator', 'discriminator', 'temporal_discriminator')
    }
    print(f'training: GFLAAnimation.train_step (FashionVideo config, random '
          f'VGG19), one clip of {args.chunk} frames = one chunk, '
          f'{args.size}x{args.size}, batch 1; parameters {counts}')
    logs = {}

    def run():
        logs.update(model.train_step(data, optim))

    run()
    if args.device.startswith('cuda'):
        torch.cuda.reset_peak_memory_stats()
    rss_before = rss_mib()
    times, cpu = timed(run, args.iters, args.warmup, args.device)
    assert logs and all(torch.isfinite(v) for v in logs.values()), logs
    report('train', args, times, cpu, 1, 'chunks/s')
    print(memory_line(args.device, rss_before))


def main(argv: Optional[List[str]] = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--mode', choices=['infer', 'train'], default='infer')
    parser.add_argument('--device', default='cpu')
    parser.add_argument('--size', type=int, default=256, help='H = W')
    parser.add_argument('--frames', type=int, default=12,
                        help='frames generated per inference run')
    parser.add_argument('--chunk', type=int, default=6,
                        help='frames per generator call / training chunk')
    parser.add_argument('--iters', type=int, default=3)
    parser.add_argument('--warmup', type=int, default=0,
                        help='untimed runs after the first (which is never '
                        'timed)')
    parser.add_argument('--threads', type=int, default=0,
                        help='torch intra-op threads (0: torch default)')
    parser.add_argument('--tiny', action='store_true',
                        help='narrow networks (smoke test only)')
    args = parser.parse_args(argv)
    if args.threads:
        torch.set_num_threads(args.threads)
    quiet_init_logs()
    load = open('/proc/loadavg').read().split()[:3]
    print(f'torch {torch.__version__}, {torch.get_num_threads()} threads, '
          f'device {args.device}, load average {" ".join(load)}'
          f'{", TINY networks" if args.tiny else ""}')
    (bench_infer if args.mode == 'infer' else bench_train)(args)
    load = open('/proc/loadavg').read().split()[:3]
    print(f'load average after: {" ".join(load)}')


if __name__ == '__main__':
    main()
