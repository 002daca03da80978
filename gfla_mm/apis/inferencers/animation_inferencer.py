# Copyright (c) OpenMMLab. All rights reserved.
"""Animating a photo with a trained GFLA animation model: one person image
and a driving skeleton sequence (a skeleton track or a video) in, a video
of that person moving out."""
import itertools
import json
import os
import os.path as osp
from typing import Callable, Dict, List, Optional, Sequence, Tuple, Union

import numpy as np
import torch
from mmengine.infer import BaseInferencer
from mmengine.logging import print_log
from mmengine.registry import DefaultScope
from tqdm import tqdm

from gfla_mm.datasets.keypoint_formats import (
    COCO17_FLIP_INDEX,
    H36M17_FLIP_INDEX,
    coco17_to_h36m17,
    openpose18_to_coco17,
)
from gfla_mm.datasets.pose_pair_dataset import PoseDataError
from gfla_mm.datasets.transforms.clip_loading import read_openpose_json
from gfla_mm.datasets.transforms.skeleton_render import (
    COCO17_BONES,
    H36M17_BONES,
    STRUCTURE_CHANNELS,
    official_bone_image,
    render_structure,
)
from gfla_mm.utils import (
    MISSING,
    fill_missing_joints,
    is_video_file,
    iter_video_frames,
    joints_present,
    read_image,
)

from ..pose_extraction import (
    DEFAULT_DET_MODEL,
    DEFAULT_POSE_MODEL,
    DEFAULT_WEIGHTS,
    PoseExtractor,
)
from ..pose_inputs import load_keypoints
from ..skeleton_denoising import (
    VIDEO2D_VERSION,
    init_motion_extractor,
    json_skeleton,
    load_skeleton_track,
)
from .animation_geometry import (
    RETARGET_MODES,
    align_track,
    fit_image,
    fit_keypoints,
    frame_fit,
)
from .result_writers import side_by_side, write_frames

ImageLike = Union[str, np.ndarray]
DrivingLike = Union[str, np.ndarray]
DRIVING_FORMATS = ('auto', 'coco17', 'openpose18', 'h36m17')
# Frames of the official configs' data (FashionVideo/iPER: 256x256) when a
# config's test pipeline does not resize them.
DEFAULT_IMAGE_SIZE = (256, 256)


