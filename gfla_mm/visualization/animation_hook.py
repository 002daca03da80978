# Copyright (c) OpenMMLab. All rights reserved.
"""Pictures of validated animation videos: a strip of frames and an mp4."""
import os
import os.path as osp
from typing import Optional, Sequence

import numpy as np
import torch
from mmengine.hooks import Hook

from gfla_mm.registry import HOOKS
from gfla_mm.utils import pose_to_color, write_h264

# Structure channels 17-19: the RGB bone image (0..255), what we draw.
BONE_CHANNELS = slice(17, 20)
# Driving inputs of the animation models: GFLAAnimation's 20-channel
# structures, GFLANaiveAnimation's 18 OpenPose maps.
DRIVING_KEYS = ('skeletons', 'pose_maps')


def bgr_frames(images: torch.Tensor) -> np.ndarray:
    """(T, 3, H, W) BGR floats in [0, 255] -> (T, H, W, 3) uint8 BGR."""
    return images.detach().clamp(0, 255).round().byte().permute(
        0, 2, 3, 1).cpu().numpy()


def skeleton_frames(structures: torch.Tensor) -> np.ndarray:
    """(T, 20, H, W) structures -> (T, H, W, 3) uint8 BGR bone images;
    (T, K, H, W) pose maps (K != 20) -> their colour coding."""
    if structures.shape[1] == 20:
        rgb = structures[:, BONE_CHANNELS]
    else:
        rgb = pose_to_color(structures)
    return bgr_frames(rgb.flip(1))  # RGB -> BGR


@HOOKS.register_module()
class AnimationVisualizationHook(Hook):
    """Writes, for the first ``max_videos`` videos of every validation
    (and test) run:

    - ``<name>_iter<N>.png``: a strip of ``num_frames`` evenly spaced
      frames, one row each of reference | driving skeleton | generated |
      ground truth (BGR, as cv2 writes);
    - ``<name>_iter<N>.mp4``: the whole video, H.264, driving skeleton |
      generated | ground truth side by side,

    in ``<log_dir>/vis_data/animation/`` (``<name>`` = the video's name).
    It reads ``output.pred_img`` (T, 3, H, W), ``gt_img`` and ``ref_img``
    of :class:`~gfla_mm.models.GFLAAnimation`'s predictions and the
    batch's ``skeletons`` (or ``pose_maps``) input.

    Args:
        interval (int): Every ``interval``-th validation run. Defaults to 1.
        max_videos (int): Videos per run. Defaults to 4.
        num_frames (int): Frames in a strip. Defaults to 8.
        fps (float): Frame rate of the mp4 (official test videos: 15).
        test (bool): Also during ``tools/test.py``. Defaults to True.
    """

    priority = 'LOW'

    def __init__(self,
                 interval: int = 1,
                 max_videos: int = 4,
                 num_frames: int = 8,
                 fps: float = 15.0,
                 test: bool = True) -> None:
        for name, value in (('interval', interval), ('max_videos',
                                                     max_videos),
                            ('num_frames', num_frames)):
            if value < 1:
                raise ValueError(f'{name} must be >= 1, got {value}')
        self.interval = interval
        self.max_videos = max_videos
        self.num_frames = num_frames
        self.fps = fps
        self.test = test
        self._runs = 0
        self._written = 0

    def before_val(self, runner) -> None:
        self._runs += 1
        self._written = 0

    def before_test(self, runner) -> None:
        self._written = 0

    def after_val_iter(self, runner, batch_idx: int, data_batch: dict,
                       outputs: Sequence) -> None:
        if (self._runs - 1) % self.interval == 0:
            self._draw(runner, data_batch, outputs)

    def after_test_iter(self, runner, batch_idx: int, data_batch: dict,
                        outputs: Sequence) -> None:
        if self.test:
            self._draw(runner, data_batch, outputs)

    def _draw(self, runner, data_batch: dict, outputs: Sequence) -> None:
        inputs = data_batch['inputs']
        key = next((k for k in DRIVING_KEYS if k in inputs), None)
        if key is None:
            raise KeyError(f'AnimationVisualizationHook: the batch has none '
                           f'of the driving inputs {DRIVING_KEYS}; it has '
                           f'{sorted(inputs)}')
        skeletons = inputs[key]
        for i, sample in enumerate(outputs):
            if self._written >= self.max_videos:
                return
            self._written += 1
            name = sample.metainfo.get('video', f'video{self._written}')
            self.write(
                osp.join(runner.log_dir, 'vis_data', 'animation',
                         f'{osp.basename(str(name))}_iter{runner.iter}'),
                sample, skeletons[i])

    def write(self, stem: str, sample, structures: torch.Tensor) -> None:
        """Writes ``stem.png`` and ``stem.mp4`` for one predicted video.

        Args:
            stem (str): Output path without extension.
            sample (DataSample): One prediction (``output.pred_img``,
                optional ``gt_img``, ``ref_img``).
            structures (Tensor): (T', 20, H, W) its driving structures
                (T' >= T: padding frames are cut).
        """
        import cv2
        fake = bgr_frames(sample.output.pred_img)
        num = fake.shape[0]
        columns = [skeleton_frames(structures[:num]), fake]
        if 'gt_img' in sample:
            columns.append(bgr_frames(sample.gt_img)[:num])
        os.makedirs(osp.dirname(stem), exist_ok=True)
        write_h264([np.concatenate(f, 1) for f in zip(*columns)],
                   stem + '.mp4', self.fps, channel_order='bgr')
        picks = np.unique(
            np.linspace(0, num - 1, min(self.num_frames, num)).round()
        ).astype(int)
        ref: Optional[np.ndarray] = None
        if 'ref_img' in sample:
            ref = bgr_frames(sample.ref_img[None])[0]
        rows = []
        for t in picks:
            row = [c[t] for c in columns]
            if ref is not None:
                row.insert(0, ref)
            rows.append(np.concatenate(row, 1))
        if not cv2.imwrite(stem + '.png', np.concatenate(rows, 0)):
            raise OSError(f'cannot write {stem}.png')


__all__ = ['AnimationVisualizationHook', 'bgr_frames', 'skeleton_frames']
