# Copyright (c) OpenMMLab. All rights reserved.
"""Evaluation: LPIPS, Mask-LPIPS, FID (paper and standard protocols),
FID-Video and AED, registered in ``mmagic.registry.METRICS``; SSIM and PSNR
are mmagic's. Building a metric may download weights; importing never does.
Image and video files are read with :mod:`gfla_mm.utils`.
"""
from .metrics import *  # noqa: F401,F403
from .metrics import __all__ as _metrics_all
from .result_folders import match_images, match_videos

__all__ = ['match_images', 'match_videos', *_metrics_all]