class AnimationInferencer(BaseInferencer):
    """Photo + driving skeletons -> video, with a GFLA animation model.

    The model (:class:`~gfla_mm.models.GFLAAnimation`) is built from its
    config and checkpoint (mmengine's inferencer set-up); the model's frame
    size and how structures are drawn (sigma, bone image) come from the
    config's test pipeline (``LoadClipFrames.load_size``, else 256x256;
    ``RenderClipSkeletons``), so that inference sees what testing sees.

    - **Source**: an image (path or BGR array) and its keypoints
      (OpenPose-18 as :func:`~gfla_mm.apis.load_keypoints` reads them, an
      OpenPose/AlphaPose-format JSON (``people[0].pose_keypoints_2d``, 18
      or 17 joints, as the official reference skeletons), a (17, 2)
      COCO-17 array, or extracted with :class:`PoseExtractor`), in its
      pixels; converted to COCO-17, the reference structure's order.
    - **Driving**: a folder of per-frame JSON files, a ``.npy`` of
      (T, 17 | 18, 2 | 3) or mmpose's prediction ``.json`` of a video
      (:func:`~gfla_mm.apis.load_skeleton_track`), an array of the same
      shapes, or a video whose frames go through :class:`PoseExtractor`.
      Detections (COCO-17 / OpenPose-18) are cleaned by the Motion
      Extraction Network when ``men_config`` is given, else only their gaps
      are filled (:func:`~gfla_mm.utils.fill_missing_joints`, logged);
      either way they become Human3.6M-17, the driving structures' order.
      A clean Human3.6M-17 track (the MEN's ``"Video to Pose 2D"`` JSON
      folders, found by their version, or ``driving_format='h36m17'``) is
      used as it is.

    Geometry: the photo is fitted to the model's frame (``fit``:
    ``'stretch'`` as the datasets were made, or ``'pad'``, keeping its
    aspect ratio), the driving frames likewise; with ``retarget='align'``
    the whole track is then scaled and shifted once onto the source person
    (:func:`~gfla_mm.apis.inferencers.animation_geometry.align_track`: bone
    lengths for the scale, the pelvis for the position).

    Args:
        model (str | Config): An animation config (path or Config).
        weights (str, optional): Checkpoint; None keeps random weights
            (with mmengine's warning).
        device (str, optional): Defaults to CUDA when available.
        men_config, men_checkpoint (str, optional): A Motion Extraction
            Network (``configs/motion_extractor/`` config and gfla_mm or
            official weights) to clean detected driving skeletons.
        image_size (Sequence[int], optional): (H, W) of the model's frames,
            overriding the config's.
        pose_model, pose_weights, det_model, det_weights, bbox_thr: The
            :class:`PoseExtractor` for keypoints of images and videos
            (mmpose's ``'human'`` models and their weights by default).
        score_thr (float): Joints scoring below it are missing. Defaults to
            0.3.
        show_progress (bool): Progress bars over frames.
    """

    def __init__(self,
                 model,
                 weights: Optional[str] = None,
                 device: Optional[str] = None,
                 men_config: Optional[str] = None,
                 men_checkpoint: Optional[str] = None,
                 image_size: Optional[Sequence[int]] = None,
                 pose_model: str = DEFAULT_POSE_MODEL,
                 pose_weights: Optional[str] = DEFAULT_WEIGHTS,
                 det_model: Optional[str] = DEFAULT_DET_MODEL,
                 det_weights: Optional[str] = DEFAULT_WEIGHTS,
                 score_thr: float = 0.3,
                 bbox_thr: float = 0.3,
                 show_progress: bool = True) -> None:
        if men_checkpoint is not None and men_config is None:
            raise ValueError('men_checkpoint needs men_config (the Motion '
                             'Extraction Network config it belongs to)')
        self.pose_extractor_args = dict(
            pose_model=pose_model, pose_weights=pose_weights,
            det_model=det_model, det_weights=det_weights,
            score_thr=score_thr, bbox_thr=bbox_thr)
        self.score_thr = score_thr
        self._pose_extractor: Optional[PoseExtractor] = None
        self._image_size = image_size
        with DefaultScope.overwrite_default_scope('mmagic'):
            super().__init__(model, weights, device, 'mmagic', show_progress)
        if not callable(getattr(self.model, 'animate', None)):
            raise TypeError(
                f'{type(self.model).__name__} does not animate: a '
                'configs/gfla_animation/ config (GFLAAnimation) is needed')
        self.device = str(next(self.model.parameters()).device)
        self.men = None
        if men_config is not None:
            self.men = init_motion_extractor(men_config, men_checkpoint,
                                             self.device)

    # -- set-up -------------------------------------------------------------
    def _init_pipeline(self, cfg) -> Callable:
        """Reads the frame size and the structure drawing of the config's
        test pipeline; returns the structure renderer."""
        try:
            steps = cfg.test_dataloader.dataset.pipeline
        except AttributeError as exc:
            raise ValueError('the config has no test_dataloader.dataset.'
                             'pipeline to read frame size and skeleton '
                             'drawing from') from exc
        by_type = {s['type']: s for s in steps}
        if 'RenderClipSkeletons' not in by_type:
            raise TypeError('the config test pipeline has no '
                            'RenderClipSkeletons: not an animation config '
                            '(configs/gfla_animation/)')
        render = by_type['RenderClipSkeletons']
        self.sigma = float(render.get('sigma', 6.0))
        self.bone_image = bool(render.get('bone_image', True))
        size = self._image_size or by_type.get('LoadClipFrames', {}).get(
            'load_size') or DEFAULT_IMAGE_SIZE
        if len(size) != 2 or min(size) <= 0:
            raise ValueError(f'image_size must be (H, W) > 0, got {size}')
        self.image_size = (int(size[0]), int(size[1]))
        return self.render

    def render(self, keypoints: np.ndarray, bones) -> np.ndarray:
        """(K, 2) keypoints in the model's frame -> (H, W, 20) structure."""
        return render_structure(keypoints, self.image_size, bones,
                                self.sigma, self.bone_image)

    @property
    def pose_extractor(self) -> PoseExtractor:
        """mmpose model for keypoints of images and videos (built on first
        use)."""
        if self._pose_extractor is None:
            self._pose_extractor = PoseExtractor(
                device=self.device, **self.pose_extractor_args)
        return self._pose_extractor

    def _init_collate(self, cfg) -> Callable:
        """Unused: one video is one batch of 1."""
        return lambda batch: batch

    def _init_visualizer(self, cfg) -> None:
        """No mmengine visualizer: :meth:`visualize` writes the frames."""
        return None

    # -- inputs -------------------------------------------------------------
    def load_source(self, source: ImageLike,
                    source_keypoints=None) -> Tuple[np.ndarray, np.ndarray,
                                                    str]:
        """The source as a BGR (H, W, 3) uint8 image, its (17, 2) COCO-17
        keypoints in its pixels (-1 missing), and its name.

        Raises:
            ValueError: nobody found in the source (named).
        """
        if isinstance(source, str):
            where = f'source {source}'
            image = read_image(source, channel_order='bgr')
        else:
            where = 'source image'
            image = np.asarray(source)
            if image.dtype != np.uint8 or image.ndim != 3 or \
                    image.shape[2] != 3:
                raise ValueError('source must be a path or a BGR (H, W, 3) '
                                 f'uint8 array, got {image.dtype} '
                                 f'{image.shape}')
        if source_keypoints is None:
            coco = openpose18_to_coco17(self.pose_extractor(image, where))[0]
        elif not isinstance(source_keypoints, str) and np.shape(
                source_keypoints) == (17, 2):
            coco = np.asarray(source_keypoints, np.float64)
        elif _is_openpose_json(source_keypoints):
            # OpenPose/AlphaPose format (the official reference skeletons).
            coco = json_skeleton(source_keypoints,
                                  f'source_keypoints {source_keypoints}',
                                  self.score_thr)
        else:
            op18 = load_keypoints(
                source_keypoints, 'source_keypoints',
                image_name=source if isinstance(source, str) else None)
            coco = openpose18_to_coco17(op18)[0]
        if not joints_present(coco).any():
            raise ValueError(f'no person found in {where}: none of its '
                             'keypoints is present')
        return image, coco, where

    def load_driving(self,
                     driving: DrivingLike,
                     driving_format: str = 'auto',
                     max_frames: Optional[int] = None
                     ) -> Tuple[np.ndarray, bool, Optional[tuple], str]:
        """The driving skeletons as read, before cleaning.

        Returns:
            tuple: the (T, 17, 2) track (-1 missing); whether it is clean
            Human3.6M-17 (else detections in COCO-17); the (H, W) of the
            video it was extracted from, or None; its name.

        Raises:
            FileNotFoundError, PoseDataError, ValueError: a missing,
                unreadable or wrongly shaped input, named.
        """
        if driving_format not in DRIVING_FORMATS:
            raise ValueError(f'driving_format must be one of '
                             f'{DRIVING_FORMATS}, got {driving_format!r}')
        if not isinstance(driving, str):
            return (*self._track_from_array(np.asarray(driving),
                                            driving_format, 'driving'),
                    None, 'driving array')
        where = f'driving {driving}'
        if is_video_file(driving) and not osp.isdir(driving):
            track, frame = self._track_from_video(driving, max_frames)
            return track, False, frame, where
        if not osp.exists(driving):
            raise FileNotFoundError(f'{where} does not exist')
        if driving_format == 'auto' and osp.isdir(driving) and \
                _is_video2d_folder(driving):
            driving_format = 'h36m17'
        if driving_format == 'h36m17':
            return _read_h36m17(driving, self.score_thr), True, None, where
        if driving.lower().endswith('.npy'):
            arr = _load_npy(driving)
            return (*self._track_from_array(arr, driving_format, where),
                    None, where)
        progress = (lambda it: tqdm(it, desc='reading skeletons',
                                    unit='frame')) \
            if self.show_progress else None
        track, _ = load_skeleton_track(driving, self.score_thr, progress)
        return track, False, None, where

    def _track_from_array(self, arr: np.ndarray, driving_format: str,
                          where: str) -> Tuple[np.ndarray, bool]:
        if arr.ndim != 3 or arr.shape[1] not in (17, 18) or \
                arr.shape[2] not in (2, 3):
            raise ValueError(f'{where}: a skeleton track must be (T, 17 | '
                             f'18, 2 | 3), got {arr.shape}')
        want = {'coco17': 17, 'h36m17': 17, 'openpose18': 18}
        if driving_format in want and arr.shape[1] != want[driving_format]:
            raise ValueError(f'{where}: driving_format={driving_format!r} '
                             f'needs {want[driving_format]} joints, got '
                             f'{arr.shape}')
        kps = np.array(arr[..., :2], np.float64)
        if arr.shape[2] == 3:
            kps[arr[..., 2] < self.score_thr] = MISSING
        kps[~joints_present(kps)] = MISSING
        if driving_format == 'h36m17':
            return kps, True
        if arr.shape[1] == 18:
            kps = openpose18_to_coco17(kps)[0]
        return kps, False

    def _track_from_video(self, path: str, max_frames: Optional[int]
                          ) -> Tuple[np.ndarray, tuple]:
        """COCO-17 keypoints of every frame of a video (mmpose); a frame
        without a person has all joints missing."""
        frames = iter_video_frames(path, channel_order='bgr')
        if max_frames is not None:
            frames = itertools.islice(frames, max_frames)
        track, nobody, crowded, size = [], 0, 0, None
        for i, frame in enumerate(
                tqdm(frames, desc='driving keypoints', unit='frame',
                     disable=not self.show_progress)):
            size = frame.shape[:2]
            try:
                op18, count = self.pose_extractor.keypoints(
                    frame, f'driving {path}, frame {i}')
            except ValueError as exc:
                if 'no person detected' not in str(exc):
                    raise
                op18, count = np.full((18, 2), MISSING, np.float64), 0
            nobody += count == 0
            crowded += count > 1
            track.append(openpose18_to_coco17(op18)[0])
        if not track:
            raise ValueError(f'driving {path}: no frame to read (empty, or '
                             'max_frames=0)')
        if nobody:
            print_log(f'driving {path}: nobody detected in {nobody} of '
                      f'{len(track)} frames; their joints are filled from '
                      'the neighbouring frames', 'current')
        if crowded:
            print_log(f'driving {path}: several people in {crowded} of '
                      f'{len(track)} frames; the largest is used', 'current')
        return np.stack(track), tuple(size)

    def clean_track(self, track: np.ndarray, clean: bool, frame_width: float,
                    where: str) -> np.ndarray:
        """(T, 17, 2) driving keypoints -> Human3.6M-17 with every joint:
        detections through the MEN (or gap filling), a clean track's gaps
        filled."""
        if clean:
            filled, num = fill_missing_joints(track, mirror=H36M17_FLIP_INDEX,
                                              name=where)
            if num:
                print_log(f'{where}: {num} missing joints filled',
                          'current')
            return filled
        if self.men is not None:
            out = self.men.denoise(track, frame_width,
                                   mirror=COCO17_FLIP_INDEX, name=where)
            print_log(f'{where}: {len(track)} frames cleaned by the Motion '
                      f'Extraction Network ({out["num_filled"]} missing '
                      'joints filled first)', 'current')
            return out['joints']
        filled, num = fill_missing_joints(track, mirror=COCO17_FLIP_INDEX,
                                          name=where)
        print_log(f'{where}: no Motion Extraction Network given '
                  '(men_config): the detected skeletons drive as they are, '
                  f'only their {num} missing joints filled (interpolated in '
                  'time), not denoised', 'current')
        return coco17_to_h36m17(filled)

    # -- the pipeline -------------------------------------------------------
    def __call__(self,
                 source: ImageLike,
                 driving: DrivingLike,
                 source_keypoints=None,
                 driving_frame: Optional[Sequence[int]] = None,
                 driving_format: str = 'auto',
                 fit: str = 'stretch',
                 retarget: str = 'align',
                 max_frames: Optional[int] = None,
                 min_frames: int = 1,
                 chunk_size: Optional[int] = None,
                 result_out: Union[None, str, Sequence[str]] = None,
                 fps: float = 15.0,
                 side_by_side: bool = False) -> Dict:
        """Animates the person of ``source`` with the driving skeletons.

        Args:
            source (str | np.ndarray): Person image (path, or BGR uint8
                (H, W, 3) array).
            driving (str | np.ndarray): Skeleton track (JSON folder, .npy,
                mmpose .json, array) or a video (see the class docstring).
            source_keypoints (optional): The source's keypoints in its
                pixels (OpenPose-18 file/array, OpenPose-format or mmpose
                JSON, or a (17, 2) COCO-17 array); None extracts them with
                mmpose.
            driving_frame (Sequence[int], optional): (H, W) of the frames a
                skeleton track was detected on (default: the source
                image's; a video's own size is known).
            driving_format (str): ``'auto'`` (by joint count: 18
                OpenPose-18, 17 COCO-17; MEN output folders Human3.6M-17),
                ``'coco17'``, ``'openpose18'`` or ``'h36m17'`` (clean,
                used as it is).
            fit (str): ``'stretch'`` or ``'pad'`` (see the class docstring).
            retarget (str): ``'align'`` (scale and shift the track onto the
                source person) or ``'none'`` (keep its place in its frame).
            max_frames (int, optional): Use only the first ``max_frames``.
            min_frames (int): Fewer driving frames are an error. Defaults
                to 1.
            chunk_size (int, optional): Frames per generator call (memory
                only); defaults to the config's test chunk.
            result_out (str | Sequence[str], optional): Files to write: each
                ``.mp4`` (H.264), ``.avi``, ``.gif`` or a folder of PNGs.
            fps (float): Frame rate of written videos. Defaults to 15 (the
                official test videos').
            side_by_side (bool): Write (and visualise) driving skeleton |
                generated, twice as wide.

        Returns:
            dict: ``predictions``: the T generated frames, BGR uint8
            (H, W, 3) at the model's size; ``visualization``: what was
            written (the frames, or the side-by-side strips);
            ``source_keypoints`` (17, 2) COCO-17 and ``driving_keypoints``
            (T, 17, 2) Human3.6M-17, both in the model's frame pixels;
            ``files``: the paths written.
        """
        if retarget not in RETARGET_MODES:
            raise ValueError(f'retarget must be one of {RETARGET_MODES}, '
                             f'got {retarget!r}')
        if max_frames is not None and max_frames < 1:
            raise ValueError(f'max_frames must be >= 1, got {max_frames}')
        data = self.preprocess(source, driving, source_keypoints,
                               driving_frame, driving_format, fit, retarget,
                               max_frames, min_frames)
        fake = self.forward(data, chunk_size)
        frames, pictures = self.visualize(fake, data['driving_keypoints'],
                                          side_by_side)
        outs = [result_out] if isinstance(result_out, str) else list(
            result_out or [])
        files = [write_frames(pictures, path, fps) for path in outs]
        return dict(
            predictions=frames,
            visualization=pictures,
            source_keypoints=data['source_keypoints'],
            driving_keypoints=data['driving_keypoints'],
            files=files)

    def preprocess(self, source, driving, source_keypoints=None,
                   driving_frame=None, driving_format='auto', fit='stretch',
                   retarget='align', max_frames=None,
                   min_frames: int = 1) -> Dict:
        """Model inputs (``ref_img``, ``ref_structure``, ``structures``)
        and the keypoints in the model's frame (args as
        :meth:`__call__`)."""
        image, src_kps, _ = self.load_source(source, source_keypoints)
        track, clean, video_frame, where = self.load_driving(
            driving, driving_format, max_frames)
        if max_frames is not None:
            track = track[:max_frames]
        if len(track) < max(1, min_frames):
            raise ValueError(
                f'{where}: the driving sequence is too short: {len(track)} '
                f'frames, at least {max(1, min_frames)} needed')
        frame = tuple(video_frame or driving_frame or image.shape[:2])
        if len(frame) != 2 or min(frame) <= 0:
            raise ValueError(f'driving_frame must be (H, W) > 0, got '
                             f'{frame}')
        track = self.clean_track(track, clean, frame[1], where)
        size = self.image_size
        src_fit = frame_fit(image.shape[:2], size, fit)
        src_kps = fit_keypoints(src_kps, src_fit)
        track = fit_keypoints(track, frame_fit(frame, size, fit))
        if retarget == 'align':
            track, scale, shift = align_track(track,
                                              coco17_to_h36m17(src_kps))
            print_log(f'{where}: skeletons aligned to the source person '
                      f'(scale {scale:.3f}, shift ({shift[0]:.1f}, '
                      f'{shift[1]:.1f}) px)', 'current')
        rgb = fit_image(image, size, src_fit)[..., ::-1]
        structures = np.stack([
            self.render(k, H36M17_BONES)
            for k in tqdm(track, desc='skeletons', unit='frame',
                          disable=not self.show_progress)
        ])
        mean, std = self._normalisation()

        def tensor(x: np.ndarray) -> torch.Tensor:
            return torch.from_numpy(np.ascontiguousarray(x)).float().to(
                self.device)

        return dict(
            ref_img=(tensor(rgb).permute(2, 0, 1)[None] - mean) / std,
            ref_structure=tensor(self.render(src_kps, COCO17_BONES)).permute(
                2, 0, 1)[None],
            structures=tensor(structures).permute(0, 3, 1, 2)[None],
            source_keypoints=src_kps,
            driving_keypoints=track)

    def _normalisation(self) -> Tuple[torch.Tensor, torch.Tensor]:
        """(3, 1, 1) mean and std of the model's data preprocessor (pixels
        <-> [-1, 1]), 127.5 when it has none."""
        pre = getattr(self.model, 'data_preprocessor', None)
        out = []
        for name in ('mean', 'std'):
            value = getattr(pre, name, None)
            value = torch.full((3, 1, 1), 127.5) if value is None else value
            out.append(value.float().reshape(-1, 1, 1).to(self.device))
        return out[0], out[1]

    def forward(self, data: Dict,
                chunk_size: Optional[int] = None) -> torch.Tensor:
        """The model's recurrent generation, a progress bar over frames.

        Returns:
            Tensor: (T, 3, H, W) RGB pixels in [0, 255] (float, CPU).
        """
        structures = data['structures']
        if structures.shape[2] != STRUCTURE_CHANNELS:
            raise ValueError(f'structures have {structures.shape[2]} '
                             f'channels; the model needs '
                             f'{STRUCTURE_CHANNELS} (bone_image=True)')
        with tqdm(total=structures.shape[1], desc='animating', unit='frame',
                  disable=not self.show_progress) as bar:
            fake = self.model.animate(
                data['ref_img'], data['ref_structure'], structures,
                chunk_size=chunk_size,
                callback=lambda done: bar.update(done - bar.n))
        mean, std = self._normalisation()
        return (fake[0] * std + mean).cpu()

    def visualize(self, fake: torch.Tensor, driving_keypoints: np.ndarray,
                  with_skeleton: bool = False
                  ) -> Tuple[List[np.ndarray], List[np.ndarray]]:
        """(generated frames, pictures to write): BGR uint8 (H, W, 3); the
        pictures are driving skeleton | generated when ``with_skeleton``
        (the skeleton as the bone channels draw it,
        :func:`official_bone_image`)."""
        frames = [
            f[..., ::-1].copy() for f in fake.clamp(0, 255).round().byte()
            .permute(0, 2, 3, 1).numpy()
        ]
        if not with_skeleton:
            return frames, frames
        skeletons = [
            official_bone_image(k, self.image_size,
                                H36M17_BONES)[..., ::-1]
            for k in driving_keypoints
        ]
        return frames, side_by_side(skeletons, frames)

    def postprocess(self, *args, **kwargs):
        """Unused: :meth:`__call__` assembles the result."""
        raise NotImplementedError('AnimationInferencer.__call__ returns the '
                                  'result')


