# Copyright (c) OpenMMLab. All rights reserved.
"""Colour images of flow fields and pose maps for sample grids (drawn by
mmagic's ``ConcatImageVisualizer``), local-attention heat maps, and the
animation model's validation strips and videos."""
# The colour coding lives in the leaf gfla_mm.utils (models draw with it).
from gfla_mm.utils import flow_to_color, hsv_to_rgb, pose_to_color

from .animation_hook import AnimationVisualizationHook
from .attention_map import (
                            attention_heatmap,
                            attention_maps,
                            collect_local_attention,
)

__all__ = [
    'flow_to_color', 'pose_to_color', 'hsv_to_rgb', 'attention_heatmap',
    'attention_maps', 'collect_local_attention', 'AnimationVisualizationHook'
]
