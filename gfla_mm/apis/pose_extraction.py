# Copyright (c) OpenMMLab. All rights reserved.
"""OpenPose-18 keypoints for your own photos: an mmpose person detector and
top-down pose model, named the way ``MMPoseInferencer`` names them.

``pose_model`` is an mmpose model name or alias of mmpose's metafiles
(``'human'``: RTMPose-m on body8, COCO-17 keypoints, mmpose's default), an
``mmpose::`` config name or a config file; ``det_model`` is ``'human'``
(mmpose's default person detector, RTMDet-m), an mmdet config file, or None
to take the whole image as the person's box (crops that fill the frame).
Weights default to the published ones (downloaded once into torch's cache
on first use); None keeps random weights (tests, offline checks).

mmpose's and mmdet's APIs build from the registries of mmengine's current
default scope (and switch it); :class:`PoseExtractor` runs each call in
``'mmpose'`` or ``'mmdet'`` and then restores the caller's scope, so that it
can live beside mmagic code.
"""
import os.path as osp
from typing import Optional, Sequence, Tuple, Union

import numpy as np
from mmengine.config import Config
from mmengine.logging import print_log
from mmengine.registry import DefaultScope
from tqdm import tqdm

from gfla_mm.datasets.keypoint_formats import coco17_to_openpose18
from gfla_mm.utils import (
    MISSING,
    inside_frame,
    is_video_file,
    iter_video_frames,
    read_image,
)
from gfla_mm.utils.optional_imports import import_mmpose

from .model_index import find_model, model_index_root

DEFAULT_POSE_MODEL = 'human'
DEFAULT_DET_MODEL = 'human'
# ``weights='default'``: the model's published weights.
DEFAULT_WEIGHTS = 'default'


def resolve_pose_model(model: Union[str, Config]
                       ) -> Tuple[Config, Optional[str]]:
    """(config, published weights or None) of an mmpose model given as a
    config, a config file, an ``mmpose::`` name, or a model name / alias of
    mmpose's metafiles (``'human'``, ``'td-hm_hrnet-w32_8xb64-210e_coco-
    256x192'``)."""
    if isinstance(model, Config):
        return model, None
    if osp.isfile(model):
        return Config.fromfile(model), None
    import_mmpose('mmpose', 'PoseExtractor')
    root = model_index_root('mmpose')
    if model.startswith('mmpose::'):
        path = osp.join(root, 'configs', model[len('mmpose::'):])
        if not osp.isfile(path):
            raise FileNotFoundError(f'{model}: no such config in mmpose '
                                    f'({path})')
        return Config.fromfile(path), None
    path, weights = find_model(model, 'mmpose')
    return Config.fromfile(path), weights


def resolve_det_model(model: str) -> Tuple[Config, Optional[str], tuple]:
    """(config, published weights or None, person category ids) of a
    detector: ``'human'`` (mmpose's default person detector) or an mmdet
    config file (category 0 = person, as COCO's)."""
    if osp.isfile(model):
        return Config.fromfile(model), None, (0, )
    utils = import_mmpose('mmpose.apis.inferencers.utils', 'PoseExtractor')
    known = utils.default_det_models
    if model not in known or not osp.isfile(str(known[model]['model'])):
        raise ValueError(f'det_model {model!r} is neither a config file nor '
                         "'human' (mmpose's default person detector)")
    entry = known[model]
    return (Config.fromfile(entry['model']), entry['weights'],
            tuple(entry['cat_ids']))


def select_person(bboxes: np.ndarray, scores: np.ndarray,
                  labels: np.ndarray, cat_ids: Sequence[int],
                  bbox_thr: float, where: str) -> Tuple[np.ndarray, int]:
    """The largest person box (the most confident among equal ones).

    Args:
        bboxes (np.ndarray): (N, 4) x0, y0, x1, y1 in pixels.
        scores, labels (np.ndarray): (N,) detector scores and classes.
        cat_ids (Sequence[int]): Classes that are people.
        bbox_thr (float): Boxes scoring below it are ignored.
        where (str): The image, for the error message.

    Returns:
        tuple[np.ndarray, int]: (4,) the chosen box and how many people were
        detected.

    Raises:
        ValueError: nobody detected; names the image.
    """
    bboxes = np.asarray(bboxes, np.float64).reshape(-1, 4)
    scores = np.asarray(scores, np.float64).reshape(-1)
    keep = np.isin(np.asarray(labels).reshape(-1), list(cat_ids)) & (
        scores >= bbox_thr)
    if not keep.any():
        raise ValueError(
            f'no person detected in {where} (no person box scores >= '
            f'{bbox_thr}); give its keypoints instead, a lower bbox_thr, or '
            'det_model=None for a crop the person fills')
    boxes, conf = bboxes[keep], scores[keep]
    area = (boxes[:, 2] - boxes[:, 0]).clip(0) * (boxes[:, 3] -
                                                  boxes[:, 1]).clip(0)
    best = np.lexsort((conf, area))[-1]
    return boxes[best], int(keep.sum())


