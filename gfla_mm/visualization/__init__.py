# Copyright (c) OpenMMLab. All rights reserved.
"""Visualisers (``mmagic.registry.VISUALIZERS``) for flow fields, attention
maps and sample grids. Empty until the visualisation issue lands."""

__all__: list = []
