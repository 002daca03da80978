# Copyright (c) OpenMMLab. All rights reserved.
"""Cleaning detected skeleton tracks with the Motion Extraction Network:
reading tracks (OpenPose/AlphaPose JSON folders, ``.npy``, mmpose
prediction files), the network from a config + checkpoint (gfla_mm's or
the official release), and writing the official ``"Video to Pose 2D"``
JSON."""
import json
import os
import os.path as osp
from typing import Callable, List, Optional, Tuple

import numpy as np
import torch
from mmengine.config import Config

from gfla_mm.datasets.keypoint_formats import openpose18_to_coco17
from gfla_mm.datasets.pose_pair_dataset import PoseDataError
from gfla_mm.datasets.transforms.clip_loading import read_openpose_json
from gfla_mm.engine import load_from_local_weights_only
from gfla_mm.registry import MODELS
from gfla_mm.utils import MISSING

from .pose_inputs import load_keypoints

VIDEO2D_VERSION = 'Video to Pose 2D'


def _coco_from_array(arr: np.ndarray, where: str,
                     score_thr: float) -> np.ndarray:
    """(T, 17 | 18, 2 | 3) -> COCO-17 (T, 17, 2) with -1 for missing."""
    if arr.ndim != 3 or arr.shape[1] not in (17, 18) or \
            arr.shape[2] not in (2, 3):
        raise ValueError(f'{where}: a track must be (T, 17, 2|3) COCO-17 or '
                         f'(T, 18, 2|3) OpenPose-18, got {arr.shape}')
    kps = arr[..., :2].astype(np.float64)
    if arr.shape[2] == 3:
        kps[arr[..., 2] < score_thr] = MISSING
    if arr.shape[1] == 18:
        kps, _ = openpose18_to_coco17(kps)
    return kps


def json_skeleton(path: str, where: str, score_thr: float) -> np.ndarray:
    """One frame's JSON: OpenPose format (18 or 17 joints) or mmpose's.

    Args:
        path (str): The file.
        where (str): What to name in errors (e.g. the folder and frame).
        score_thr (float): Joints scoring below it are missing.
    """
    with open(path, encoding='utf-8') as f:
        try:
            data = json.load(f)
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise PoseDataError(f'{where}: {path} is not JSON ({exc})') \
                from exc
    if isinstance(data, dict) and 'people' in data:
        people = data['people']
        count = len(people[0].get('pose_keypoints_2d', [])) // 3 \
            if people else 18
        if count not in (17, 18):
            raise PoseDataError(
                f'{where}: {path} has {count} joints per person; OpenPose-18'
                " (AlphaPose's OpenPose format) or COCO-17 are supported")
        kps = read_openpose_json(path, count, where, empty='missing')
        return _coco_from_array(kps[None], where, 0.0)[0]
    # mmpose's prediction file of one image (COCO-17 + scores)
    try:
        op18 = load_keypoints(path, name=where, score_thr=score_thr)
    except ValueError as exc:
        if 'no person' in str(exc):
            return np.full((17, 2), MISSING, np.float64)
        raise PoseDataError(str(exc)) from exc
    return openpose18_to_coco17(op18)[0]


