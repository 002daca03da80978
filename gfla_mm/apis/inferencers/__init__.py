# Copyright (c) OpenMMLab. All rights reserved.
"""Inferencers built on mmengine's ``BaseInferencer``, called as
``inferencer(img, target_pose, source_pose=None, ...)`` (see
:class:`PoseTransferInferencer`), and the video writer they share."""
from .pose_transfer_inferencer import PoseTransferInferencer
from .result_writers import write_frames

__all__ = ['PoseTransferInferencer', 'write_frames']
