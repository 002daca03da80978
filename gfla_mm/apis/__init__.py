# Copyright (c) OpenMMLab. All rights reserved.
"""Inference API: pose transfer (image + target pose -> image, image + pose
sequence -> video), keypoints from images with mmpose, pose file reading,
skeleton-track denoising with the Motion Extraction Network."""
from .inferencers import PoseTransferInferencer, write_frames
from .pose_extraction import PoseExtractor
from .pose_inputs import load_keypoints
from .skeleton_denoising import (
                                 init_motion_extractor,
                                 load_skeleton_track,
                                 write_video2d_json,
)

__all__ = [
    'PoseTransferInferencer', 'PoseExtractor', 'load_keypoints',
    'write_frames', 'init_motion_extractor', 'load_skeleton_track',
    'write_video2d_json'
]
