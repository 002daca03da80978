# Copyright (c) OpenMMLab. All rights reserved.
"""Packing a loaded clip into ``(T, C, H, W)`` tensors for mmagic."""
from typing import Dict, Optional, Sequence

import numpy as np
import torch
from mmagic.structures import DataSample
from mmcv.transforms import BaseTransform

from gfla_mm.registry import TRANSFORMS

# Results keys holding RGB images, and the structure / mask keys.
IMAGE_KEYS = ('frames', 'ref_img')
STRUCTURE_KEYS = ('skeletons', 'ref_skeleton', 'pose_maps', 'ref_pose_map')
MASK_KEYS = ('masks', )


def _channel_meta_prefix(name: str) -> str:
    """mmagic's DataPreprocessor reads ``gt_channel_order`` for ``gt_img``
    and ``{name}_channel_order`` for anything else."""
    return 'gt' if name == 'gt_img' else name


def clip_to_tensor(key: str, value) -> torch.Tensor:
    """One results entry as a channel-first float32 tensor.

    Images (``frames`` (T, H, W, 3), ``ref_img`` (H, W, 3), 0..255) and
    structures (``skeletons`` (T, H, W, 20), ``ref_skeleton`` (H, W, 20))
    move their last axis to the channels: (T, C, H, W) / (C, H, W). Masks
    (``masks`` (T, H, W), 0..255) become (T, 1, H, W) in [0, 1] (official
    ``to_tensor`` of the mask). Anything else (``clip_valid``, keypoints)
    goes through ``torch.as_tensor`` unchanged.
    """
    arr = np.asarray(value)
    if key in MASK_KEYS:
        return torch.from_numpy(arr.astype(np.float32) / 255.0)[:, None]
    if key in IMAGE_KEYS + STRUCTURE_KEYS:
        return torch.from_numpy(
            np.ascontiguousarray(np.moveaxis(arr, -1, -3)).astype(
                np.float32))
    return torch.as_tensor(arr)


@TRANSFORMS.register_module()
class PackClipInputs(BaseTransform):
    """Packs a clip into ``inputs`` (a dict of tensors) and a
    :class:`DataSample`, in the layouts mmagic's ``DataPreprocessor``
    handles.

    Per sample, ``inputs`` = ``{'ref_img': (3, H, W), 'ref_skeleton':
    (20, H, W), 'skeletons': (T, 20, H, W)}`` (float32; images 0..255 RGB,
    heatmaps 0..1, bone channels 0..255), and the data sample holds
    ``gt_img`` = the clip's frames (T, 3, H, W), ``gt_mask`` (T, 1, H, W)
    in [0, 1] if masks were loaded, ``clip_valid`` (T,) bool, plus metainfo
    (video, frame paths, ``chunk_size``, ``num_valid``, ...) and the channel
    order of every image field (``gt_channel_order``,
    ``ref_img_channel_order`` = ``'rgb'``, color type ``'color'``).

    What mmagic 1.2's ``DataPreprocessor`` then does (checked in
    ``tests/test_datasets/test_pose_video_dataset.py``):

    - mmengine's ``pseudo_collate`` gives ``inputs`` as a dict of per-sample
      lists; the preprocessor stacks each list to (N, C, H, W) or
      (N, T, C, H, W) (channel axis 2 for 5-D) and, for every key **not in
      ``non_image_keys``**, converts the channel order and normalises each
      channel with ``mean``/``std`` reshaped to (1, 1, C, 1, 1): every
      frame of a clip alike.
    - Structure keys must be listed in ``non_image_keys``
      (``['ref_skeleton', 'skeletons']``): they are then only stacked,
      unchanged. If they are not, a 3-value ``mean``/``std`` fails its
      channel-count assertion (20 != 3) and a scalar one normalises the
      heatmaps and bones like pixels (wrong for GFLA, whose structures are
      not normalised). Note: mmagic 1.2 adds ``non_image_keys`` to the
      *class* list ``DataPreprocessor._NON_IMAGE_KEYS`` in place, so they
      also apply to every preprocessor built later in the process.
    - The image keys of ``inputs`` must all have the same rank: the
      preprocessor compares their padding vectors, (3,) for (C, H, W) and
      (4,) for (T, C, H, W), and fails (``RuntimeError``) on a mix. That is
      why the clip's frames go to the data sample (``gt_img``) and
      ``ref_img`` is the only image in ``inputs``.
    - Data-sample fields named in ``data_keys`` (default ``'gt_img'``) are
      converted to ``output_channel_order`` and normalised in training;
      outside training they are converted to BGR and left in 0..255 (what
      mmagic's metrics expect). ``gt_mask`` and ``clip_valid`` are not
      touched (do not list them in ``data_keys``).
    - All T of a batch must be equal to stack (fixed-length clips: train
      with ``short_video='pad'`` or videos of at least ``num_frames``).

    A config::

        data_preprocessor=dict(
            type='DataPreprocessor', mean=[127.5] * 3, std=[127.5] * 3,
            non_image_keys=['ref_skeleton', 'skeletons'],
            data_keys=['gt_img'])

    Args:
        input_keys (Sequence[str]): Results keys packed into ``inputs``.
            Defaults to ``('ref_img', 'ref_skeleton', 'skeletons')``.
        data_keys (dict): Results key -> data-sample field. Defaults to
            ``{'frames': 'gt_img', 'masks': 'gt_mask', 'clip_valid':
            'clip_valid'}``; absent keys are skipped.
        meta_keys (Sequence[str]): Results keys copied to the metainfo
            (absent ones skipped).
    """

    def __init__(self,
                 input_keys: Sequence[str] = ('ref_img', 'ref_skeleton',
                                              'skeletons'),
                 data_keys: Optional[Dict[str, str]] = None,
                 meta_keys: Sequence[str] = (
                     'video', 'num_frames', 'clip_indices', 'num_valid',
                     'chunk_size', 't_step', 'ref_index', 'clip_frame_paths',
                     'ref_frame_path', 'ori_frame_shape')) -> None:
        self.input_keys = list(input_keys)
        self.data_keys = dict(
            frames='gt_img', masks='gt_mask',
            clip_valid='clip_valid') if data_keys is None else dict(data_keys)
        self.meta_keys = list(meta_keys)

    def transform(self, results: dict) -> dict:
        inputs = {}
        for key in self.input_keys:
            if key not in results:
                raise KeyError(f'PackClipInputs: input key {key!r} is not in '
                               'the results (missing transform?)')
            inputs[key] = clip_to_tensor(key, results[key])
        sample = DataSample()
        meta = {}
        for key, field in self.data_keys.items():
            if key in results:
                sample.set_field(clip_to_tensor(key, results[key]), field)
                if key in IMAGE_KEYS:
                    meta[f'{_channel_meta_prefix(field)}_channel_order'] = \
                        'rgb'
                    meta[f'{_channel_meta_prefix(field)}_color_type'] = \
                        'color'
        for key in self.input_keys:
            if key in IMAGE_KEYS:
                meta[f'{key}_channel_order'] = 'rgb'
                meta[f'{key}_color_type'] = 'color'
        for key in self.meta_keys:
            if key in results:
                meta[key] = results[key]
        sample.set_metainfo(meta)
        return dict(inputs=inputs, data_samples=sample)

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(input_keys={self.input_keys}, '
                f'data_keys={self.data_keys}, meta_keys={self.meta_keys})')


__all__ = ['PackClipInputs', 'clip_to_tensor']
