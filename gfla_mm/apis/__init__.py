# Copyright (c) OpenMMLab. All rights reserved.
"""Inference API (image + target pose -> image, image + skeleton sequence ->
video). Empty until the inference issue lands."""

__all__: list = []
