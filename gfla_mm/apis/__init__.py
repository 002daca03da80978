# Copyright (c) OpenMMLab. All rights reserved.
"""Inference API: pose transfer (image + target pose -> image, image + pose
sequence -> video), photo animation (image + driving skeletons or video ->
video), keypoints from images with mmpose, pose file reading,
skeleton-track denoising with the Motion Extraction Network."""
from .inferencers import (
                          AnimationInferencer,
                          PoseTransferInferencer,
                          side_by_side,
                          write_frames,
)
from .pose_extraction import PoseExtractor
from .pose_inputs import load_keypoints
from .skeleton_denoising import (
                                 init_motion_extractor,
                                 load_skeleton_track,
                                 write_video2d_json,
)

__all__ = [
    'PoseTransferInferencer', 'AnimationInferencer', 'side_by_side',
    'PoseExtractor', 'load_keypoints',
    'write_frames', 'init_motion_extractor', 'load_skeleton_track',
    'write_video2d_json'
]
