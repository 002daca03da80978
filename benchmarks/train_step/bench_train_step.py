# Copyright (c) OpenMMLab. All rights reserved.
"""GFLA training throughput and inference latency, our ops vs the
official-style reference chain.

Training (``--mode train``): full GFLA iterations (G forward, D step, G
step with all losses) of the DeepFashion config at B=8, 256x256, in fp32 and
bf16 autocast, once with the compiled ops and once with the pure-PyTorch
reference chain (``GFLA_MM_OPS_BACKEND=reference``: patches materialised,
as the official CUDA ops do); iterations/s and peak CUDA memory.

Inference (``--mode infer``): generator forward for one 256x256 image,
median latency.

    python benchmarks/train_step/bench_train_step.py --mode infer --device cpu
    python benchmarks/train_step/bench_train_step.py --mode train --device cuda

Random VGG19 weights (no download). With mmagic installed it times
``GFLA.train_step`` itself (``--impl mmagic``); without (the lent GPU
machine: torch only) the same step written with plain torch
(``--impl torch``, ``torch_only.py``, checked against ``GFLA.train_step`` by
the tests).
"""
import argparse
import contextlib
import os
import os.path as osp
import statistics
import sys
import time

import torch

sys.path.insert(0, osp.dirname(osp.abspath(__file__)))
import torch_only  # noqa: E402

ENV_VAR = 'GFLA_MM_OPS_BACKEND'  # gfla_mm.ops.ENV_VAR


def build_model(device: str, backend: str):
    from mmengine.config import Config
    from mmengine.registry import DefaultScope

    import gfla_mm  # noqa: F401
    from gfla_mm.registry import MODELS
    cfg = Config.fromfile(
        os.path.join(
            os.path.dirname(__file__), '..', '..', 'configs', 'gfla',
            'gfla_1xb8-1000k_deepfashion-256x256.py'))
    cfg.model.vgg.pretrained = None
    cfg.model.flow_init = None
    os.environ[ENV_VAR] = backend
    with DefaultScope.overwrite_default_scope('mmagic'):
        torch.manual_seed(0)
        model = MODELS.build(cfg.model)
        model.init_weights()
        model = model.to(device)
    return model, cfg


def fake_batch(n: int, size: int, device: str) -> dict:
    from mmagic.structures import DataSample
    samples = []
    for _ in range(n):
        s = DataSample(target=torch.rand(3, size, size) * 255)
        s.set_metainfo(
            dict(source_channel_order='rgb', target_channel_order='rgb'))
        samples.append(s)
    return dict(
        inputs=dict(
            source=torch.rand(n, 3, size, size) * 255,
            source_heatmap=torch.rand(n, 18, size, size),
            target_heatmap=torch.rand(n, 18, size, size)),
        data_samples=samples)


def sync(device: str) -> None:
    if device == 'cuda':
        torch.cuda.synchronize()


def bench_train(device: str, backend: str, dtype: str, batch: int,
                iters: int, warmup: int, size: int = 256,
                impl: str = 'mmagic') -> dict:
    if impl == 'torch':
        os.environ[ENV_VAR] = backend
        parts = torch_only.build_deepfashion(device)
        optims = torch_only.optimizers(parts)
        gen = torch.Generator().manual_seed(0)
        tensors = [
            torch.rand(batch, c, size, size, generator=gen).to(device)
            for c in (3, 18, 18, 3)
        ]
        tensors[0], tensors[3] = tensors[0] * 2 - 1, tensors[3] * 2 - 1
        cast = torch.bfloat16 if dtype == 'bf16' else None

        def step():
            torch_only.train_step(parts, optims, *tensors, cast)
    else:
        from mmengine.optim import build_optim_wrapper
        from mmengine.registry import DefaultScope
        model, cfg = build_model(device, backend)
        optim_cfg = cfg.optim_wrapper
        if dtype == 'bf16':
            kind = ('AmpOptimWrapper'
                    if device == 'cuda' else 'CPUAmpOptimWrapper')
            for key in ('generator', 'discriminator'):
                optim_cfg[key].update(type=kind, dtype='bfloat16')
        with DefaultScope.overwrite_default_scope('mmagic'):
            optim = build_optim_wrapper(model, optim_cfg)
        data = fake_batch(batch, size, device)

        def step():
            model.train_step(data, optim)

    for _ in range(warmup):
        step()
    sync(device)
    if device == 'cuda':
        torch.cuda.reset_peak_memory_stats()
    times = []
    for _ in range(iters):
        start = time.perf_counter()
        step()
        sync(device)
        times.append(time.perf_counter() - start)
    peak = (torch.cuda.max_memory_allocated() / 2**30
            if device == 'cuda' else float('nan'))
    return dict(it_s=1 / statistics.median(times), peak_gib=peak)


