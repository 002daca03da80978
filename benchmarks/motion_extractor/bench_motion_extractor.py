# Copyright (c) OpenMMLab. All rights reserved.
"""Motion Extraction Network inference speed: frames/s for denoising a
whole track (the official 256-channel network, random weights), for a few
window sizes, median over runs.

    python benchmarks/motion_extractor/bench_motion_extractor.py --frames 1000
"""
import argparse
import statistics
import time

import torch


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--frames', type=int, default=1000,
                        help='track length')
    parser.add_argument('--chunks', type=int, nargs='+', default=[24, 96, 0],
                        help='output frames per window (0: whole track)')
    parser.add_argument('--batch-size', type=int, default=64)
    parser.add_argument('--iters', type=int, default=10)
    parser.add_argument('--warmup', type=int, default=2)
    parser.add_argument('--device', default='cpu')
    parser.add_argument('--channels', type=int, default=256)
    parser.add_argument('--threads', type=int, default=0,
                        help='torch intra-op threads (0: torch default)')
    return parser.parse_args(argv)


def main(argv=None) -> None:
    args = parse_args(argv)
    from gfla_mm.models.editors.motion_extractor import (
        MotionExtractionNet,
        denoise_joints,
    )
    if args.threads:
        torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    net = MotionExtractionNet(channels=args.channels).to(args.device).eval()
    track = torch.rand(args.frames, 17, 2, device=args.device) * 2 - 1
    print(f'torch {torch.__version__}, {torch.get_num_threads()} threads, '
          f'device {args.device}, track of {args.frames} frames, '
          f'{sum(p.numel() for p in net.parameters()):,} parameters')
    print('| chunk | batch | median ms | frames/s |')
    print('|---|---|---|---|')
    for chunk in args.chunks:
        times = []
        for i in range(args.warmup + args.iters):
            if args.device.startswith('cuda'):
                torch.cuda.synchronize()
            start = time.perf_counter()
            out = denoise_joints(net, track, chunk or None, args.batch_size)
            if args.device.startswith('cuda'):
                torch.cuda.synchronize()
            if i >= args.warmup:
                times.append(time.perf_counter() - start)
        assert out.shape == track.shape
        ms = statistics.median(times) * 1000
        print(f'| {chunk or "whole"} | {args.batch_size} | {ms:.1f} | '
              f'{args.frames / ms * 1000:.0f} |')


if __name__ == '__main__':
    main()
