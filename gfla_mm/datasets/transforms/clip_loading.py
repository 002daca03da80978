# Copyright (c) OpenMMLab. All rights reserved.
"""Loading the frames, masks and skeletons of a sampled clip."""
import json
import os.path as osp
from typing import Dict, List, Optional, Sequence, Tuple

import cv2
import numpy as np
from mmcv.transforms import BaseTransform

from gfla_mm.registry import TRANSFORMS
from gfla_mm.utils import MISSING, rescale_keypoints

from ..keypoint_formats import openpose18_to_coco17, openpose18_to_h36m17
from ..pose_pair_dataset import PoseDataError


def _where(results: dict, path: str) -> str:
    return f'video {results.get("video", "?")!r}, frame {osp.basename(path)}'


def read_openpose_json(path: str,
                       num_joints: int,
                       where: str,
                       empty: str = 'error') -> np.ndarray:
    """One skeleton of an OpenPose JSON file (the official animation data).

    Reads ``people[0].pose_keypoints_2d`` = x, y, score per joint. A joint
    with x == 0 or y == 0 is missing (the official ``MISSING_VALUE = 0``
    test of ``util/openpose_utils.py``); scores are not used.

    Args:
        path (str): The JSON file.
        num_joints (int): Joints expected (17 or 18).
        where (str): Context for error messages (video and frame).
        empty (str): A file with no person: ``'error'`` raises
            :class:`PoseDataError`, ``'missing'`` returns all joints missing
            (the official renders such a frame as an all-zero structure).

    Returns:
        np.ndarray: (num_joints, 2) float32 (x, y) pixels, -1 for missing.
    """
    if not osp.isfile(path):
        raise PoseDataError(f'{where}: skeleton file {path} does not exist')
    try:
        with open(path, encoding='utf-8') as f:
            people = json.load(f)['people']
    except (json.JSONDecodeError, UnicodeDecodeError, KeyError,
            TypeError) as exc:
        raise PoseDataError(f'{where}: {path} is not an OpenPose JSON file '
                            'with a "people" list') from exc
    if not people:
        if empty == 'missing':
            return np.full((num_joints, 2), MISSING, np.float32)
        raise PoseDataError(f'{where}: skeleton file {path} has no person '
                            '("people" is empty)')
    try:
        flat = np.asarray(people[0]['pose_keypoints_2d'], dtype=np.float64)
    except (KeyError, TypeError, ValueError) as exc:
        raise PoseDataError(f'{where}: {path} has no numeric '
                            'people[0].pose_keypoints_2d') from exc
    if flat.shape != (3 * num_joints, ):
        raise PoseDataError(f'{where}: {path} holds {flat.size} values in '
                            f'pose_keypoints_2d, expected {3 * num_joints} '
                            f'(x, y, score for {num_joints} joints)')
    kps = flat.reshape(num_joints, 3)[:, :2]
    if not np.isfinite(kps).all():
        raise PoseDataError(f'{where}: {path} holds NaN/inf coordinates')
    missing = (kps == 0).any(axis=1)
    kps = np.where(missing[:, None], MISSING, kps)
    return kps.astype(np.float32)


@TRANSFORMS.register_module()
class LoadClipFrames(BaseTransform):
    """Reads the clip's frames, its reference frame and (iPER) its masks.

    Frames are read with cv2 and converted to RGB (the official reads them
    with PIL); a path repeated by padding is read once. With ``load_size``
    they are resized with bicubic interpolation, as the official
    ``F.resize(.., BICUBIC)``; masks with nearest.

    Required Keys:

    - video, clip_frame_paths, ref_frame_path; clip_mask_paths (optional)

    Added Keys:

    - frames (np.ndarray): (T, H, W, 3) uint8 RGB.
    - ref_img (np.ndarray): (H, W, 3) uint8 RGB.
    - masks (np.ndarray): (T, H, W) uint8, with masks.
    - ori_frame_shape (tuple): (H0, W0) of the files.
    - frame_channel_order ('rgb').

    Args:
        load_size (tuple, optional): (H, W) to resize to. Defaults to None
            (the files' size; the official layout stores 256x256 frames).
    """

    def __init__(self, load_size: Optional[Sequence[int]] = None) -> None:
        self.load_size = None if load_size is None else tuple(
            int(v) for v in load_size)

    def _read(self, path: str, results: dict, what: str,
              flag: int) -> np.ndarray:
        where = _where(results, path)
        if not osp.isfile(path):
            raise FileNotFoundError(f'{where}: {what} {path} does not exist')
        img = cv2.imread(path, flag)
        if img is None:
            raise OSError(f'{where}: {what} {path} cannot be decoded '
                          '(corrupt or not an image)')
        if img.ndim == 3:
            img = cv2.cvtColor(img, cv2.COLOR_BGR2RGB)
        return img

    def _load(self, paths: List[str], results: dict, what: str, flag: int,
              interpolation: int) -> Tuple[np.ndarray, Tuple[int, int]]:
        cache: Dict[str, np.ndarray] = {}
        shape = None
        for path in paths:
            if path in cache:
                continue
            img = self._read(path, results, what, flag)
            if shape is None:
                shape = img.shape[:2]
            elif img.shape[:2] != shape:
                raise ValueError(f'{_where(results, path)}: {what} is '
                                 f"{img.shape[1]}x{img.shape[0]}, the clip's "
                                 f'first is {shape[1]}x{shape[0]}')
            if self.load_size is not None and img.shape[:2] != self.load_size:
                img = cv2.resize(img, self.load_size[::-1],
                                 interpolation=interpolation)
            cache[path] = img
        return np.stack([cache[p] for p in paths]), shape

    def transform(self, results: dict) -> dict:
        frames, shape = self._load(results['clip_frame_paths'], results,
                                   'frame', cv2.IMREAD_COLOR, cv2.INTER_CUBIC)
        ref, ref_shape = self._load([results['ref_frame_path']], results,
                                    'reference frame', cv2.IMREAD_COLOR,
                                    cv2.INTER_CUBIC)
        if self.load_size is None and ref_shape != shape:
            raise ValueError(f'{_where(results, results["ref_frame_path"])}: '
                             f'reference frame is {ref_shape[1]}x'
                             f'{ref_shape[0]}, the clip is {shape[1]}x'
                             f'{shape[0]}')
        results['frames'] = frames
        results['ref_img'] = ref[0]
        results['ori_frame_shape'] = shape
        results['frame_channel_order'] = 'rgb'
        if 'clip_mask_paths' in results:
            masks, mask_shape = self._load(results['clip_mask_paths'],
                                           results, 'mask',
                                           cv2.IMREAD_GRAYSCALE,
                                           cv2.INTER_NEAREST)
            if self.load_size is None and mask_shape != shape:
                raise ValueError(
                    f'video {results.get("video", "?")!r}: masks are '
                    f'{mask_shape[1]}x{mask_shape[0]}, frames '
                    f'{shape[1]}x{shape[0]}')
            results['masks'] = masks
        return results

    def __repr__(self) -> str:
        return f'{self.__class__.__name__}(load_size={self.load_size})'