def bench_infer(device: str, backend: str, iters: int, warmup: int,
                size: int = 256, impl: str = 'mmagic',
                dtype: str = 'fp32') -> float:
    if impl == 'torch':
        os.environ[ENV_VAR] = backend
        generator = torch_only.build_deepfashion(device)['generator']
        args = [
            torch.rand(1, c, size, size, device=device) for c in (3, 18, 18)
        ]

        def forward():
            generator(*args)
    else:
        model, _ = build_model(device, backend)
        data = model.data_preprocessor(fake_batch(1, size, device), False)
        generator = model

        def forward():
            model(**data, mode='tensor')

    generator.eval()
    times = []
    cast = (
        torch.autocast(device, dtype=torch.bfloat16)
        if dtype == 'bf16' else contextlib.nullcontext())
    with torch.no_grad(), cast:
        for i in range(warmup + iters):
            start = time.perf_counter()
            forward()
            sync(device)
            if i >= warmup:
                times.append(time.perf_counter() - start)
    return statistics.median(times)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--mode', choices=['train', 'infer'], default='train')
    parser.add_argument('--device', default='cuda')
    parser.add_argument('--batch', type=int, default=8)
    parser.add_argument('--iters', type=int, default=20)
    parser.add_argument('--warmup', type=int, default=3)
    parser.add_argument('--size', type=int, default=256, help='H = W')
    parser.add_argument(
        '--impl',
        choices=['auto', 'mmagic', 'torch'],
        default='auto',
        help='GFLA.train_step (mmagic) or its torch-only replica; auto: '
        'mmagic when installed')
    parser.add_argument(
        '--backends', nargs='+', default=['ext', 'reference'])
    args = parser.parse_args(argv)
    if args.impl == 'auto':
        try:
            import mmagic  # noqa: F401
            args.impl = 'mmagic'
        except ImportError:
            args.impl = 'torch'
    print(f'torch {torch.__version__}, threads {torch.get_num_threads()}, '
          f'device {args.device}, impl {args.impl}'
          + (f' ({torch.cuda.get_device_name()})'
             if args.device == 'cuda' else ''))
    if args.mode == 'infer':
        print(f'| dtype | backend | latency, 1 image {args.size}x'
              f'{args.size} (ms, median) |')
        print('|---|---|---|')
        for dtype in ('fp32', 'bf16'):
            for backend in args.backends:
                sec = bench_infer(args.device, backend, args.iters,
                                  args.warmup, args.size, args.impl, dtype)
                print(f'| {dtype} | {backend} | {sec * 1e3:.0f} |',
                      flush=True)
        return
    print(f'| dtype | backend | it/s (B={args.batch}, '
          f'{args.size}x{args.size}) | peak GiB |')
    print('|---|---|---|---|')
    results = {}
    for dtype in ('fp32', 'bf16'):
        for backend in args.backends:
            r = bench_train(args.device, backend, dtype, args.batch,
                            args.iters, args.warmup, args.size, args.impl)
            results[dtype, backend] = r
            print(f'| {dtype} | {backend} | {r["it_s"]:.2f} | '
                  f'{r["peak_gib"]:.2f} |', flush=True)
        if {'ext', 'reference'} <= set(args.backends):
            ratio = (results[dtype, 'ext']['it_s'] /
                     results[dtype, 'reference']['it_s'])
            print(f'| {dtype} | ext / reference | {ratio:.2f}x | |')


if __name__ == '__main__':
    main()
