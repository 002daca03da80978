# Copyright (c) OpenMMLab. All rights reserved.
"""Pose-pair transforms, registered in ``mmagic.registry.TRANSFORMS``."""
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
from .skeleton_sequence import PackSkeletonInputs, RandomSkeletonScaleShift

__all__ = [
    'GFLALoadImageFromFile', 'LoadFlowFromFile', 'FlipPosePair',
    'PoseAffineAugment',
    'RescalePoseKeypoints',
    'PoseToHeatmap', 'official_pose_heatmaps', 'mmpose_pose_heatmaps',
    'PackSkeletonInputs', 'RandomSkeletonScaleShift'
]