class PoseExtractor:
    """Photo -> OpenPose-18 keypoints of its largest person.

    A detector finds the people, the largest box is kept (with a log line
    when there are several), and the top-down model estimates COCO-17
    keypoints in it, converted to OpenPose-18 (neck = shoulder midpoint).

    Args:
        pose_model (str | Config): mmpose top-down COCO-17 model (see the
            module docstring). Defaults to ``'human'``.
        pose_weights (str, optional): ``'default'`` (the published weights),
            a path or URL, or None (random weights).
        det_model (str, optional): ``'human'``, an mmdet config file, or
            None (the whole image is the person's box). Defaults to
            ``'human'``.
        det_weights (str, optional): As ``pose_weights``, for the detector.
        device (str): ``'cpu'`` or ``'cuda:0'``. Defaults to ``'cpu'``.
        score_thr (float): Joints scoring below it are missing (-1).
            Defaults to 0.3.
        bbox_thr (float): Person boxes scoring below it are ignored.
            Defaults to 0.3 (mmpose's demos).
    """

    def __init__(self,
                 pose_model: Union[str, Config] = DEFAULT_POSE_MODEL,
                 pose_weights: Optional[str] = DEFAULT_WEIGHTS,
                 det_model: Optional[str] = DEFAULT_DET_MODEL,
                 det_weights: Optional[str] = DEFAULT_WEIGHTS,
                 device: str = 'cpu',
                 score_thr: float = 0.3,
                 bbox_thr: float = 0.3) -> None:
        apis = import_mmpose('mmpose.apis', 'PoseExtractor')
        config, published = resolve_pose_model(pose_model)
        weights = published if pose_weights == DEFAULT_WEIGHTS else (
            pose_weights)
        with DefaultScope.overwrite_default_scope('mmpose'):
            self.model = apis.init_model(config, weights, device=device)
        num = self.model.dataset_meta.get('num_keypoints')
        if num != 17:
            raise ValueError(f'{pose_model} predicts {num} keypoints; a '
                             'COCO-17 model is needed for OpenPose-18 output')
        self.detector = None
        self.cat_ids: tuple = ()
        if det_model is not None:
            from mmdet.apis import init_detector
            det_config, published, self.cat_ids = resolve_det_model(
                det_model)
            weights = published if det_weights == DEFAULT_WEIGHTS else (
                det_weights)
            with DefaultScope.overwrite_default_scope('mmdet'):
                self.detector = init_detector(
                    det_config, weights, device=device)
        self.score_thr = score_thr
        self.bbox_thr = bbox_thr

    def person_box(self, image: np.ndarray,
                   where: str) -> Tuple[np.ndarray, int]:
        """(4,) x0, y0, x1, y1 of the largest person in a BGR image (the
        whole image without a detector), and how many people there are."""
        h, w = image.shape[:2]
        if self.detector is None:
            return np.array([0, 0, w, h], np.float64), 1
        from mmdet.apis import inference_detector
        with DefaultScope.overwrite_default_scope('mmdet'):
            pred = inference_detector(self.detector, image).pred_instances
        return select_person(pred.bboxes.cpu().numpy(),
                             pred.scores.cpu().numpy(),
                             pred.labels.cpu().numpy(), self.cat_ids,
                             self.bbox_thr, where)

    def keypoints(self, image: np.ndarray,
                  where: str) -> Tuple[np.ndarray, int]:
        """(18, 2) keypoints of the largest person in a BGR image, and how
        many people were detected (no log: see :meth:`__call__`)."""
        inference_topdown = import_mmpose('mmpose.apis',
                                          'PoseExtractor').inference_topdown
        box, count = self.person_box(image, where)
        with DefaultScope.overwrite_default_scope('mmpose'):
            result = inference_topdown(self.model, image, box[None],
                                       'xyxy')[0]
        pred = result.pred_instances
        kps = coco17_to_openpose18(pred.keypoints[0], pred.keypoint_scores[0],
                                   self.score_thr)
        kps[~inside_frame(kps, image.shape[:2])] = MISSING
        return kps, count

    def __call__(self, image: Union[str, np.ndarray],
                 name: Optional[str] = None) -> np.ndarray:
        """Keypoints of the largest person in ``image``.

        Args:
            image (str | np.ndarray): Path or BGR (H, W, 3) uint8 array.
            name (str, optional): What to call an array in messages.

        Returns:
            np.ndarray: (18, 2) float (x, y) pixels, -1 for missing (low
            score, or outside the image).
        """
        where = name or (image if isinstance(image, str) else 'the image')
        if isinstance(image, str):
            image = read_image(image, channel_order='bgr')
        kps, count = self.keypoints(image, where)
        if count > 1:
            print_log(f'{count} people detected in {where}; using the '
                      'largest', 'current')
        return kps

    def from_file(self, path: str, name: str = 'pose',
                  show_progress: bool = False
                  ) -> Tuple[np.ndarray, Tuple[int, int]]:
        """Keypoints of an image file, (18, 2), or of every frame of a
        video file, (T, 18, 2), and the (H, W) frame they are in.

        Raises:
            OSError: the image cannot be read (``name`` and path named).
            ValueError: the video cannot be read, or a frame shows nobody.
        """
        if is_video_file(path):
            frames = list(iter_video_frames(path, channel_order='bgr'))
            progress = tqdm(frames, desc='keypoints', unit='frame',
                            disable=not show_progress)
            results = [
                self.keypoints(f, f'{name} {path}, frame {i}')
                for i, f in enumerate(progress)
            ]
            crowded = sum(count > 1 for _, count in results)
            if crowded:  # one line for the video, not one per frame
                print_log(f'{path}: several people in {crowded} of '
                          f'{len(frames)} frames; the largest is used',
                          'current')
            return np.stack([kps for kps, _ in results]), frames[0].shape[:2]
        try:
            image = read_image(path, channel_order='bgr')
        except (OSError, ValueError) as exc:
            raise OSError(f'{name}: {exc}') from exc
        return self(image, f'{name} {path}'), image.shape[:2]


