# Copyright (c) OpenMMLab. All rights reserved.
"""FID-Video and AED (GFLA paper §V-A, Tables IV and V) on I3D features.

The official GFLA code never released these metrics; this is gfla_mm's
protocol, stated here and in ``docs/evaluation.md``:

- **Preprocessing (FVD-standard).** Frames (0-255, ``channel_order``) become
  RGB in [-1, 1] and are resized to 224x224 bilinearly (no crop, aspect
  ratio not kept), as Unterthiner et al.'s FVD.
- **Clips.** Each video (T, 3, H, W) is cut from frame 0 into clips of
  ``clip_len`` (16) consecutive frames every ``clip_stride`` (16: no
  overlap) frames; an incomplete tail is dropped. A video shorter than
  ``clip_len`` raises ``ValueError`` unless ``short_video='pad'``, which
  repeats its last frame up to ``clip_len``.
- **Features.** The 400-d Kinetics logits of :class:`InceptionI3d`, averaged
  over time (FVD's embedding); ``feature='pool'`` gives the 1024-d pool
  instead. Predicted and ground-truth clips are cut at the same frames.
- **FID-Video** = Fréchet distance (float64) between the generated clips'
  features and the ground-truth clips' features. Needs many more clips than
  feature dimensions to be meaningful; compare numbers at equal clip counts.
- **AED** = for each video, the mean over its clips of the Euclidean
  distance between the generated and the ground-truth clip features; then
  the mean over videos. ``distance='mean_abs'`` gives the mean absolute
  difference of Monkey-Net's ``pose-evaluation`` instead.

The paper does not say which I3D layer, weights or clip length it used, so
absolute values need not match Tables IV/V; rankings of methods scored with
the same settings are what these numbers support.
"""
from typing import Dict, List, Optional, Sequence

import numpy as np
import torch
import torch.nn.functional as F
from torch import Tensor, nn

from gfla_mm.registry import METRICS

from .base_metric import GFLABaseMetric, to_rgb_unit
from .frechet_distance import frechet_distance_features
from .i3d import I3D_KINETICS400_URL, build_i3d

__all__ = ['AED', 'FIDVideo', 'clip_features', 'video_to_clips']


def video_to_clips(video: Tensor,
                   clip_len: int = 16,
                   clip_stride: int = 16,
                   size: int = 224,
                   short_video: str = 'error') -> Tensor:
    """Cut one video into resized clips, following the module protocol.

    Args:
        video (Tensor): (T, 3, H, W) RGB in [-1, 1].
        clip_len (int): Frames per clip. Defaults to 16.
        clip_stride (int): Frames between clip starts. Defaults to 16.
        size (int): Output side. Defaults to 224.
        short_video (str): ``'error'`` or ``'pad'`` (repeat the last frame)
            for T < ``clip_len``. Defaults to ``'error'``.

    Returns:
        Tensor: (K, 3, clip_len, size, size) clips, K >= 1.
    """
    if video.ndim != 4 or video.shape[1] != 3:
        raise ValueError('a video must be (T, 3, H, W), got '
                         f'{tuple(video.shape)}')
    if short_video not in ('error', 'pad'):
        raise ValueError(f"short_video must be 'error' or 'pad', got "
                         f'{short_video!r}')
    t = video.shape[0]
    if t < clip_len:
        if short_video == 'error':
            raise ValueError(
                f'video of {t} frames is shorter than clip_len={clip_len} '
                "(set short_video='pad' to repeat its last frame)")
        video = torch.cat([video, video[-1:].expand(clip_len - t, -1, -1, -1)])
        t = clip_len
    video = F.interpolate(
        video.float(), (size, size), mode='bilinear', align_corners=False)
    starts = range(0, t - clip_len + 1, clip_stride)
    clips = torch.stack([video[s:s + clip_len] for s in starts])
    return clips.permute(0, 2, 1, 3, 4).contiguous()  # (K, 3, T, H, W)


@torch.no_grad()
def clip_features(model: nn.Module,
                  clips: Tensor,
                  feature: str = 'logits',
                  batch_size: int = 8) -> np.ndarray:
    """I3D features of clips, batched, as float64.

    Args:
        model (nn.Module): :class:`InceptionI3d`.
        clips (Tensor): (K, 3, T, H, W) in [-1, 1].
        feature (str): ``'logits'`` or ``'pool'``.
        batch_size (int): Clips per forward. Defaults to 8.

    Returns:
        np.ndarray: (K, D).
    """
    device = next(model.parameters()).device
    feats = [
        model(chunk.to(device), feature=feature).double().cpu()
        for chunk in clips.split(batch_size)
    ]
    return torch.cat(feats).numpy()


