# Copyright (c) OpenMMLab. All rights reserved.
"""What GFLA models return from ``predict``: mmagic DataSamples carrying
the generated image and the pictures of a sample grid."""
from typing import Callable, List, Optional

import torch
import torch.nn.functional as F
from mmagic.structures import DataSample

from gfla_mm.utils import flow_to_color, pose_to_color


def to_bgr255(rgb: torch.Tensor) -> torch.Tensor:
    """RGB in [0, 255] -> BGR, the order of destructed mmagic outputs."""
    return rgb.flip(-3)


def pack_predictions(destruct: Callable, fake: torch.Tensor,
                     flows: List[torch.Tensor], masks: List[torch.Tensor],
                     source: torch.Tensor, source_pose: torch.Tensor,
                     target_pose: torch.Tensor,
                     data_samples: Optional[DataSample]) -> List[DataSample]:
    """One DataSample per image.

    Args:
        destruct (callable): The data preprocessor's ``destruct``.
        fake (Tensor): (B, 3, H, W) generated images, normalised as inputs.
        flows, masks (list[Tensor]): (B, 2|1, h_i, w_i), coarse to fine.
        source (Tensor): (B, 3, H, W) normalised source images.
        source_pose, target_pose (Tensor): (B, K, H, W) pose maps.
        data_samples (DataSample, optional): The stacked batch samples.

    Returns:
        list[DataSample]: per sample, ``gt_img`` (the target, when given),
        ``source_img``, ``source_pose_img``, ``target_pose_img`` and
        ``output`` with ``pred_img``, ``flows``/``masks`` (lists, coarse to
        fine, flows in pixels of their grid) and ``flow_img_<i>`` /
        ``mask_img_<i>`` upsampled to the image. Images are (3, H, W) BGR
        floats in [0, 255] (mmagic's convention).
    """
    batch = fake.shape[0]
    if data_samples is None:
        samples = [DataSample() for _ in range(batch)]
    else:
        samples = data_samples.split(allow_nonseq_value=True)
    meta = data_samples  # channel orders recorded by the preprocessor
    size = fake.shape[2:]

    def upsample(x):
        return F.interpolate(x.detach().float(), size=size,
                             mode='nearest')

    images = dict(
        pred_img=destruct(fake, meta, 'source'),
        source_img=destruct(source, meta, 'source'),
        source_pose_img=to_bgr255(pose_to_color(source_pose)),
        target_pose_img=to_bgr255(pose_to_color(target_pose)))
    for i, (flow, mask) in enumerate(zip(flows, masks)):
        images[f'flow_img_{i}'] = to_bgr255(flow_to_color(upsample(flow)))
        images[f'mask_img_{i}'] = (upsample(mask) * 255).expand(
            -1, 3, -1, -1)
    images = {k: v.detach().cpu() for k, v in images.items()}
    for b, sample in enumerate(samples):
        out = DataSample(
            flows=[f[b].detach().cpu() for f in flows],
            masks=[m[b].detach().cpu() for m in masks])
        out.set_data({
            k: v[b]
            for k, v in images.items() if k.startswith(('pred', 'flow',
                                                        'mask'))
        })
        sample.set_data({
            k: v[b]
            for k, v in images.items() if k.startswith(('source',
                                                        'target'))
        })
        if 'target' in sample:
            # The preprocessor leaves data keys in [0, 255] BGR at test.
            sample.set_data(dict(gt_img=sample.target.cpu()))
        sample.output = out
    return samples


__all__ = ['pack_predictions', 'to_bgr255']
