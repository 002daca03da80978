# Copyright (c) OpenMMLab. All rights reserved.
"""Evaluation: LPIPS, Mask-LPIPS, FID (paper and standard protocols),
FID-Video and AED, registered in ``mmagic.registry.METRICS``; SSIM and PSNR
are mmagic's. Building a metric may download weights; importing never does.
"""
from .image_folder import list_images, read_image, read_video
from .metrics import *  # noqa: F401,F403
from .metrics import __all__ as _metrics_all

__all__ = ['list_images', 'read_image', 'read_video', *_metrics_all]
