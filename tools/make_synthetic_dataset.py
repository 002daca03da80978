# Copyright (c) OpenMMLab. All rights reserved.
"""Write the synthetic mannequin dataset in the DeepFashion file format.

    python tools/make_synthetic_dataset.py --out data/synthetic
    python tools/make_synthetic_dataset.py --out data/synth-market \
        --size 128 64 --train-ids 40 --test-ids 10
    python tools/make_synthetic_dataset.py --out data/synthetic --clips 48 4

Train with ``PosePairDataset(data_root=OUT, keypoint_frame=SIZE)``; the
clips are in the official FashionVideo layout (``OUT/{split}_256/``) that
``PoseVideoDataset(data_root=OUT)`` reads.
"""
import argparse

from tqdm import tqdm

from gfla_mm.datasets import make_synthetic_clips, make_synthetic_dataset


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description='Render textured mannequins in several poses each and '
        'write images + fasion-pairs/annotation CSVs for train and test.')
    parser.add_argument('--out', required=True, help='output folder')
    parser.add_argument(
        '--size', type=int, nargs=2, default=(128, 128), metavar=('H', 'W'),
        help='image size (default: 128 128)')
    parser.add_argument('--train-ids', type=int, default=96,
                        help='identities in train (default: 96)')
    parser.add_argument('--test-ids', type=int, default=8,
                        help='identities in test, disjoint (default: 8)')
    parser.add_argument('--poses', type=int, default=3,
                        help='poses per identity (default: 3)')
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument(
        '--clips',
        type=int,
        nargs=2,
        default=(0, 0),
        metavar=('TRAIN', 'TEST'),
        help='also render this many animation clips (default: none)')
    parser.add_argument('--frames', type=int, default=24,
                        help='frames per clip (default: 24)')
    return parser.parse_args(argv)


def main(argv=None) -> None:
    args = parse_args(argv)
    stats = make_synthetic_dataset(
        args.out, (args.train_ids, args.test_ids), args.poses,
        tuple(args.size), args.seed,
        progress=lambda ids: tqdm(ids, desc='identities', unit='id'))
    for split, s in stats.items():
        print(f'{split}: {s["images"]} images, {s["pairs"]} pairs')
    if any(args.clips):
        clips = make_synthetic_clips(
            args.out, tuple(args.clips), args.frames, tuple(args.size),
            args.seed + 1,
            progress=lambda ids: tqdm(ids, desc='clips', unit='clip'))
        for split, s in clips.items():
            print(f'{split}: {s["clips"]} clips, {s["frames"]} frames')
    print(f'keypoint_frame={tuple(args.size)}; data_root={args.out}')


if __name__ == '__main__':
    main()
