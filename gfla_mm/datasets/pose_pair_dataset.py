# Copyright (c) OpenMMLab. All rights reserved.
"""Source/target pose pairs in the official GFLA file format."""
import csv
import json
import math
import os.path as osp
from typing import Dict, List, Optional, Sequence, Tuple

import numpy as np
from mmengine.dataset import BaseDataset

from gfla_mm.registry import DATASETS

from .keypoint_formats import MISSING
from .synthetic import body_mask_name, flow_file_name

NUM_JOINTS = 18


class PoseDataError(ValueError):
    """Bad annotation or pair data; the message names the file and row."""


def _parse_coords(text: str, where: str, column: str) -> List[int]:
    try:
        values = json.loads(text)
    except json.JSONDecodeError as exc:
        raise PoseDataError(f'{where}: {column} is not a JSON list: '
                            f'{text!r}') from exc
    if not isinstance(values, list) or len(values) != NUM_JOINTS:
        raise PoseDataError(f'{where}: {column} must list {NUM_JOINTS} '
                            f'coordinates, got {text!r}')
    for v in values:
        if isinstance(v, float) and not math.isfinite(v):
            raise PoseDataError(f'{where}: {column} holds {v} (NaN/inf)')
        if isinstance(v, bool) or not isinstance(v, int):
            raise PoseDataError(f'{where}: {column} must hold integers '
                                f'(-1 = missing), got {v!r}')
    return values


def load_pose_annotations(path: str, frame: Optional[Tuple[int, int]]
                          ) -> Dict[str, np.ndarray]:
    """Reads an official ``*-annotation-*.csv``.

    Format: ``:``-separated with a header ``name:keypoints_y:keypoints_x``;
    the coordinates are JSON lists of 18 ints (OpenPose-18 order), -1 for a
    missing joint.

    Args:
        path (str): The CSV file.
        frame (tuple, optional): (H, W) of the images the coordinates
            refer to; coordinates outside it are an error. None checks only
            that they are not negative (other than -1).

    Returns:
        dict: image name -> (18, 2) float32 (x, y), -1 for missing.
    """
    if not osp.isfile(path):
        raise FileNotFoundError(f'annotation file not found: {path}')
    h, w = frame if frame is not None else (np.inf, np.inf)
    table: Dict[str, np.ndarray] = {}
    with open(path, newline='', encoding='utf-8') as f:
        reader = csv.reader(f, delimiter=':')
        header = next(reader, None)
        if header is None or [c.strip() for c in header] != [
                'name', 'keypoints_y', 'keypoints_x'
        ]:
            raise PoseDataError(f'{path}: header must be '
                                f'"name:keypoints_y:keypoints_x", got '
                                f'{header!r}')
        for row_no, row in enumerate(reader, start=2):
            if not row:
                continue
            where = f'{path}, row {row_no}'
            if len(row) != 3:
                raise PoseDataError(f'{where}: expected 3 ":"-separated '
                                    f'fields, got {len(row)}')
            name = row[0].strip()
            ys = np.array(_parse_coords(row[1], where, 'keypoints_y'))
            xs = np.array(_parse_coords(row[2], where, 'keypoints_x'))
            missing = (ys == MISSING) | (xs == MISSING)
            outside = ~missing & ((ys < 0) | (ys >= h) | (xs < 0) |
                                  (xs >= w))
            if outside.any():
                j = int(np.flatnonzero(outside)[0])
                raise PoseDataError(
                    f'{where}: joint {j} of {name} at (x={xs[j]}, y={ys[j]}) '
                    'lies outside ' + (f'the {h}x{w} keypoint frame'
                                       if frame is not None else 'the image'))
            kps = np.stack([xs, ys], axis=1).astype(np.float32)
            kps[missing] = MISSING
            table[name] = kps
    return table


