# Copyright (c) OpenMMLab. All rights reserved.
"""OpenPose-18 keypoints for your own photos, from an mmpose top-down model.

mmpose's ``init_model``/``inference_topdown`` switch mmengine's global
default scope to ``'mmpose'``; :class:`PoseExtractor` restores the caller's
scope after every call so that it can live beside mmagic code.
"""
import contextlib
import time
from typing import Iterator, Optional, Union

import numpy as np
from mmengine.registry import DefaultScope

from gfla_mm.datasets.keypoint_formats import coco17_to_openpose18
from gfla_mm.utils import MISSING, inside_frame, read_image
from gfla_mm.utils.optional_imports import import_mmpose

# mmpose's HRNet-W32 COCO 256x192 (AP 0.749): config inside mmpose's
# package, weights downloaded (once, into torch's cache) on first use.
DEFAULT_POSE_CONFIG = ('mmpose::body_2d_keypoint/topdown_heatmap/coco/'
                       'td-hm_hrnet-w32_8xb64-210e_coco-256x192.py')
DEFAULT_POSE_CHECKPOINT = (
    'https://download.openmmlab.com/mmpose/v1/body_2d_keypoint/'
    'topdown_heatmap/coco/td-hm_hrnet-w32_8xb64-210e_coco-256x192-'
    '81c58e40_20220909.pth')


@contextlib.contextmanager
def keep_default_scope() -> Iterator[None]:
    """Restores mmengine's current default scope after the block."""
    before = DefaultScope.get_current_instance()
    scope = before.scope_name if before is not None else None
    try:
        yield
    finally:
        after = DefaultScope.get_current_instance()
        now = after.scope_name if after is not None else None
        if scope is not None and now != scope:
            DefaultScope.get_instance(
                f'gfla_mm-restore-{time.time_ns()}', scope_name=scope)


class PoseExtractor:
    """Whole-image top-down pose estimation -> OpenPose-18 keypoints.

    Args:
        config (str): mmpose config (path or ``mmpose::`` name) of a COCO-17
            top-down model. Defaults to HRNet-W32 256x192.
        checkpoint (str, optional): Weights (path or URL); None keeps the
            random initialisation (tests). Defaults to mmpose's HRNet-W32.
        device (str): ``'cpu'`` or ``'cuda:0'``. Defaults to ``'cpu'``.
        score_thr (float): Joints scoring below it are missing (-1).
            Defaults to 0.3.
    """

    def __init__(self,
                 config: str = DEFAULT_POSE_CONFIG,
                 checkpoint: Optional[str] = DEFAULT_POSE_CHECKPOINT,
                 device: str = 'cpu',
                 score_thr: float = 0.3) -> None:
        init_model = import_mmpose('mmpose.apis', 'PoseExtractor').init_model
        with keep_default_scope():
            self.model = init_model(config, checkpoint, device=device)
        num = self.model.dataset_meta.get('num_keypoints')
        if num != 17:
            raise ValueError(f'{config} predicts {num} keypoints; a COCO-17 '
                             'model is needed for OpenPose-18 output')
        self.score_thr = score_thr

    def __call__(self, image: Union[str, np.ndarray]) -> np.ndarray:
        """Keypoints of the (single) person filling ``image``.

        Args:
            image (str | np.ndarray): Path or BGR (H, W, 3) uint8 array.

        Returns:
            np.ndarray: (18, 2) float (x, y) pixels, -1 for missing (low
            score, or outside the image).
        """
        inference_topdown = import_mmpose('mmpose.apis',
                                          'PoseExtractor').inference_topdown
        if isinstance(image, str):
            image = read_image(image, channel_order='bgr')
        with keep_default_scope():
            result = inference_topdown(self.model, image)[0]
        pred = result.pred_instances
        kps = coco17_to_openpose18(pred.keypoints[0], pred.keypoint_scores[0],
                                   self.score_thr)
        kps[~inside_frame(kps, image.shape[:2])] = MISSING
        return kps


__all__ = [
    'PoseExtractor', 'keep_default_scope', 'DEFAULT_POSE_CONFIG',
    'DEFAULT_POSE_CHECKPOINT'
]
