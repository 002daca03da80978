# Copyright (c) OpenMMLab. All rights reserved.
"""Pose-pair and clip datasets (``mmagic.registry.DATASETS``) and their
transforms (``TRANSFORMS``). Empty until the data-pipeline issue lands."""

__all__: list = []
