# Copyright (c) OpenMMLab. All rights reserved.
"""Reading the poses users give the inference API: arrays, ``.npy`` files,
and JSON files (gfla_mm's own, or mmpose's prediction files)."""
import json
import os.path as osp
from typing import Any, Optional, Sequence, Union

import numpy as np

from gfla_mm.datasets.keypoint_formats import coco17_to_openpose18

PoseLike = Union[str, np.ndarray, Sequence]


def _from_instances(instances: list, where: str,
                    score_thr: float) -> np.ndarray:
    """mmpose's prediction JSON (``MMPoseInferencer(pred_out_dir=...)``,
    ``demo/topdown_demo_with_mmdet.py --save-predictions``): a list of
    person instances with COCO-17 ``keypoints`` and ``keypoint_scores``; the
    first person is used."""
    if not instances:
        raise ValueError(f'{where}: no person instance in the predictions')
    first = instances[0]
    if 'keypoint_scores' not in first:
        raise ValueError(f'{where}: an instance without keypoint_scores; '
                         'mmpose prediction files carry both keypoints and '
                         'keypoint_scores')
    try:
        return coco17_to_openpose18(first['keypoints'],
                                    first['keypoint_scores'], score_thr)
    except ValueError as exc:
        raise ValueError(f'{where}: {exc} (a COCO-17 body model is needed)'
                         ) from exc


def _parse_json(data: Any, where: str, score_thr: float) -> Any:
    if isinstance(data, dict):
        if 'instance_info' in data:  # mmpose's --save-predictions layout
            data = data['instance_info']
        elif 'keypoints' in data:
            return data['keypoints']
        else:
            raise ValueError(f'{where}: a JSON object needs a "keypoints" '
                             f'(or mmpose "instance_info") key, got keys '
                             f'{sorted(data)}')
    if isinstance(data, list) and data and isinstance(data[0], dict):
        if 'frame_id' in data[0]:  # mmpose video: one entry per frame
            return np.stack([
                _from_instances(frame['instances'],
                                f'{where}, frame {frame["frame_id"]}',
                                score_thr) for frame in data
            ])
        return _from_instances(data, where, score_thr)
    if (isinstance(data, list) and data and isinstance(data[0], list)
            and data[0] and isinstance(data[0][0], dict)):
        # MMPoseInferencer on a video: a list of per-frame instance lists.
        return np.stack([
            _from_instances(frame, f'{where}, frame {i}', score_thr)
            for i, frame in enumerate(data)
        ])
    return data


def _from_annotation(path: str, where: str, image_name: Optional[str],
                     allow_sequence: bool) -> np.ndarray:
    """A pose of an official ``*-annotation-*.csv``: the row of
    ``image_name``, else (sequences) every row in name order."""
    from gfla_mm.datasets.pose_pair_dataset import (
        PoseDataError,
        load_pose_annotations,
    )
    try:
        table = load_pose_annotations(path, frame=None)
    except PoseDataError as exc:
        raise ValueError(f'{where}: {exc}') from exc
    if image_name is not None and osp.basename(image_name) in table:
        return table[osp.basename(image_name)]
    if allow_sequence:
        return np.stack([table[n] for n in sorted(table)]) if table else (
            np.zeros((0, 18, 2), np.float32))
    raise ValueError(f'{where}: no row named '
                     f'{osp.basename(image_name or "") or "<none>"} among '
                     f'its {len(table)} poses (a single pose is looked up '
                     "by the image's file name)")


def load_keypoints(pose: PoseLike,
                   name: str = 'pose',
                   allow_sequence: bool = False,
                   score_thr: float = 0.3,
                   image_name: Optional[str] = None) -> np.ndarray:
    """OpenPose-18 keypoints from an array or a ``.npy``, JSON or CSV file.

    Accepted: an (18, 2) array or nested list of (x, y) pixels, -1 for a
    missing joint; with ``allow_sequence`` also (T, 18, 2) (one pose per
    frame); a ``.npy`` file holding either; a ``.json`` file holding either,
    or ``{"keypoints": ...}``, or mmpose's prediction files (COCO-17
    keypoints and scores of the first person, converted; joints scoring
    below ``score_thr`` are missing); an official GFLA annotation ``.csv``
    (``name:keypoints_y:keypoints_x``): the row of ``image_name``, else,
    with ``allow_sequence``, every pose in name order.

    Args:
        pose: The pose, or the path of a file holding it.
        name (str): What the pose is, for error messages.
        allow_sequence (bool): Accept (T, 18, 2). Defaults to False.
        score_thr (float): Score threshold for mmpose predictions.
        image_name (str, optional): The image whose row of an annotation
            CSV is wanted (its file name is looked up).

    Returns:
        np.ndarray: float32 (18, 2), or (T, 18, 2) for sequences.

    Raises:
        FileNotFoundError: a named file does not exist.
        ValueError: unreadable content, a wrong shape or non-finite values;
            the message names the file (or ``name``) and the shape.
    """
    where = name
    if isinstance(pose, str):
        where = f'{name} file {pose}'
        if not osp.isfile(pose):
            raise FileNotFoundError(f'{where} does not exist')
        try:
            if pose.lower().endswith('.npy'):
                pose = np.load(pose, allow_pickle=False)
            elif pose.lower().endswith('.json'):
                with open(pose) as f:
                    pose = _parse_json(json.load(f), where, score_thr)
            elif pose.lower().endswith('.csv'):
                pose = _from_annotation(pose, where, image_name,
                                        allow_sequence)
            else:
                raise ValueError(f'{where}: keypoints are read from .json, '
                                 '.npy or annotation .csv files (or '
                                 'extracted from an image)')
        except (OSError, json.JSONDecodeError) as exc:
            raise ValueError(f'{where} cannot be read: {exc}') from exc
    try:
        kps = np.asarray(pose, dtype=np.float32)
    except (TypeError, ValueError) as exc:
        raise ValueError(f'{where}: not a numeric (18, 2) keypoint array '
                         f'({exc})') from exc
    shapes = '(18, 2) or (T, 18, 2)' if allow_sequence else '(18, 2)'
    if kps.shape[-2:] != (18, 2) or kps.ndim not in ((2, 3) if allow_sequence
                                                      else (2, )):
        raise ValueError(f'{where}: OpenPose-18 keypoints of shape {shapes} '
                         f'expected, got {kps.shape}')
    if kps.ndim == 3 and kps.shape[0] == 0:
        raise ValueError(f'{where}: the pose sequence is empty')
    if not np.isfinite(kps).all():
        raise ValueError(f'{where}: keypoints contain NaN or inf; mark a '
                         'missing joint with -1')
    return kps


__all__ = [
    'load_keypoints', 'PoseLike'
]
