# Copyright (c) OpenMMLab. All rights reserved.
"""Person videos with skeleton tracks in the official GFLA animation layout
(FashionVideo, iPER, the synthetic clips)."""
import ast
import csv
import os
import os.path as osp
from typing import Dict, List, Optional, Sequence

from mmengine.dataset import BaseDataset

from gfla_mm.registry import DATASETS

from .pose_pair_dataset import PoseDataError

IMAGE_SUFFIXES = ('.png', '.jpg', '.jpeg')
LIST_COLUMNS = ('A_paths', 'B_paths_clean', 'B_paths_noise')


def _list_files(folder: str, suffixes: Sequence[str]) -> Dict[str, str]:
    """File stem -> file name of the files in ``folder`` with a suffix."""
    out = {}
    for name in os.listdir(folder):
        stem, ext = osp.splitext(name)
        if ext.lower() in suffixes:
            out[stem] = name
    return out


@DATASETS.register_module()
class PoseVideoDataset(BaseDataset):
    """Videos of one person with per-frame skeletons, for GFLA's animation
    model; one data item is one whole video.

    Reads the official layout (``dataset/danceFashion``, ``dataset/iPER``)::

        {data_root}/{split}_256/train_A/VIDEO/00000.png ...   frames
        {data_root}/{split}_256/train_video2d/VIDEO/00000.json  clean H36M-17
        {data_root}/{split}_256/train_alphapose/VIDEO/00000.json noisy
                                                                OpenPose-18
        {data_root}/{split}_256/train_C/VIDEO/00000.png ...   masks (iPER,
                                                                ``mask_dir``)

    (the official names the folders ``train_*`` in the test split too). The
    skeleton files are OpenPose JSON: ``people[0].pose_keypoints_2d`` =
    x, y, score per joint, 0 for a missing joint; the clean track (the
    Motion Extraction Net's output, ``"version": "Video to Pose 2D"``) has
    17 Human3.6M joints, the noisy one (AlphaPose) 18 OpenPose joints. The
    synthetic clips (:func:`make_synthetic_clips`) are written in this
    layout.

    Videos are either every sub-folder of ``frame_dir`` (sorted), or the
    rows of a list CSV (``video_list``, e.g. the official
    ``test_list.csv`` / ``val_list.csv``) with the columns ``A_paths``,
    ``B_paths_clean`` and ``B_paths_noise``, each a python-literal dict
    ``{'gen': [frame paths], 'ref': [reference candidate paths]}``
    (``B_paths_clean['ref']`` is not used: the reference skeleton comes from
    the noisy track, as the official). A listed path that does not exist as
    written (the official lists hold the authors' paths) is looked up by its
    last three parts (``train_A/VIDEO/00000.png``) under the split folder.

    Every frame must have a skeleton file of the same name in both tracks
    (and a mask, with ``mask_dir``), and every track as many files as there
    are frames; the dataset checks this when it is built and raises
    :class:`PoseDataError` naming the video and the frame.

    Each data item holds:

    - ``video`` (str): video name (its folder).
    - ``num_frames`` (int): L, the number of frames.
    - ``frame_paths``, ``clean_skeleton_paths``, ``noisy_skeleton_paths``
      (list[str], length L), and ``mask_paths`` with ``mask_dir``.
    - ``ref_frame_paths``, ``ref_skeleton_paths`` (list[str]): reference
      candidates (frames and their noisy skeletons); the whole video in the
      folder mode (:class:`TemporalClipSample` keeps the first 20, as the
      official), the CSV's ``ref`` lists otherwise.

    Args:
        data_root (str): Dataset folder (``dataset/danceFashion``).
        split (str): ``'train'`` or ``'test'`` (any string). Defaults to
            ``'train'``.
        split_dir (str): Folder of the split under ``data_root``;
            ``{split}`` is replaced. Defaults to ``'{split}_256'``.
        frame_dir (str): Frames folder in the split. Defaults to
            ``'train_A'``.
        clean_dir (str): Clean H36M-17 skeletons. Defaults to
            ``'train_video2d'``.
        noisy_dir (str): Noisy OpenPose-18 skeletons. Defaults to
            ``'train_alphapose'``.
        mask_dir (str, optional): Foreground masks (iPER training:
            ``'train_C'``). Defaults to None (no masks).
        video_list (str, optional): List CSV under ``data_root`` (or an
            absolute path), e.g. ``'test_256/test_list.csv'``. Defaults to
            None (every video of ``frame_dir``).
        pipeline (list): Transforms.
        test_mode (bool): As mmengine's ``BaseDataset``.
        **kwargs: Other ``BaseDataset`` arguments (``indices``, ...).
    """

    METAINFO = dict(
        dataset_type='pose_video',
        driving_keypoint_format='h36m17',
        reference_keypoint_format='openpose18')

    def __init__(self,
                 data_root: str,
                 split: str = 'train',
                 split_dir: str = '{split}_256',
                 frame_dir: str = 'train_A',
                 clean_dir: str = 'train_video2d',
                 noisy_dir: str = 'train_alphapose',
                 mask_dir: Optional[str] = None,
                 video_list: Optional[str] = None,
                 pipeline: Optional[list] = None,
                 test_mode: bool = False,
                 **kwargs) -> None:
        self.split = split
        self.split_root = osp.join(data_root, split_dir.format(split=split))
        self.track_dirs = dict(
            frame=osp.join(self.split_root, frame_dir),
            clean=osp.join(self.split_root, clean_dir),
            noisy=osp.join(self.split_root, noisy_dir))
        if mask_dir is not None:
            self.track_dirs['mask'] = osp.join(self.split_root, mask_dir)
        self.video_list = (None if video_list is None else osp.join(
            data_root, video_list))
        super().__init__(
            data_root=data_root,
            pipeline=pipeline or [],
            test_mode=test_mode,
            **kwargs)

    # -- folder mode --------------------------------------------------------
    def _video_tracks(self, video: str) -> dict:
        """Checked per-frame paths of one video of the folder layout."""
        frame_folder = osp.join(self.track_dirs['frame'], video)
        frames = _list_files(frame_folder, IMAGE_SUFFIXES)
        if not frames:
            raise PoseDataError(f'video {video!r}: no frames in '
                                f'{frame_folder}')
        stems = sorted(frames)
        info = dict(
            video=video,
            num_frames=len(stems),
            frame_paths=[osp.join(frame_folder, frames[s]) for s in stems])
        tracks = [('clean', 'clean_skeleton_paths', ('.json', ), 'skeleton'),
                  ('noisy', 'noisy_skeleton_paths', ('.json', ), 'skeleton')]
        if 'mask' in self.track_dirs:
            tracks.append(('mask', 'mask_paths', IMAGE_SUFFIXES, 'mask'))
        for track, key, suffixes, what in tracks:
            folder = osp.join(self.track_dirs[track], video)
            if not osp.isdir(folder):
                raise PoseDataError(f'video {video!r}: no {what} folder '
                                    f'{folder}')
            files = _list_files(folder, suffixes)
            for stem in stems:
                if stem not in files:
                    raise PoseDataError(
                        f'video {video!r}, frame {frames[stem]}: no {what} '
                        f'file {stem}{suffixes[0]} in {folder}')
            if len(files) != len(stems):
                extra = sorted(set(files) - set(stems))
                raise PoseDataError(
                    f'video {video!r}: {len(stems)} frames but '
                    f'{len(files)} {what} files in {folder} (no frame for '
                    f'{", ".join(files[s] for s in extra[:3])})')
            info[key] = [osp.join(folder, files[s]) for s in stems]
        info['ref_frame_paths'] = list(info['frame_paths'])
        info['ref_skeleton_paths'] = list(info['noisy_skeleton_paths'])
        return info

    def _load_folders(self) -> List[dict]:
        for track, folder in self.track_dirs.items():
            if not osp.isdir(folder):
                raise FileNotFoundError(f'{track} folder not found: {folder}')
        videos = sorted(
            v for v in os.listdir(self.track_dirs['frame'])
            if osp.isdir(osp.join(self.track_dirs['frame'], v)))
        if not videos:
            raise PoseDataError(f'no video folders in '
                                f'{self.track_dirs["frame"]}')
        return [self._video_tracks(v) for v in videos]

    # -- list mode ----------------------------------------------------------
    def _resolve(self, path: str, where: str) -> str:
        for candidate in (path, osp.join(self.data_root, path)):
            if osp.isfile(candidate):
                return candidate
        parts = osp.normpath(path).replace('\\', '/').split('/')
        candidate = osp.join(self.split_root, *parts[-3:])
        if osp.isfile(candidate):
            return candidate
        raise PoseDataError(f'{where}: {path} does not exist (nor '
                            f'{candidate})')

    def _load_list(self) -> List[dict]:
        if not osp.isfile(self.video_list):
            raise FileNotFoundError(f'video list not found: '
                                    f'{self.video_list}')
        data_list = []
        with open(self.video_list, newline='', encoding='utf-8') as f:
            reader = csv.DictReader(f)
            missing = [c for c in LIST_COLUMNS
                       if c not in (reader.fieldnames or [])]
            if missing:
                raise PoseDataError(f'{self.video_list}: no column(s) '
                                    f'{", ".join(missing)}; has '
                                    f'{reader.fieldnames}')
            for row_no, row in enumerate(reader, start=2):
                where = f'{self.video_list}, row {row_no}'
                cells = {}
                for column in LIST_COLUMNS:
                    try:
                        cell = ast.literal_eval(row[column])
                    except (ValueError, SyntaxError) as exc:
                        raise PoseDataError(
                            f'{where}: {column} is not a python-literal '
                            f"dict {{'gen': [...], 'ref': [...]}}") from exc
                    if (not isinstance(cell, dict) or not all(
                            isinstance(cell.get(k), list)
                            for k in ('gen', 'ref'))):
                        raise PoseDataError(f"{where}: {column} must hold "
                                            "lists 'gen' and 'ref'")
                    cells[column] = cell
                gen = cells['A_paths']['gen']
                if not gen:
                    raise PoseDataError(f"{where}: A_paths['gen'] is empty")
                video = osp.basename(osp.dirname(gen[0]))
                lengths = {c: len(cells[c]['gen']) for c in LIST_COLUMNS}
                if len(set(lengths.values())) != 1:
                    raise PoseDataError(f'{where}: video {video!r} lists '
                                        f"mismatched 'gen' lengths {lengths}")
                refs = (len(cells['A_paths']['ref']),
                        len(cells['B_paths_noise']['ref']))
                if refs[0] != refs[1] or not refs[0]:
                    raise PoseDataError(
                        f'{where}: video {video!r} lists {refs[0]} reference '
                        f'frames and {refs[1]} reference skeletons (need the '
                        'same number, at least one)')

                def resolved(column, part):
                    return [
                        self._resolve(p, f'{where}, video {video!r}')
                        for p in cells[column][part]
                    ]

                data_list.append(
                    dict(
                        video=video,
                        num_frames=len(gen),
                        frame_paths=resolved('A_paths', 'gen'),
                        clean_skeleton_paths=resolved('B_paths_clean', 'gen'),
                        noisy_skeleton_paths=resolved('B_paths_noise', 'gen'),
                        ref_frame_paths=resolved('A_paths', 'ref'),
                        ref_skeleton_paths=resolved('B_paths_noise', 'ref')))
        if not data_list:
            raise PoseDataError(f'{self.video_list} lists no videos')
        return data_list

    def load_data_list(self) -> List[dict]:
        if self.video_list is None:
            return self._load_folders()
        if 'mask' in self.track_dirs:
            raise ValueError('mask_dir is not supported with video_list (the '
                             'official lists have no mask column)')
        return self._load_list()


__all__ = ['PoseVideoDataset']
