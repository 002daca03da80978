# Copyright (c) OpenMMLab. All rights reserved.
"""Small helpers every layer shares, one home each: keypoint conventions,
image/video files and colour coding. A leaf: it imports numpy, OpenCV and
torch, nothing of gfla_mm and nothing of the mm* stack."""
from .colour_coding import flow_to_color, hsv_to_rgb, pose_to_color
from .file_io import (
                      IMAGE_EXTENSIONS,
                      VIDEO_EXTENSIONS,
                      is_image_file,
                      is_video_file,
                      iter_video_frames,
                      list_images,
                      read_image,
                      read_video,
                      write_h264,
)
from .keypoints import (
                        MISSING,
                        fill_missing_joints,
                        inside_frame,
                        joints_present,
                        normalize_screen_coordinates,
                        rescale_keypoints,
                        unnormalize_screen_coordinates,
)

__all__ = [
    'flow_to_color', 'hsv_to_rgb', 'pose_to_color', 'IMAGE_EXTENSIONS',
    'VIDEO_EXTENSIONS', 'is_image_file', 'is_video_file',
    'iter_video_frames', 'list_images', 'read_image', 'read_video',
    'write_h264',
    'MISSING', 'joints_present', 'inside_frame', 'rescale_keypoints',
    'normalize_screen_coordinates', 'unnormalize_screen_coordinates',
    'fill_missing_joints'
]
