# Copyright (c) OpenMMLab. All rights reserved.
"""Skeleton-sequence datasets for the Motion Extraction Network: pairs of
noisy detected COCO-17 tracks and clean Human3.6M-17 tracks, served as
windows of ``target_frames + receptive_field - 1`` input frames."""
import os.path as osp
import pickle
from typing import Dict, List, Optional, Sequence, Tuple

import numpy as np
from mmengine.dataset import BaseDataset
from mmengine.logging import print_log

from gfla_mm.registry import DATASETS
from gfla_mm.utils import fill_missing_joints, normalize_screen_coordinates

from .keypoint_formats import COCO17_FLIP_INDEX
from .pose_pair_dataset import PoseDataError
from .synthetic_skeletons import synthetic_skeleton_track

# VideoPose3D's split of Human3.6M (the official's, corrected: its subject
# lists are exclusion lists).
H36M_TRAIN_SUBJECTS = ('S1', 'S5', 'S6', 'S7', 'S8')
H36M_TEST_SUBJECTS = ('S9', 'S11')


class SkeletonSequenceDataset(BaseDataset):
    """Windows over (noisy input, clean target) skeleton tracks.

    Subclasses give the tracks (:meth:`load_sequences`). Every track's
    missing input joints are filled once (:func:`fill_missing_joints`:
    interpolated in time, then held) and both tracks are normalised by the
    frame width. Each track is cut into windows of ``target_frames``
    consecutive target frames (the last one moved back to end at the
    track's end); a window's input spans ``receptive_field // 2`` frames
    more on each side, frame indices clamped at the track's ends (the
    official's replicate padding).

    Each sample: ``noisy_joints`` (target_frames + receptive_field - 1, 17,
    2) and ``gt_joints`` (target_frames, 17, 2) float32 normalised,
    ``sequence``, ``start`` (first target frame), ``frame_width``,
    ``num_filled`` (input joints filled in the whole track).

    Args:
        target_frames (int): Output frames per window (official 24).
        receptive_field (int): The network's (81).
        pipeline (list): Transforms.
        test_mode (bool): As mmengine's ``BaseDataset``.
        **kwargs: Other ``BaseDataset`` arguments.
    """

    METAINFO = dict(
        dataset_type='skeleton_sequence',
        input_format='coco17',
        target_format='h36m17')

    def __init__(self,
                 target_frames: int = 24,
                 receptive_field: int = 81,
                 pipeline: Optional[list] = None,
                 test_mode: bool = False,
                 **kwargs) -> None:
        if target_frames < 1 or receptive_field < 1 or \
                receptive_field % 2 == 0:
            raise ValueError('target_frames must be >= 1 and '
                             'receptive_field odd, got '
                             f'{target_frames} and {receptive_field}')
        self.target_frames = target_frames
        self.receptive_field = receptive_field
        self.sequences: List[Dict] = []
        super().__init__(
            pipeline=pipeline or [], test_mode=test_mode, **kwargs)

    def load_sequences(self) -> List[Dict]:
        """The tracks: dicts of ``name``, ``noisy`` (T, 17, 2) COCO-17
        pixels (-1 = missing), ``clean`` (T, 17, 2) H36M-17 pixels and
        ``frame_width``."""
        raise NotImplementedError

    def load_data_list(self) -> List[dict]:
        self.sequences = []
        data_list = []
        for seq in self.load_sequences():
            name, noisy, clean = seq['name'], seq['noisy'], seq['clean']
            if noisy.shape[1:] != (17, 2) or clean.shape[1:] != (17, 2):
                raise PoseDataError(
                    f'{name}: tracks must be (T, 17, 2), got input '
                    f'{noisy.shape} and target {clean.shape}')
            if len(clean) < self.target_frames:
                raise PoseDataError(
                    f'{name}: {len(clean)} frames, fewer than a window of '
                    f'{self.target_frames} target frames (lower '
                    'target_frames)')
            if not np.isfinite(clean).all():
                raise PoseDataError(f'{name}: the target track has NaN/inf '
                                    'joints')
            filled, num_filled = fill_missing_joints(
                noisy, mirror=COCO17_FLIP_INDEX, name=name)
            width = float(seq['frame_width'])
            index = len(self.sequences)
            self.sequences.append(
                dict(
                    name=name,
                    noisy=normalize_screen_coordinates(filled, width).astype(
                        np.float32),
                    clean=normalize_screen_coordinates(clean, width).astype(
                        np.float32),
                    frame_width=width,
                    num_filled=num_filled))
            num = len(clean)
            starts = list(range(0, num - self.target_frames + 1,
                                self.target_frames))
            if starts[-1] + self.target_frames < num:
                starts.append(num - self.target_frames)
            data_list += [dict(sequence_index=index, start=s) for s in starts]
        if not data_list:
            raise PoseDataError(f'{type(self).__name__}: no sequences found')
        return data_list

    def get_data_info(self, idx: int) -> dict:
        info = super().get_data_info(idx)
        seq = self.sequences[info['sequence_index']]
        start, half = info['start'], self.receptive_field // 2
        frames = np.clip(
            np.arange(start - half, start + self.target_frames + half), 0,
            len(seq['noisy']) - 1)
        info.update(
            noisy_joints=seq['noisy'][frames],
            gt_joints=seq['clean'][start:start + self.target_frames],
            sequence=seq['name'],
            frame_width=seq['frame_width'],
            num_filled=seq['num_filled'])
        return info


