# Copyright (c) OpenMMLab. All rights reserved.
"""Pose-pair and video-clip transforms, registered in
``mmagic.registry.TRANSFORMS``."""
from .clip_augment import ClipAffineAugment, official_affine_matrix
from .clip_flows import LoadClipFlows
from .clip_loading import LoadClipFrames, LoadClipSkeletons, read_openpose_json
from .clip_packing import PackClipInputs
from .loading import GFLALoadImageFromFile, LoadFlowFromFile
from .pose_geometry import (
                            FlipPosePair,
                            PoseAffineAugment,
                            RescalePoseKeypoints,
)
from .pose_heatmap import (
                            PoseToHeatmap,
                            mmpose_pose_heatmaps,
                            official_pose_heatmaps,
)
from .skeleton_render import (
                            RenderClipPoseMaps,
                            RenderClipSkeletons,
                            official_bone_image,
                            render_structure,
)
from .skeleton_sequence import PackSkeletonInputs, RandomSkeletonScaleShift
from .temporal_clip import ClipSampleError, TemporalClipSample

__all__ = [
    'GFLALoadImageFromFile', 'LoadFlowFromFile', 'FlipPosePair',
    'PoseAffineAugment',
    'RescalePoseKeypoints',
    'PoseToHeatmap', 'official_pose_heatmaps', 'mmpose_pose_heatmaps',
    'TemporalClipSample', 'ClipSampleError', 'LoadClipFrames',
    'LoadClipSkeletons', 'read_openpose_json', 'ClipAffineAugment',
    'official_affine_matrix', 'RenderClipSkeletons', 'RenderClipPoseMaps',
    'official_bone_image',
    'render_structure', 'PackClipInputs', 'LoadClipFlows',
    'PackSkeletonInputs', 'RandomSkeletonScaleShift'
]