def add_pose_extractor_args(parser) -> None:
    """The :class:`PoseExtractor` options of gfla_mm's command lines
    (``'none'`` stands for None)."""
    group = parser.add_argument_group('pose extraction (mmpose)')
    group.add_argument('--pose-model', default=DEFAULT_POSE_MODEL,
                       help="mmpose COCO-17 top-down model: a name or alias "
                       "of mmpose's metafiles, mmpose::CONFIG or a config "
                       "file (default: 'human', RTMPose-m)")
    group.add_argument('--pose-weights', default=DEFAULT_WEIGHTS,
                       help="'default' (published), a path or URL, or 'none' "
                       '(random)')
    group.add_argument('--det-model', default=DEFAULT_DET_MODEL,
                       help="person detector: 'human' (mmpose's, RTMDet-m), "
                       "an mmdet config, or 'none' (the whole image is the "
                       'person)')
    group.add_argument('--det-weights', default=DEFAULT_WEIGHTS,
                       help='as --pose-weights, for the detector')
    group.add_argument('--bbox-thr', type=float, default=0.3,
                       help='person boxes scoring below it are ignored')
    group.add_argument('--score-thr', type=float, default=0.3,
                       help='joints scoring below it are missing (-1)')


def pose_extractor_kwargs(args) -> dict:
    """:class:`PoseExtractor` keyword arguments from those options."""

    def none(value):
        return None if value == 'none' else value

    return dict(pose_model=args.pose_model,
                pose_weights=none(args.pose_weights),
                det_model=none(args.det_model),
                det_weights=none(args.det_weights),
                score_thr=args.score_thr,
                bbox_thr=args.bbox_thr)


__all__ = [
    'PoseExtractor', 'add_pose_extractor_args', 'pose_extractor_kwargs',
    'resolve_pose_model', 'resolve_det_model', 'select_person',
    'DEFAULT_POSE_MODEL', 'DEFAULT_DET_MODEL', 'DEFAULT_WEIGHTS'
]