@TRANSFORMS.register_module()
class LoadClipSkeletons(BaseTransform):
    """Reads the skeletons of a clip, as the official ``DanceDataset``.

    The two skeleton kinds hold different joints per channel (official):

    - driving skeletons (``keypoints``), one per clip frame, from the
      **clean** track: Human3.6M-17 order (pelvis, r_hip, r_knee, r_ankle,
      l_hip, l_knee, l_ankle, spine, thorax, neck_base, head, l_shoulder,
      l_elbow, l_wrist, r_shoulder, r_elbow, r_wrist; ``H36M17_NAMES``);
    - the reference skeleton (``ref_keypoints``), from the **noisy**
      (AlphaPose) OpenPose-18 track converted to COCO-17 order (nose,
      l_eye, r_eye, l_ear, r_ear, l_shoulder, r_shoulder, ... r_ankle;
      ``COCO17_NAMES``; the neck is dropped).

    So channel k of the reference's structure and channel k of a driving
    structure are, in general, different joints; the model learns this.
    Coordinates are rescaled from the files' frame size (``ori_frame_shape``)
    to the loaded one (``frames``), as the official ``modify_coor``.

    Required Keys:

    - video, clip_skeleton_paths, ref_skeleton_path, frames,
      ori_frame_shape; clip_noisy_skeleton_paths (``load_noisy`` or
      ``driving='noisy'``)

    Added Keys:

    - keypoints (np.ndarray): (T, 17, 2) float32 (x, y), H36M-17, -1
      missing.
    - ref_keypoints (np.ndarray): (17, 2) float32, COCO-17.
    - noisy_keypoints (np.ndarray): (T, 17, 2) COCO-17 of the noisy track
      (``load_noisy``; the official ``gen_kps_noise``).

    Args:
        empty (str): A skeleton file with no person: ``'error'`` or
            ``'missing'`` (all joints missing; the official's behaviour).
            Defaults to ``'error'``.
        load_noisy (bool): Also read the clip's noisy track. Defaults to
            False.
        driving (str): Track of the driving skeletons: ``'clean'`` (the
            Motion Extraction Net's, official) or ``'noisy'`` (the
            detector's OpenPose-18 track converted to Human3.6M-17: the
            Seq-Animation variant of paper Table IV, no MEN). Defaults to
            ``'clean'``.
    """

    DRIVING = ('clean', 'noisy')

    def __init__(self,
                 empty: str = 'error',
                 load_noisy: bool = False,
                 driving: str = 'clean') -> None:
        if empty not in ('error', 'missing'):
            raise ValueError(f"empty must be 'error' or 'missing', got "
                             f'{empty!r}')
        if driving not in self.DRIVING:
            raise ValueError(f'driving must be one of {self.DRIVING}, got '
                             f'{driving!r}')
        self.empty = empty
        self.load_noisy = load_noisy
        self.driving = driving

    def _track(self, paths: List[str], num_joints: int,
               results: dict) -> np.ndarray:
        cache: Dict[str, np.ndarray] = {}
        for path in paths:
            if path not in cache:
                cache[path] = read_openpose_json(path, num_joints,
                                                 _where(results, path),
                                                 self.empty)
        return np.stack([cache[p] for p in paths])

    def transform(self, results: dict) -> dict:
        src = results['ori_frame_shape']
        dst = results['frames'].shape[1:3]
        if self.driving == 'clean':
            driving = self._track(results['clip_skeleton_paths'], 17,
                                  results)
        else:
            driving = openpose18_to_h36m17(
                self._track(results['clip_noisy_skeleton_paths'], 18,
                            results))
        results['keypoints'] = rescale_keypoints(driving, src, dst)
        ref = self._track([results['ref_skeleton_path']], 18, results)[0]
        results['ref_keypoints'] = rescale_keypoints(
            openpose18_to_coco17(ref)[0], src, dst)
        if self.load_noisy:
            noisy = self._track(results['clip_noisy_skeleton_paths'], 18,
                                results)
            results['noisy_keypoints'] = rescale_keypoints(
                openpose18_to_coco17(noisy)[0], src, dst)
        return results

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(empty={self.empty!r}, '
                f'load_noisy={self.load_noisy}, driving={self.driving!r})')


__all__ = ['LoadClipFrames', 'LoadClipSkeletons', 'read_openpose_json']
