# Copyright (c) OpenMMLab. All rights reserved.
"""Inferencers in mmagic's style (``inferencer(img=..., ...)``)."""
from .pose_transfer_inferencer import PoseTransferInferencer
from .video_writer import write_frames

__all__ = ['PoseTransferInferencer', 'write_frames']