def _is_video2d_folder(folder: str) -> bool:
    """Whether a folder's first JSON file is the MEN's output format."""
    names = sorted(f for f in os.listdir(folder)
                   if f.lower().endswith('.json'))
    if not names:
        return False
    try:
        with open(osp.join(folder, names[0]), encoding='utf-8') as f:
            return json.load(f).get('version') == VIDEO2D_VERSION
    except (OSError, ValueError, AttributeError):
        return False  # load_skeleton_track names the bad file


def _is_openpose_json(path) -> bool:
    """Whether ``path`` is a JSON file in OpenPose's format (``people``)."""
    if not (isinstance(path, str) and path.lower().endswith('.json')
            and osp.isfile(path)):
        return False
    try:
        with open(path, encoding='utf-8') as f:
            data = json.load(f)
    except (OSError, ValueError):
        return False  # load_keypoints names the bad file
    return isinstance(data, dict) and 'people' in data


def _load_npy(path: str) -> np.ndarray:
    try:
        return np.load(path, allow_pickle=False)
    except (OSError, ValueError) as exc:
        raise PoseDataError(f'driving {path} cannot be read: {exc}') from exc


def _read_h36m17(path: str, score_thr: float) -> np.ndarray:
    """A clean Human3.6M-17 track: a folder of OpenPose-format JSON files
    with 17 joints (the MEN's output) or a (T, 17, 2 | 3) ``.npy``."""
    if osp.isdir(path):
        names = sorted(f for f in os.listdir(path)
                       if f.lower().endswith('.json'))
        if not names:
            raise PoseDataError(f'driving {path}: no .json skeleton files in '
                                'the folder')
        return np.stack([
            read_openpose_json(osp.join(path, n), 17,
                               f'driving {path}, frame {n}', 'missing')
            for n in names
        ]).astype(np.float64)
    if not path.lower().endswith('.npy'):
        raise PoseDataError(f'driving {path}: a Human3.6M-17 track is a '
                            'folder of JSON files or a .npy')
    arr = _load_npy(path)
    if arr.ndim != 3 or arr.shape[1:] not in ((17, 2), (17, 3)):
        raise ValueError(f'driving {path}: a Human3.6M-17 track must be '
                         f'(T, 17, 2 | 3), got {arr.shape}')
    kps = np.array(arr[..., :2], np.float64)
    if arr.shape[2] == 3:
        kps[arr[..., 2] < score_thr] = MISSING
    kps[~joints_present(kps)] = MISSING
    return kps


__all__ = ['AnimationInferencer', 'DRIVING_FORMATS']