def _load_positions(path: str) -> Dict:
    """VideoPose3D's ``positions_2d``: subject -> action -> [camera
    arrays (T, 17, >=2)]."""
    if not osp.isfile(path):
        raise FileNotFoundError(
            f"{path} not found: download VideoPose3D's Human3.6M 2-D files"
            ' (docs/animation.md, "Human3.6M")')
    try:
        with np.load(path, allow_pickle=True) as data:
            if 'positions_2d' not in data:
                raise PoseDataError(f'{path}: no "positions_2d" array (keys:'
                                    f' {list(data.keys())})')
            return data['positions_2d'].item()
    except (OSError, ValueError, pickle.UnpicklingError) as e:
        raise PoseDataError(f'{path}: not a readable .npz ({e})') from e


@DATASETS.register_module()
class H36MSkeletonDataset(SkeletonSequenceDataset):
    """Human3.6M 2-D skeletons as VideoPose3D publishes them, the Motion
    Extraction Network's training data (official: train S1, S5-S8; test
    S9, S11).

    ``{data_root}/data_2d_h36m_detectron_pt_coco.npz`` (Detectron's noisy
    COCO-17 detections; a score channel is dropped) is the input and
    ``{data_root}/data_2d_h36m_gt.npz`` (projected ground truth,
    Human3.6M-17) the target; both in pixels of the 1000-pixel-wide frames.
    Input and target of a camera are cut to the shorter length; actions
    that only one file has are skipped (logged).

    Args:
        data_root (str): Folder of the two files.
        subjects (Sequence[str]): Defaults to the training subjects.
        actions (Sequence[str], optional): Action names (e.g.
            ``'Walking 1'``); None for all.
        cameras (Sequence[int], optional): Camera indices 0-3; None for
            all.
        input_file, target_file (str): File names.
        frame_width (float): Width for normalisation. Defaults to 1000.
        **kwargs: :class:`SkeletonSequenceDataset` arguments.
    """

    def __init__(self,
                 data_root: str,
                 subjects: Sequence[str] = H36M_TRAIN_SUBJECTS,
                 actions: Optional[Sequence[str]] = None,
                 cameras: Optional[Sequence[int]] = None,
                 input_file: str = 'data_2d_h36m_detectron_pt_coco.npz',
                 target_file: str = 'data_2d_h36m_gt.npz',
                 frame_width: float = 1000.0,
                 **kwargs) -> None:
        self.subjects = tuple(subjects)
        self.actions = None if actions is None else set(actions)
        self.cameras = None if cameras is None else set(cameras)
        self.input_file = osp.join(data_root, input_file)
        self.target_file = osp.join(data_root, target_file)
        self.frame_width = frame_width
        super().__init__(data_root=data_root, **kwargs)

    def load_sequences(self) -> List[Dict]:
        noisy_all = _load_positions(self.input_file)
        clean_all = _load_positions(self.target_file)
        sequences, skipped = [], []
        for subject in self.subjects:
            for path, data in ((self.input_file, noisy_all),
                               (self.target_file, clean_all)):
                if subject not in data:
                    raise PoseDataError(f'{path}: no subject {subject!r} '
                                        f'(has {sorted(data)})')
            for action in sorted(clean_all[subject]):
                if self.actions is not None and action not in self.actions:
                    continue
                if action not in noisy_all[subject]:
                    skipped.append(f'{subject}/{action}')
                    continue
                pairs = zip(noisy_all[subject][action],
                            clean_all[subject][action])
                for cam, (noisy, clean) in enumerate(pairs):
                    if self.cameras is not None and cam not in self.cameras:
                        continue
                    name = f'{subject}/{action}/cam{cam}'
                    noisy, clean = np.asarray(noisy), np.asarray(clean)
                    for what, arr in (('input', noisy), ('target', clean)):
                        if arr.ndim != 3 or arr.shape[1] != 17 or \
                                arr.shape[2] < 2:
                            raise PoseDataError(
                                f'{name}: {what} array of shape {arr.shape}'
                                ', expected (T, 17, >=2)')
                    num = min(len(noisy), len(clean))
                    sequences.append(
                        dict(
                            name=name,
                            noisy=noisy[:num, :, :2].astype(np.float64),
                            clean=clean[:num, :, :2].astype(np.float64),
                            frame_width=self.frame_width))
        if skipped:
            print_log(
                f'H36MSkeletonDataset: {len(skipped)} actions only in '
                f'{self.target_file}, skipped: {skipped}', logger='current')
        return sequences


