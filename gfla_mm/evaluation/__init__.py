# Copyright (c) OpenMMLab. All rights reserved.
"""Metrics (``mmagic.registry.METRICS``): LPIPS, mask-LPIPS, FID, FID-Video
and AED. Empty until the evaluation issue lands."""

__all__: list = []
