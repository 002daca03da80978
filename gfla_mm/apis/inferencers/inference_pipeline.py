# Copyright (c) OpenMMLab. All rights reserved.
"""A config's test pipeline rewritten for inference: no target image, the
target pose sized like the source, and source images given as arrays."""
import copy
from typing import Any, List, Sequence, Tuple

import numpy as np

LOADER = 'GFLALoadImageFromFile'
# What test pipelines load for scoring only (the target image, the
# synthetic set's ground-truth flow and body mask): not there at inference.
GROUND_TRUTH_KEYS = ('target', 'gt_flow', 'body_mask')
GROUND_TRUTH_LOADERS = ('LoadFlowFromFile', )


def inference_pipeline(pipeline: Sequence[dict]) -> Tuple[dict, List[dict]]:
    """Splits a test pipeline config into the source loader and the steps
    that follow it at inference.

    The source loader is returned apart (the caller runs it on a path or
    stands in for it with an array), the target and ground-truth loaders
    are dropped, ground-truth keys leave every step's ``keys`` (a step left
    without keys goes), and keypoints and pose maps of the target pose take
    the source image's size (``size_from='source'``).

    Args:
        pipeline (Sequence[dict]): ``test_dataloader.dataset.pipeline``.

    Returns:
        tuple[dict, list[dict]]: The source loader's config and the other
        steps' configs (copies).

    Raises:
        ValueError: no ``GFLALoadImageFromFile`` with ``key='source'``.
    """
    source_loader = None
    steps = []
    for step in copy.deepcopy(list(pipeline)):
        kind = step['type']
        if kind == LOADER:
            if step.get('key') == 'source':
                source_loader = step
            continue
        if kind in GROUND_TRUTH_LOADERS:
            continue
        if kind in ('RescalePoseKeypoints', 'PoseToHeatmap'):
            step['size_from'] = 'source'
        elif 'keys' in step and kind != 'PackInputs':
            step['keys'] = [
                k for k in step['keys'] if k not in GROUND_TRUTH_KEYS
            ]
            if not step['keys']:
                continue  # a step for the ground truth only
        steps.append(step)
    if source_loader is None:
        raise ValueError(f"the test pipeline has no {LOADER} with "
                         "key='source'")
    return source_loader, steps


def loaded_from_array(loader: Any, img: np.ndarray) -> dict:
    """What the source loader (a built ``GFLALoadImageFromFile``) returns for
    a file, made from a BGR (H, W, 3) uint8 array (mmcv's convention for
    images in memory).

    Raises:
        ValueError: not a BGR uint8 (H, W, 3) array.
    """
    img = np.asarray(img)
    if img.dtype != np.uint8 or img.ndim != 3 or img.shape[2] != 3:
        raise ValueError('img must be a path or a BGR (H, W, 3) uint8 '
                         f'array, got {img.dtype} {img.shape}')
    order = loader.channel_order
    source = img[..., ::-1] if order == 'rgb' else img
    if loader.to_float32:
        source = source.astype(np.float32)
    return dict(
        source=np.ascontiguousarray(source),
        source_path='<array>',
        ori_source_shape=img.shape,
        source_channel_order=order,
        source_color_type=loader.color_type)


__all__ = [
    'inference_pipeline', 'loaded_from_array', 'LOADER', 'GROUND_TRUTH_KEYS',
    'GROUND_TRUTH_LOADERS'
]