@DATASETS.register_module()
class PosePairDataset(BaseDataset):
    """Pose-transfer pairs (DeepFashion, Market-1501, synthetic, your own).

    Reads the official layout under ``data_root``::

        {img_dir}/                  images, e.g. train/
        {pairs_file}                from,to  (comma-separated, header)
        {annotation_file}           name:keypoints_y:keypoints_x

    ``{split}`` in the three names is replaced by ``split``. Defaults are
    the official DeepFashion names, "fasion" spelling included; for
    Market-1501 pass ``pairs_file='market-pairs-{split}.csv'``,
    ``annotation_file='market-annotation-{split}.csv'`` and
    ``keypoint_frame=(128, 64)``.

    Every pair is checked when the dataset is built: both names annotated
    and both image files present. Each sample gets ``source_path``,
    ``target_path``, ``source_keypoints`` / ``target_keypoints`` ((18, 2)
    (x, y) in the annotation frame, -1 missing), ``keypoint_frame``,
    ``source_name`` and ``target_name``.

    Args:
        data_root (str): Dataset folder.
        split (str): ``'train'`` or ``'test'`` (any string). Defaults to
            ``'train'``.
        pairs_file (str): Pairs CSV. Defaults to
            ``'fasion-pairs-{split}.csv'``.
        annotation_file (str): Annotation CSV. Defaults to
            ``'fasion-annotation-{split}.csv'``.
        img_dir (str): Image folder. Defaults to ``'{split}'``.
        keypoint_frame (tuple): (H, W) of the annotation coordinates.
            Defaults to (256, 176), DeepFashion's.
        flow_dir (str, optional): Folder of ground-truth flows, one
            ``SRC_to_TGT.npy`` per pair (the synthetic set's
            ``'{split}_flow'``); adds ``gt_flow_path`` to each sample.
        body_mask_dir (str, optional): Folder of body masks, one ``.png``
            per image (the synthetic set's ``'{split}_body'``); adds
            ``body_mask_path`` (of the target) to each sample.
        pipeline (list): Transforms.
        test_mode (bool): As mmengine's ``BaseDataset``.
        **kwargs: Other ``BaseDataset`` arguments (``indices``, ...).
    """

    METAINFO = dict(dataset_type='pose_pair', keypoint_format='openpose18')

    def __init__(self,
                 data_root: str,
                 split: str = 'train',
                 pairs_file: str = 'fasion-pairs-{split}.csv',
                 annotation_file: str = 'fasion-annotation-{split}.csv',
                 img_dir: str = '{split}',
                 keypoint_frame: Sequence[int] = (256, 176),
                 flow_dir: Optional[str] = None,
                 body_mask_dir: Optional[str] = None,
                 pipeline: Optional[list] = None,
                 test_mode: bool = False,
                 **kwargs) -> None:
        self.split = split
        self.pairs_file = osp.join(data_root, pairs_file.format(split=split))
        self.annotation_file = osp.join(data_root,
                                        annotation_file.format(split=split))
        self.img_dir = osp.join(data_root, img_dir.format(split=split))
        self.flow_dir = (None if flow_dir is None else osp.join(
            data_root, flow_dir.format(split=split)))
        self.body_mask_dir = (None if body_mask_dir is None else osp.join(
            data_root, body_mask_dir.format(split=split)))
        self.keypoint_frame = tuple(int(v) for v in keypoint_frame)
        if len(self.keypoint_frame) != 2 or min(self.keypoint_frame) < 1:
            raise ValueError('keypoint_frame must be (H, W), got '
                             f'{keypoint_frame!r}')
        super().__init__(
            data_root=data_root,
            pipeline=pipeline or [],
            test_mode=test_mode,
            **kwargs)

    def _read_pairs(self) -> List[Tuple[int, str, str]]:
        if not osp.isfile(self.pairs_file):
            raise FileNotFoundError(f'pairs file not found: {self.pairs_file}')
        pairs = []
        with open(self.pairs_file, newline='', encoding='utf-8') as f:
            reader = csv.reader(f)
            header = next(reader, None)
            if header is None or [c.strip() for c in header] != ['from', 'to']:
                raise PoseDataError(f'{self.pairs_file}: header must be '
                                    f'"from,to", got {header!r}')
            for row_no, row in enumerate(reader, start=2):
                if not row:
                    continue
                if len(row) != 2:
                    raise PoseDataError(f'{self.pairs_file}, row {row_no}: '
                                        f'expected "from,to", got {row!r}')
                pairs.append((row_no, row[0].strip(), row[1].strip()))
        if not pairs:
            raise PoseDataError(f'{self.pairs_file} lists no pairs')
        return pairs

    def load_data_list(self) -> List[dict]:
        if not osp.isdir(self.img_dir):
            raise FileNotFoundError(f'image folder not found: {self.img_dir}')
        annotations = load_pose_annotations(self.annotation_file,
                                            self.keypoint_frame)
        data_list = []
        for row_no, src, tgt in self._read_pairs():
            where = f'{self.pairs_file}, row {row_no}'
            info = dict(
                source_name=src,
                target_name=tgt,
                keypoint_frame=self.keypoint_frame)
            for role, name in (('source', src), ('target', tgt)):
                if name not in annotations:
                    raise PoseDataError(f'{where}: {role} {name!r} has no '
                                        f'row in {self.annotation_file}')
                path = osp.join(self.img_dir, name)
                if not osp.isfile(path):
                    raise PoseDataError(f'{where}: {role} image {path} does '
                                        'not exist')
                info[f'{role}_path'] = path
                info[f'{role}_keypoints'] = annotations[name]
            extras = []
            if self.flow_dir is not None:
                extras.append(('gt_flow_path', 'ground-truth flow',
                               osp.join(self.flow_dir,
                                        flow_file_name(src, tgt))))
            if self.body_mask_dir is not None:
                extras.append(('body_mask_path', 'target body mask',
                               osp.join(self.body_mask_dir,
                                        body_mask_name(tgt))))
            for key, what, path in extras:
                if not osp.isfile(path):
                    raise PoseDataError(f'{where}: {what} {path} does not '
                                        'exist')
                info[key] = path
            data_list.append(info)
        return data_list
