# Copyright (c) OpenMMLab. All rights reserved.
"""Inferencers built on mmengine's ``BaseInferencer``, called as
``inferencer(img, target_pose, source_pose=None, ...)`` (see
:class:`PoseTransferInferencer`) or ``inferencer(source, driving, ...)``
(:class:`AnimationInferencer`: a photo animated by a skeleton sequence or a
video), and the video writers they share."""
from .animation_inferencer import AnimationInferencer
from .pose_transfer_inferencer import PoseTransferInferencer
from .result_writers import side_by_side, write_frames

__all__ = [
    'PoseTransferInferencer', 'AnimationInferencer', 'write_frames',
    'side_by_side'
]
