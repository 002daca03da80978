# Copyright (c) OpenMMLab. All rights reserved.
"""The Motion Extraction Network of GFLA's animation model (paper §IV-A):
noisy detected skeleton sequences in, clean Human3.6M-17 sequences out."""
from .adaln import ADALN1d, ChannelLayerNorm1d
from .motion_extraction_net import (
                                    MotionExtractionNet,
                                    TemporalJointNet,
                                    channels_to_joints,
                                    joints_to_channels,
)
from .motion_extractor import MotionExtractor
from .sequence_inference import denoise_joints

__all__ = [
    'ADALN1d', 'ChannelLayerNorm1d', 'MotionExtractionNet',
    'TemporalJointNet', 'MotionExtractor', 'denoise_joints',
    'channels_to_joints', 'joints_to_channels'
]
