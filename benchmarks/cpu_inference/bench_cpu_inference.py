# Copyright (c) OpenMMLab. All rights reserved.
"""CPU inference latency of the DeepFashion GFLA generator, side by side:
the official architecture, gfla_mm as trained, and gfla_mm's inference
form (:func:`gfla_mm.models.editors.gfla.optimize_for_inference`).

All variants are built from one generator (the DeepFashion 256x256 config,
random weights, official init) and timed in one process, interleaved: each
round runs every variant once, in an order rotated from round to round, so
that a change of the machine's load hits all of them alike. Printed: the
median, min and max latency of one forward at batch 1, the ratio of the
official architecture's median to each variant's, and each variant's max
|image difference| to gfla_mm's fp32 image.

Variants (``--variants``):

* ``official``: the official architecture, its three ops emulated by stock
  torch ops: every LocalAttention runs the official ExtractorAttn chain
  (:func:`gfla_mm.ops.local_attention_block_ref`: BlockExtractor on the
  source and on the target as ``grid_sample``, the kernel-prediction net on
  their concatenation, pixel-shuffle, multiply, average pool);
* ``gfla_mm``: the generator as trained (compiled ops);
* ``fast``: ``optimize_for_inference(generator)``, the inferencer's
  default on the CPU;
* ``fast_cl``: the same with ``channels_last=True``;
* ``compiled``: ``torch.compile`` (inductor, freezing) of ``fast``; its
  compile time is printed (not part of the default list: minutes here).

``--bf16`` adds each variant under ``torch.autocast('cpu', bfloat16)``.

    python benchmarks/cpu_inference/bench_cpu_inference.py --threads 2
"""
import argparse
import contextlib
import copy
import os
import os.path as osp
import statistics
import time
from typing import Callable, Dict, List

import torch

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
CONFIG = osp.join(REPO, 'configs', 'gfla',
                  'gfla_1xb8-1000k_deepfashion-256x256.py')
VARIANTS = ('official', 'gfla_mm', 'fast', 'fast_cl', 'compiled')


def build_generator(config: str, seed: int,
                    init: str = 'official') -> torch.nn.Module:
    """The config's generator in eval mode, with the official init
    (orthogonal, gain 0.02: near-flat images) or PyTorch's default one
    (images that vary, for the accuracy column)."""
    from mmengine.config import Config
    from mmengine.registry import DefaultScope

    import gfla_mm  # noqa: F401
    from gfla_mm.models.editors.gfla.gfla_modules import init_orthogonal
    from gfla_mm.registry import MODELS
    cfg = Config.fromfile(config)
    with DefaultScope.overwrite_default_scope('mmagic'):
        torch.manual_seed(seed)
        generator = MODELS.build(cfg.model.generator)
    if init == 'official':
        init_orthogonal(generator, getattr(generator, 'init_gain', 0.02))
    return generator.eval()


def official_architecture(generator: torch.nn.Module) -> torch.nn.Module:
    """A copy whose local attentions run the official op chain."""
    from gfla_mm.models.layers import LocalAttention
    from gfla_mm.ops import local_attention_block_ref

    class OfficialChainAttention(LocalAttention):

        def forward(self, source, target, flow):
            out = local_attention_block_ref(source, target, flow,
                                            self.fully_connect_layer,
                                            self.kernel_size)
            # The official average pool; 'sum' (the demo config) undoes it.
            if self.tap_reduction == 'sum':
                out = out * self.kernel_size**2
            return out

    official = copy.deepcopy(generator)
    for module in official.modules():
        if type(module) is LocalAttention:
            module.__class__ = OfficialChainAttention
    return official


