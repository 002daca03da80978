# Copyright (c) OpenMMLab. All rights reserved.
"""What the Motion Extraction Network does to a held-out synthetic track:
joint coordinates over time, noisy detections vs denoised vs exact.

    python tools/analysis_tools/men_track_figure.py \\
        configs/motion_extractor/motion-extractor_synthetic.py \\
        work_dirs/motion-extractor_synthetic/iter_2000.pth \\
        --out docs/images/motion_extractor_synthetic.png

Uses the first track of the config's test set; prints the MPJPE (pixels)
of the noisy detections (mapped to Human3.6M-17, filled) and of the
network's output over the whole track.
"""
import argparse

import matplotlib

matplotlib.use('Agg')
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import torch  # noqa: E402
from mmengine.config import Config  # noqa: E402
from mmengine.registry import DefaultScope  # noqa: E402

from gfla_mm.apis import init_motion_extractor  # noqa: E402
from gfla_mm.datasets import H36M17_NAMES, coco17_to_h36m17  # noqa: E402
from gfla_mm.models.editors.motion_extractor import denoise_joints  # noqa
from gfla_mm.registry import DATASETS  # noqa: E402
from gfla_mm.utils import unnormalize_screen_coordinates  # noqa: E402

JOINTS = ('left_wrist', 'right_knee', 'left_ankle', 'head')


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('config')
    parser.add_argument('checkpoint')
    parser.add_argument('--out', required=True, help='PNG file')
    parser.add_argument('--frames', type=int, default=120,
                        help='frames plotted (from the start)')
    args = parser.parse_args(argv)
    cfg = Config.fromfile(args.config)
    ds_cfg = cfg.test_dataloader.dataset.copy()
    if 'num_sequences' in ds_cfg:
        ds_cfg.num_sequences = 1
    with DefaultScope.overwrite_default_scope('mmagic'):
        seq = DATASETS.build(ds_cfg).sequences[0]
    model = init_motion_extractor(args.config, args.checkpoint)
    width = seq['frame_width']
    clean = denoise_joints(model.generator, torch.as_tensor(seq['noisy']))
    px = {
        'detected (COCO-17 -> H36M-17)':
        unnormalize_screen_coordinates(coco17_to_h36m17(seq['noisy']),
                                       width),
        'Motion Extraction Network':
        unnormalize_screen_coordinates(clean.numpy(), width),
        'exact': unnormalize_screen_coordinates(seq['clean'], width),
    }
    for name, joints in px.items():
        err = np.linalg.norm(joints - px['exact'], axis=-1).mean()
        print(f'{seq["name"]}: {name}: MPJPE {err:.2f} px '
              f'({len(joints)} frames)')
    fig, axes = plt.subplots(2, len(JOINTS), figsize=(4 * len(JOINTS), 5),
                             sharex=True)
    frames = np.arange(min(args.frames, len(px['exact'])))
    styles = dict(zip(px, ('C1.', 'C0-', 'k--')))
    for col, joint in enumerate(JOINTS):
        j = H36M17_NAMES.index(joint)
        for row, axis in enumerate('xy'):
            ax = axes[row, col]
            for name, joints in px.items():
                ax.plot(frames, joints[frames, j, row], styles[name],
                        ms=3, lw=1.2, label=name)
            ax.set_title(f'{joint} {axis}', fontsize=9)
            ax.tick_params(labelsize=7)
    axes[1, 0].set_xlabel('frame')
    axes[0, 0].set_ylabel('pixels')
    axes[0, 0].legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(args.out, dpi=90)
    print(f'wrote {args.out}')


if __name__ == '__main__':
    main()
