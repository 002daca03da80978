# Copyright (c) OpenMMLab. All rights reserved.
"""Naive-Animation (paper Table IV): the image GFLA applied frame by frame,
each frame from the reference alone, no temporal model."""
from typing import List, Optional

import torch
from mmagic.models.base_models import BaseEditModel
from mmagic.structures import DataSample

from gfla_mm.registry import MODELS

from .gfla_animation import pack_videos

INPUT_KEYS = ('ref_img', 'ref_pose_map', 'pose_maps')


@MODELS.register_module()
class GFLANaiveAnimation(BaseEditModel):
    """Test-only: a pose-transfer :class:`~gfla_mm.models.GFLAGenerator`
    generates every frame of a video from the reference image, the
    reference's and the frame's 18-channel OpenPose maps
    (:class:`~gfla_mm.datasets.transforms.RenderClipPoseMaps`). An image
    GFLA checkpoint (``generator.*`` keys) loads as it is.

    Inputs (``PackClipInputs(input_keys=('ref_img', 'ref_pose_map',
    'pose_maps'))``): ``ref_img`` (B, 3, H, W), ``ref_pose_map``
    (B, 18, H, W), ``pose_maps`` (B, T, 18, H, W). ``predict`` returns what
    :class:`GFLAAnimation` returns, so the same metrics score both.

    Args:
        generator (dict): :class:`GFLAGenerator` config.
        frames_per_batch (int): Frames per generator call (memory bound).
            Defaults to 6.
        data_preprocessor, init_cfg: as in mmagic.
    """

    def __init__(self,
                 generator: dict,
                 frames_per_batch: int = 6,
                 data_preprocessor: Optional[dict] = None,
                 init_cfg: Optional[dict] = None) -> None:
        super().__init__(
            generator=generator,
            pixel_loss=dict(type='L1Loss'),
            data_preprocessor=data_preprocessor,
            init_cfg=init_cfg)
        if frames_per_batch < 1:
            raise ValueError(f'frames_per_batch must be >= 1, got '
                             f'{frames_per_batch}')
        self.frames_per_batch = frames_per_batch

    def forward(self,
                inputs: dict,
                data_samples: Optional[DataSample] = None,
                mode: str = 'predict') -> List[DataSample]:
        if mode != 'predict':
            raise ValueError(
                'GFLANaiveAnimation is test-only (mode "predict"); train the '
                'image model (configs/gfla/) and test it here with its '
                f'checkpoint; got mode {mode!r}')
        missing = [k for k in INPUT_KEYS if k not in inputs]
        if missing:
            raise KeyError(f'inputs lack {missing}; got {sorted(inputs)} '
                           '(RenderClipPoseMaps + PackClipInputs(input_keys='
                           f'{INPUT_KEYS}))')
        ref, ref_pose, poses = (inputs[k] for k in INPUT_KEYS)
        return pack_videos(self.data_preprocessor.destruct, ref,
                           self.animate(ref, ref_pose, poses), data_samples)

    @torch.no_grad()
    def animate(self, ref: torch.Tensor, ref_pose: torch.Tensor,
                poses: torch.Tensor) -> torch.Tensor:
        """(B, 3, H, W), (B, 18, H, W), (B, T, 18, H, W) -> (B, T, 3, H, W)
        frames in [-1, 1], each generated from the reference alone."""
        b, t = poses.shape[:2]
        frames = []
        for start in range(0, t, self.frames_per_batch):
            part = poses[:, start:start + self.frames_per_batch]
            n = part.shape[1]
            image, _, _ = self.generator(
                ref[:, None].expand(-1, n, -1, -1, -1).flatten(0, 1),
                ref_pose[:, None].expand(-1, n, -1, -1, -1).flatten(0, 1),
                part.flatten(0, 1))
            frames.append(image.unflatten(0, (b, n)))
        return torch.cat(frames, 1)

    def train_step(self, data, optim_wrapper):
        raise NotImplementedError(
            'GFLANaiveAnimation is test-only: train the image GFLA '
            '(configs/gfla/) and pass its checkpoint to tools/test.py')


__all__ = ['GFLANaiveAnimation']
