# Copyright (c) OpenMMLab. All rights reserved.
"""Pose-pair datasets (``mmagic.registry.DATASETS``), their transforms
(``TRANSFORMS``), keypoint formats and the synthetic mannequin dataset."""
from . import transforms
from .keypoint_formats import (
                               COCO17_NAMES,
                               H36M17_NAMES,
                               OPENPOSE18_LIMBS,
                               OPENPOSE18_NAMES,
                               coco17_to_h36m17,
                               coco17_to_openpose18,
                               h36m17_to_coco17,
                               h36m17_to_openpose18,
                               openpose18_to_coco17,
                               openpose18_to_h36m17,
)
from .pose_pair_dataset import (
                               PoseDataError,
                               PosePairDataset,
                               load_pose_annotations,
)
from .pose_video_dataset import PoseVideoDataset
from .skeleton_sequence_dataset import (
                                        H36MSkeletonDataset,
                                        SkeletonSequenceDataset,
                                        SyntheticSkeletonDataset,
)
from .synthetic import make_synthetic_clips, make_synthetic_dataset
from .synthetic_skeletons import detector_noise, synthetic_skeleton_track

__all__ = [
    'transforms', 'PosePairDataset', 'PoseDataError', 'load_pose_annotations',
    'PoseVideoDataset',
    'make_synthetic_dataset', 'make_synthetic_clips', 'OPENPOSE18_NAMES',
    'COCO17_NAMES',
    'H36M17_NAMES', 'OPENPOSE18_LIMBS', 'coco17_to_openpose18',
    'openpose18_to_coco17', 'h36m17_to_openpose18', 'openpose18_to_h36m17',
    'coco17_to_h36m17', 'h36m17_to_coco17', 'SkeletonSequenceDataset',
    'H36MSkeletonDataset', 'SyntheticSkeletonDataset', 'detector_noise',
    'synthetic_skeleton_track'
]
