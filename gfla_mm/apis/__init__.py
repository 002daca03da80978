# Copyright (c) OpenMMLab. All rights reserved.
"""Inference API: pose transfer (image + target pose -> image, image + pose
sequence -> video), keypoints from images with mmpose, pose file reading."""
from .inferencers import PoseTransferInferencer, write_frames
from .pose_extraction import PoseExtractor
from .pose_inputs import load_keypoints

__all__ = [
    'PoseTransferInferencer', 'PoseExtractor', 'load_keypoints',
    'write_frames'
]