class _I3DVideoMetric(GFLABaseMetric):
    """Shared I3D clip features of predicted and ground-truth videos; one
    result per video: ``dict(fake=(K, D), real=(K, D))``.

    Args:
        i3d_weights (str, optional): Path or URL of the I3D state dict.
            Defaults to :data:`I3D_KINETICS400_URL`.
        i3d_sha256 (str, optional): Expected sha256 (prefix).
        random_weights (bool): Random I3D (tests only). Defaults to False.
        feature (str): ``'logits'`` (400-d, FVD) or ``'pool'`` (1024-d).
        clip_len (int): Defaults to 16.
        clip_stride (int): Defaults to 16.
        short_video (str): ``'error'`` or ``'pad'``. Defaults to
            ``'error'``.
        batch_size (int): Clips per I3D forward. Defaults to 8.
        **kwargs: :class:`GFLABaseMetric` arguments.
    """

    metric = ''

    def __init__(self,
                 i3d_weights: Optional[str] = I3D_KINETICS400_URL,
                 i3d_sha256: Optional[str] = None,
                 random_weights: bool = False,
                 feature: str = 'logits',
                 clip_len: int = 16,
                 clip_stride: int = 16,
                 short_video: str = 'error',
                 batch_size: int = 8,
                 **kwargs) -> None:
        super().__init__(**kwargs)
        if feature not in ('logits', 'pool'):
            raise ValueError(f"feature must be 'logits' or 'pool', got "
                             f'{feature!r}')
        if clip_len < 9 or clip_stride < 1:
            raise ValueError('need clip_len >= 9 (I3D) and clip_stride >= 1, '
                             f'got {clip_len}, {clip_stride}')
        self.i3d = build_i3d(i3d_weights, i3d_sha256, random_weights)
        self.feature = feature
        self.clip_len = clip_len
        self.clip_stride = clip_stride
        self.short_video = short_video
        self.batch_size = batch_size

    def _networks(self) -> List[nn.Module]:
        return [self.i3d]

    def video_features(self, video: Tensor) -> np.ndarray:
        """(K, D) features of one 0-255 (T, 3, H, W) video."""
        clips = video_to_clips(
            to_rgb_unit(video, self.channel_order), self.clip_len,
            self.clip_stride, short_video=self.short_video)
        return clip_features(self.i3d, clips, self.feature, self.batch_size)

    def process(self, data_batch: Optional[dict],
                data_samples: Sequence[dict]) -> None:
        """Clip features of each predicted and ground-truth video."""
        for i, (pred, gt) in enumerate(self.pairs(data_samples)):
            if pred.ndim != 4:
                raise ValueError(
                    f'{type(self).__name__}: sample {i} {self.pred_key} must '
                    f'be a (T, 3, H, W) video, got {tuple(pred.shape)}')
            try:
                self.results.append(
                    dict(
                        fake=self.video_features(pred),
                        real=self.video_features(gt)))
            except ValueError as err:
                raise ValueError(f'sample {i}: {err}') from err


@METRICS.register_module()
class FIDVideo(_I3DVideoMetric):
    """FID-Video: Fréchet distance between I3D features of generated and
    ground-truth clips (lower is better). Protocol: module docstring.

    Metrics:
        - FID-Video (float)
    """

    metric = 'FID-Video'

    def compute_metrics(self, results: list) -> Dict[str, float]:
        fake = np.concatenate([r['fake'] for r in results])
        real = np.concatenate([r['real'] for r in results])
        return {self.metric: frechet_distance_features(fake, real)}


@METRICS.register_module()
class AED(_I3DVideoMetric):
    """Average Euclidean Distance between the I3D features of each generated
    clip and its ground-truth clip (lower is better). Protocol: module
    docstring.

    Args:
        distance (str): ``'l2'`` (Euclidean, the paper's wording) or
            ``'mean_abs'`` (Monkey-Net's ``pose-evaluation``). Defaults to
            ``'l2'``.
        **kwargs: See :class:`_I3DVideoMetric`.

    Metrics:
        - AED (float)
    """

    metric = 'AED'

    def __init__(self, distance: str = 'l2', **kwargs) -> None:
        if distance not in ('l2', 'mean_abs'):
            raise ValueError(f"distance must be 'l2' or 'mean_abs', got "
                             f'{distance!r}')
        super().__init__(**kwargs)
        self.distance = distance

    def video_distance(self, fake: np.ndarray, real: np.ndarray) -> float:
        """Mean over clips of the feature distance of one video."""
        diff = fake - real
        if self.distance == 'l2':
            return float(np.linalg.norm(diff, axis=1).mean())
        return float(np.abs(diff).mean())

    def compute_metrics(self, results: list) -> Dict[str, float]:
        if not results:
            raise ValueError('AED: no videos were processed')
        per_video = [self.video_distance(r['fake'], r['real'])
                     for r in results]
        return {self.metric: float(np.mean(per_video))}