def load_skeleton_track(path: str,
                        score_thr: float = 0.3,
                        progress: Optional[Callable] = None
                        ) -> Tuple[np.ndarray, List[str]]:
    """A detected skeleton track as COCO-17.

    Accepted: a folder of per-frame JSON files (OpenPose/AlphaPose's
    OpenPose format with 18 or 17 joints, or mmpose's per-image prediction
    files), frames in file-name order; a ``.npy`` of (T, 17 | 18, 2 | 3)
    (COCO-17 or OpenPose-18, optional score channel); mmpose's prediction
    file of a whole video (``.json``). A frame without a person gets all
    joints missing.

    Args:
        path (str): The folder or file.
        score_thr (float): Joints scoring lower are missing.
        progress (callable, optional): Wraps the frame iterator (tqdm).

    Returns:
        tuple: (T, 17, 2) float64 pixels (-1 = missing) and the T frame
        names (JSON file stems, or ``00000``... for single files).

    Raises:
        FileNotFoundError, PoseDataError: Missing, empty or unreadable
            input; the message names the file.
    """
    if osp.isdir(path):
        files = sorted(f for f in os.listdir(path)
                       if f.lower().endswith('.json'))
        if not files:
            raise PoseDataError(f'{path}: no .json skeleton files in the '
                                'folder')
        frames = progress(files) if progress else files
        track = np.stack([
            json_skeleton(osp.join(path, f), f'{path}, frame {f}',
                           score_thr) for f in frames
        ])
        return track, [osp.splitext(f)[0] for f in files]
    if not osp.isfile(path):
        raise FileNotFoundError(f'skeleton track {path} does not exist')
    if path.lower().endswith('.npy'):
        try:
            arr = np.load(path, allow_pickle=False)
        except (OSError, ValueError) as exc:
            raise PoseDataError(f'{path} cannot be read: {exc}') from exc
        track = _coco_from_array(arr, path, score_thr)
    elif path.lower().endswith('.json'):
        try:
            op18 = load_keypoints(path, name='skeleton track',
                                  allow_sequence=True, score_thr=score_thr)
        except ValueError as exc:
            raise PoseDataError(str(exc)) from exc
        track = _coco_from_array(np.asarray(op18)[None] if op18.ndim == 2
                                 else op18, path, 0.0)
    else:
        raise PoseDataError(f'{path}: a skeleton track is a folder of JSON '
                            'files, a .npy or an mmpose .json')
    if len(track) == 0:
        raise PoseDataError(f'{path}: the track has no frames')
    return track, [f'{i:05d}' for i in range(len(track))]


def write_video2d_json(out_dir: str, names: List[str],
                       joints: np.ndarray) -> List[str]:
    """Writes one JSON per frame in the official Motion Extraction
    Network's output format: ``{"version": "Video to Pose 2D", "people":
    [{"pose_keypoints_2d": [x, y, 1.0] * 17}]}``, Human3.6M-17 pixels.

    Args:
        out_dir (str): Created if needed.
        names (list[str]): T file stems.
        joints (np.ndarray): (T, 17, 2) pixels.

    Returns:
        list[str]: The files written.
    """
    if len(names) != len(joints):
        raise ValueError(f'{len(names)} names for {len(joints)} frames')
    os.makedirs(out_dir, exist_ok=True)
    paths = []
    for name, frame in zip(names, joints):
        flat = np.concatenate([frame, np.ones((len(frame), 1))], 1)
        path = osp.join(out_dir, f'{name}.json')
        with open(path, 'w', encoding='utf-8') as f:
            json.dump(
                dict(
                    version=VIDEO2D_VERSION,
                    people=[dict(pose_keypoints_2d=flat.ravel().tolist())]),
                f)
        paths.append(path)
    return paths


def init_motion_extractor(config: str,
                          checkpoint: Optional[str] = None,
                          device: str = 'cpu') -> torch.nn.Module:
    """A :class:`MotionExtractor` from a config, in eval mode.

    Args:
        config (str): A ``configs/motion_extractor/`` file (its ``model``).
        checkpoint (str, optional): gfla_mm's (``state_dict`` with
            ``generator.*`` keys) or the official release (the bare
            ``KPInput2DGenerator`` state dict, ``kp_input.*`` keys). None:
            random weights (tests).
        device (str): Defaults to 'cpu'.
    """
    cfg = Config.fromfile(config)
    model = MODELS.build(cfg.model)
    if checkpoint is not None:
        if not osp.isfile(checkpoint):
            raise FileNotFoundError(f'checkpoint {checkpoint} does not exist')
        # Runner checkpoints hold a message hub: mmengine's loader with
        # weights_only (and the globals Runner checkpoints need).
        state = load_from_local_weights_only(checkpoint, 'cpu')
        state = state.get('state_dict', state)
        if all(k.startswith('kp_input.') for k in state):  # official
            model.generator.load_state_dict(state)
        else:
            model.load_state_dict(state)
    return model.to(device).eval()


__all__ = [
    'load_skeleton_track', 'write_video2d_json', 'init_motion_extractor',
    'VIDEO2D_VERSION', 'json_skeleton'
]