@DATASETS.register_module()
class SyntheticSkeletonDataset(SkeletonSequenceDataset):
    """Synthetic mannequin tracks (:func:`synthetic_skeleton_track`), the
    offline twin of :class:`H36MSkeletonDataset`: exact Human3.6M-17
    targets, detector-like COCO-17 inputs. Generated in memory,
    deterministic per ``seed`` (use different seeds for train and test).

    Args:
        num_sequences (int): Tracks. Defaults to 32.
        num_frames (int): Frames per track. Defaults to 240.
        frame_size (tuple): (H, W) the joints live in. Defaults to (256,
            256).
        seed (int): Defaults to 0.
        noise (dict, optional): :func:`detector_noise` options.
        **kwargs: :class:`SkeletonSequenceDataset` arguments.
    """

    def __init__(self,
                 num_sequences: int = 32,
                 num_frames: int = 240,
                 frame_size: Tuple[int, int] = (256, 256),
                 seed: int = 0,
                 noise: Optional[dict] = None,
                 **kwargs) -> None:
        self.num_sequences = num_sequences
        self.num_frames = num_frames
        self.frame_size = tuple(frame_size)
        self.seed = seed
        self.noise = noise or {}
        super().__init__(**kwargs)

    def load_sequences(self) -> List[Dict]:
        rng = np.random.default_rng(self.seed)
        sequences = []
        for i in range(self.num_sequences):
            track = synthetic_skeleton_track(rng, self.num_frames,
                                             self.frame_size, **self.noise)
            sequences.append(
                dict(
                    name=f'synthetic{self.seed}_{i:04d}',
                    noisy=track['noisy'],
                    clean=track['clean'],
                    frame_width=self.frame_size[1]))
        return sequences


__all__ = [
    'SkeletonSequenceDataset', 'H36MSkeletonDataset',
    'SyntheticSkeletonDataset', 'H36M_TRAIN_SUBJECTS', 'H36M_TEST_SUBJECTS'
]
