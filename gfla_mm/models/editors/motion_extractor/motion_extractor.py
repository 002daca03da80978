# Copyright (c) OpenMMLab. All rights reserved.
"""The Motion Extraction Network as an mmengine model: trained with an
MPJPE-style loss on (noisy, clean) skeleton windows, predicting clean
joints."""
from typing import Dict, List, Optional, Sequence, Union

import numpy as np
import torch
import torch.nn.functional as F
from mmagic.structures import DataSample
from mmengine.model import BaseModel

from gfla_mm.registry import MODELS
from gfla_mm.utils import (
                           fill_missing_joints,
                           normalize_screen_coordinates,
                           unnormalize_screen_coordinates,
)

from .sequence_inference import denoise_joints

LOSS_TYPES = ('mse', 'l1')


def _stack(value: Union[torch.Tensor, Sequence[torch.Tensor]]
           ) -> torch.Tensor:
    return value if isinstance(value, torch.Tensor) else torch.stack(
        list(value))


@MODELS.register_module()
class MotionExtractor(BaseModel):
    """Trains and runs :class:`MotionExtractionNet` (paper §IV-A).

    Loss: ``loss_weight * mean((pred - gt) ** 2)`` over every coordinate of
    the normalised joints, as the official trains it (``MSELoss`` times
    ``lambda_mpjpe`` = 1000). The paper's eq. 16 writes an L1 distance:
    ``loss_type='l1'`` trains with that instead.

    Data: ``inputs`` (B, T + 80, 17, 2) noisy COCO-17 joints, normalised
    (:func:`gfla_mm.utils.normalize_screen_coordinates`), every joint filled;
    each data sample's ``gt_joints`` (T, 17, 2) the clean Human3.6M-17
    joints of the T centre frames and ``frame_width`` in its metainfo (to
    report pixels). ``predict`` returns data samples with ``pred_joints``
    (T, 17, 2) normalised, which :class:`MPJPE` scores.

    Args:
        generator (dict): :class:`MotionExtractionNet` config.
        loss_type (str): 'mse' (official, default) or 'l1' (eq. 16).
        loss_weight (float): Defaults to 1000 (official ``lambda_mpjpe``).
        data_preprocessor (dict, optional): Defaults to mmengine's
            ``BaseDataPreprocessor`` (moves the batch to the device).
    """

    def __init__(self,
                 generator: dict,
                 loss_type: str = 'mse',
                 loss_weight: float = 1000.0,
                 data_preprocessor: Optional[dict] = None,
                 init_cfg: Optional[dict] = None) -> None:
        super().__init__(
            data_preprocessor=data_preprocessor, init_cfg=init_cfg)
        if loss_type not in LOSS_TYPES:
            raise ValueError(f'loss_type must be one of {LOSS_TYPES}, got '
                             f'{loss_type!r}')
        self.generator = MODELS.build(generator)
        self.loss_type = loss_type
        self.loss_weight = loss_weight

    def forward(self,
                inputs: Union[torch.Tensor, List[torch.Tensor]],
                data_samples: Optional[List[DataSample]] = None,
                mode: str = 'tensor'
                ) -> Union[torch.Tensor, Dict[str, torch.Tensor],
                           List[DataSample]]:
        """
        Args:
            inputs (Tensor | list[Tensor]): (B, T + 80, 17, 2) or B tensors
                of (T + 80, 17, 2).
            data_samples (list[DataSample], optional): With ``gt_joints``
                for mode 'loss'.
            mode (str): 'tensor', 'loss' or 'predict'.
        """
        joints = _stack(inputs)
        if not torch.isfinite(joints).all():
            names = [ds.metainfo.get('sequence') for ds in data_samples or []]
            raise ValueError('MotionExtractor: non-finite input joints '
                             f'(sequences {names}); fill missing joints '
                             'before the network')
        pred = self.generator(joints)
        if mode == 'tensor':
            return pred
        if mode == 'loss':
            return dict(loss_mpjpe=self.loss(pred, data_samples))
        if mode == 'predict':
            out = []
            for p, ds in zip(pred, data_samples or [None] * len(pred)):
                sample = DataSample(metainfo=ds.metainfo) if ds else \
                    DataSample()
                sample.set_field(p.detach(), 'pred_joints')
                if ds is not None and 'gt_joints' in ds:
                    sample.set_field(ds.gt_joints, 'gt_joints')
                out.append(sample)
            return out
        raise ValueError(f'unknown mode {mode!r}: tensor, loss or predict')

    def loss(self, pred: torch.Tensor,
             data_samples: List[DataSample]) -> torch.Tensor:
        """``loss_weight`` x the mean squared (or absolute) coordinate
        error against the samples' ``gt_joints``."""
        gt = torch.stack([ds.gt_joints for ds in data_samples]).to(pred)
        if gt.shape != pred.shape:
            raise ValueError(
                f'gt_joints of shape {tuple(gt.shape)} do not match the '
                f'prediction {tuple(pred.shape)}: a window of T + '
                f'{self.generator.receptive_field - 1} input frames gives T '
                'output frames')
        err = F.mse_loss if self.loss_type == 'mse' else F.l1_loss
        return self.loss_weight * err(pred, gt)

    def denoise(self,
                track: np.ndarray,
                frame_width: float,
                present: Optional[np.ndarray] = None,
                mirror: Optional[Sequence[int]] = None,
                chunk: Optional[int] = 24,
                batch_size: int = 64,
                name: str = 'track') -> Dict[str, np.ndarray]:
        """A whole noisy COCO-17 track in pixels -> clean H36M-17 in pixels.

        Missing joints are filled first (:func:`fill_missing_joints`:
        interpolated in time, then held), the track normalised by
        ``frame_width`` and run through :func:`denoise_joints`.

        Args:
            track (np.ndarray): (T, 17, 2) (x, y) pixels, -1 = missing.
            frame_width (float): Width of the frames in pixels.
            present (np.ndarray, optional): (T, 17) bool.
            mirror (Sequence[int], optional): Left/right mirror index.
            chunk, batch_size: See :func:`denoise_joints`.
            name (str): What the track is, for error messages.

        Returns:
            dict: ``joints`` (T, 17, 2) float64 pixels and ``num_filled``.
        """
        filled, num_filled = fill_missing_joints(track, present, mirror, name)
        device = next(self.parameters()).device
        joints = torch.as_tensor(
            normalize_screen_coordinates(filled, frame_width),
            dtype=torch.float32, device=device)
        clean = denoise_joints(self.generator, joints, chunk, batch_size)
        return dict(
            joints=unnormalize_screen_coordinates(
                clean.double().cpu().numpy(), frame_width),
            num_filled=num_filled)


__all__ = ['MotionExtractor', 'LOSS_TYPES']