def make_variants(generator: torch.nn.Module, names: List[str],
                  inputs: tuple) -> Dict[str, Callable]:
    from gfla_mm.models.editors.gfla import optimize_for_inference
    built = {}
    for name in names:
        if name == 'official':
            built[name] = official_architecture(generator)
        elif name == 'gfla_mm':
            built[name] = generator
        elif name == 'fast':
            built[name] = optimize_for_inference(copy.deepcopy(generator))
        elif name == 'fast_cl':
            built[name] = optimize_for_inference(
                copy.deepcopy(generator), channels_last=True)
        elif name == 'compiled':
            import torch._inductor.config as inductor_config
            inductor_config.freezing = True
            fast = optimize_for_inference(copy.deepcopy(generator))
            compiled = torch.compile(fast)
            start = time.perf_counter()
            with torch.no_grad():
                compiled(*inputs)
            print(f'compiled: torch.compile (inductor, freezing) took '
                  f'{time.perf_counter() - start:.1f} s for the first call',
                  flush=True)
            built[name] = compiled
        else:
            raise ValueError(f'unknown variant {name!r}; one of {VARIANTS}')
    return built


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--config', default=CONFIG)
    parser.add_argument('--size', type=int, nargs=2, default=(256, 256),
                        metavar=('H', 'W'))
    parser.add_argument('--threads', type=int, default=None,
                        help="torch's intra-op threads (default: torch's)")
    parser.add_argument('--iters', type=int, default=10,
                        help='timed rounds (every variant once a round)')
    parser.add_argument('--warmup', type=int, default=2)
    parser.add_argument('--variants', nargs='+',
                        default=['official', 'gfla_mm', 'fast', 'fast_cl'],
                        choices=VARIANTS)
    parser.add_argument('--bf16', action='store_true',
                        help='also every variant under bf16 autocast')
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument(
        '--init', choices=['official', 'default'], default='official',
        help="weights: the official init or PyTorch's default (whose "
        'images vary more, for the max abs diff column)')
    args = parser.parse_args(argv)
    if args.threads:
        torch.set_num_threads(args.threads)
    h, w = args.size
    generator = build_generator(args.config, args.seed, args.init)
    gen = torch.Generator().manual_seed(args.seed)
    inputs = (torch.rand(1, 3, h, w, generator=gen) * 2 - 1,
              torch.rand(1, 18, h, w, generator=gen),
              torch.rand(1, 18, h, w, generator=gen))
    with torch.no_grad():
        reference = generator(*inputs)[0]
    load = os.getloadavg()
    print(f'torch {torch.__version__}, {torch.get_num_threads()} thread(s), '
          f'{os.cpu_count()} CPU(s), {osp.basename(args.config)} at {h}x{w},'
          f' batch 1, {args.init} init (image std {reference.std():.3f}); '
          f'load average at start {load[0]:.2f}', flush=True)
    models = make_variants(generator, args.variants, inputs)
    runs = [(name, 'fp32') for name in models]
    if args.bf16:
        runs += [(name, 'bf16') for name in models]

    def call(name, dtype):
        cast = (torch.autocast('cpu', dtype=torch.bfloat16)
                if dtype == 'bf16' else contextlib.nullcontext())
        with torch.no_grad(), cast:
            return models[name](*inputs)[0]

    diffs = {
        run: (call(*run).float() - reference).abs().max().item()
        for run in runs
    }
    for _ in range(args.warmup):
        for run in runs:
            call(*run)
    times = {run: [] for run in runs}
    cpu_times = {run: [] for run in runs}
    for i in range(args.iters):
        shift = i % len(runs)
        for run in runs[shift:] + runs[:shift]:
            cpu, start = time.process_time(), time.perf_counter()
            call(*run)
            times[run].append(time.perf_counter() - start)
            cpu_times[run].append(time.process_time() - cpu)
    load_end = os.getloadavg()
    median = {run: statistics.median(t) * 1e3 for run, t in times.items()}
    cpu_median = {
        run: statistics.median(t) * 1e3
        for run, t in cpu_times.items()
    }
    base = median.get(('official', 'fp32'))
    cpu_base = cpu_median.get(('official', 'fp32'))
    print('| variant | dtype | median ms | min ms | max ms | official fp32 '
          '/ this | CPU ms (median) | official / this, CPU time | '
          'max abs diff to gfla_mm fp32 |')
    print('| --- | --- | --- | --- | --- | --- | --- | --- | --- |')
    for run in runs:
        ratio = f'{base / median[run]:.2f}x' if base else 'n/a'
        cpu_ratio = (f'{cpu_base / cpu_median[run]:.2f}x'
                     if cpu_base else 'n/a')
        print(f'| {run[0]} | {run[1]} | {median[run]:.1f} | '
              f'{min(times[run]) * 1e3:.1f} | {max(times[run]) * 1e3:.1f} | '
              f'{ratio} | {cpu_median[run]:.1f} | {cpu_ratio} | '
              f'{diffs[run]:.2e} |')
    print(f'{args.iters} interleaved rounds after {args.warmup} warm-up; '
          f'load average at end {load_end[0]:.2f} '
          f'(1-minute; {os.cpu_count()} CPUs)')


if __name__ == '__main__':
    main()
