# Copyright (c) OpenMMLab. All rights reserved.
"""gfla_mm metrics, registered in ``mmagic.registry.METRICS``.

SSIM and PSNR are mmagic's own (``type='SSIM'`` / ``'PSNR'``); see
``docs/evaluation.md`` for their settings against the official script.
"""
from .base_metric import GFLABaseMetric, get_sample_tensor, to_rgb_unit
from .fid_statistics import folder_statistics, load_statistics
from .flow_epe import FlowEPE, flow_end_point_error
from .frechet_distance import (
                               feature_statistics,
                               frechet_distance,
                               frechet_distance_features,
)
from .i3d import I3D_KINETICS400_URL, InceptionI3d, build_i3d
from .inception_features import (
                               TORCHVISION_INCEPTION_URL,
                               TorchvisionInceptionFeatures,
)
from .lpips_metric import LPIPS, build_lpips
from .mask_lpips import (
                               MASK_LIMBS,
                               MaskLPIPS,
                               body_mask,
                               keypoints_from_heatmap,
)
from .mpjpe import MPJPE, mean_joint_error
from .paper_fid import PaperFID
from .trans_fid import GFLATransFID
from .video_metrics import AED, FIDVideo, clip_features, video_to_clips

__all__ = [
    'AED', 'FIDVideo', 'FlowEPE', 'GFLABaseMetric', 'GFLATransFID',
    'I3D_KINETICS400_URL', 'InceptionI3d', 'LPIPS', 'MASK_LIMBS',
    'MaskLPIPS', 'MPJPE', 'mean_joint_error', 'PaperFID',
    'TORCHVISION_INCEPTION_URL',
    'TorchvisionInceptionFeatures', 'body_mask', 'build_i3d', 'build_lpips',
    'clip_features', 'feature_statistics',
    'flow_end_point_error', 'folder_statistics',
    'frechet_distance', 'frechet_distance_features', 'get_sample_tensor',
    'keypoints_from_heatmap',
    'load_statistics', 'to_rgb_unit', 'video_to_clips'
]
