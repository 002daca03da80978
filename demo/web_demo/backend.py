# Copyright (c) OpenMMLab. All rights reserved.
"""The web demo's logic without a web framework (``demo/web_demo.py`` serves
it): bytes and JSON-able values in, arrays and JSON-able values out, so that
it is tested without a browser.

Poses travel to and from the page *normalised*: OpenPose-18 (x / W, y / H)
of the frame they are in, -1 for a missing joint. A target pose is applied
to the source image's frame (x * W_source, y * H_source), as the inference
API stretches a target frame onto the source's.
"""
import base64
import collections
import os
import os.path as osp
import tempfile
import threading
import uuid
from dataclasses import dataclass
from io import BytesIO
from typing import Callable, List, Optional, Sequence, Tuple

import cv2
import numpy as np
import torch
from mmagic.registry import DATASETS
from mmengine.config import Config
from mmengine.registry import DefaultScope
from PIL import Image

from gfla_mm.apis import PoseTransferInferencer, load_keypoints
from gfla_mm.datasets import OPENPOSE18_LIMBS, OPENPOSE18_NAMES
from gfla_mm.datasets.pose_pair_dataset import load_pose_annotations
from gfla_mm.utils import MISSING, flow_to_color, write_h264

# Upload limits (the command line can change them).
MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_SIDE = 4096
# PIL's format names of the images accepted.
IMAGE_FORMATS = ('JPEG', 'PNG', 'BMP', 'WEBP')
POSE_SUFFIXES = ('.json', '.npy')
MAX_FRAMES = 240
# Sources kept for the page (least recently used ones are dropped).
MAX_SOURCES = 32
PREVIEW_SIDE = 512


class DemoError(ValueError):
    """Bad input, with the message the page shows and an HTTP status."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


# -- inputs -----------------------------------------------------------------
def decode_image(data: bytes,
                 name: str = 'the upload',
                 max_bytes: int = MAX_UPLOAD_BYTES,
                 max_side: int = MAX_SIDE) -> np.ndarray:
    """An uploaded photo as BGR uint8 (H, W, 3).

    The size limits are checked before decoding (PIL reads the header
    only), so an oversized image costs no memory.

    Raises:
        DemoError: too many bytes or pixels (413), not a JPEG/PNG/BMP/WebP
            image (415), or a corrupt one (400); the message names ``name``.
    """
    if len(data) > max_bytes:
        raise DemoError(
            f'{name} is larger than {max_bytes / 2**20:g} MB, the upload '
            'limit', 413)
    if not data:
        raise DemoError(f'{name} is empty', 400)
    try:
        with Image.open(BytesIO(data)) as img:
            fmt, (w, h) = img.format, img.size
    except Exception:  # PIL raises several types for non-images
        raise DemoError(
            f'{name} is not an image: upload a JPEG, PNG, BMP or WebP photo',
            415) from None
    if fmt not in IMAGE_FORMATS:
        raise DemoError(
            f'{name} is a {fmt} image: upload a JPEG, PNG, BMP or WebP photo',
            415)
    if max(w, h) > max_side:
        raise DemoError(
            f'{name} is {w}x{h} pixels; images are limited to {max_side} '
            'pixels a side', 413)
    image = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR)
    if image is None:
        raise DemoError(f'{name} cannot be decoded (a corrupt {fmt} file?)')
    return image


def parse_pose_file(data: bytes,
                    name: str,
                    allow_sequence: bool = False,
                    score_thr: float = 0.3) -> np.ndarray:
    """Keypoints from an uploaded ``.json`` / ``.npy`` file: everything
    :func:`gfla_mm.apis.load_keypoints` reads (gfla_mm's (18, 2) lists or
    ``{"keypoints": ...}``, mmpose prediction files, ``.npy`` arrays).

    Returns:
        np.ndarray: float32 (18, 2) pixels, -1 missing; (T, 18, 2) with
        ``allow_sequence``.

    Raises:
        DemoError: another file type (415) or content load_keypoints refuses
            (400, its message).
    """
    suffix = osp.splitext(name)[1].lower()
    if suffix not in POSE_SUFFIXES:
        raise DemoError(
            f'{name}: keypoints are read from .json or .npy files', 415)
    fd, path = tempfile.mkstemp(suffix=suffix)
    try:
        with os.fdopen(fd, 'wb') as f:
            f.write(data)
        return load_keypoints(path, name, allow_sequence=allow_sequence,
                              score_thr=score_thr)
    except ValueError as exc:
        # load_keypoints names '<name> file <path>': the path is ours.
        raise DemoError(str(exc).replace(f'{name} file {path}', name)
                        ) from None
    finally:
        os.remove(path)


def normalise_pose(kps: np.ndarray, frame: Sequence[int]) -> list:
    """(…, 18, 2) pixels of an (H, W) frame -> nested lists of (x / W,
    y / H), -1 kept for missing joints."""
    kps = np.asarray(kps, np.float64)
    h, w = frame
    missing = (kps < 0).any(-1, keepdims=True)
    out = np.where(missing, MISSING, kps / np.array([w, h], np.float64))
    return out.tolist()


def pose_from_page(points, frame: Sequence[int],
                   name: str = 'pose') -> np.ndarray:
    """A normalised pose of the page -> (18, 2) float32 pixels of ``frame``
    (H, W).

    Raises:
        DemoError: not 18 (x, y) pairs, non-finite values, coordinates
            outside [0, 1] that are not -1 (missing), or no joint at all.
    """
    try:
        pts = np.asarray(points, np.float64)
    except (TypeError, ValueError):
        raise DemoError(f'{name}: 18 [x, y] pairs expected') from None
    if pts.shape != (18, 2) or not np.isfinite(pts).all():
        raise DemoError(f'{name}: 18 finite [x, y] pairs expected, got shape '
                        f'{pts.shape}')
    missing = (pts == MISSING).any(-1)
    inside = ((pts >= 0) & (pts <= 1)).all(-1)
    if (~missing & ~inside).any():
        raise DemoError(f'{name}: normalised coordinates in [0, 1] (or -1 '
                        'for a missing joint) expected')
    if missing.all():
        raise DemoError(f'{name}: every joint is missing')
    h, w = frame
    # Rounded: GFLA's pose maps truncate coordinates to whole pixels, so
    # x / W * W must not come back as 13.999999 for 14.
    out = np.round(pts * np.array([w, h], np.float64), 4)
    out[missing] = MISSING
    return out.astype(np.float32)


def interpolate_poses(a: np.ndarray, b: np.ndarray,
                      steps: int) -> np.ndarray:
    """``steps`` >= 2 poses from ``a`` to ``b`` (both ends included),
    (steps, 18, 2): joints move linearly; a joint missing at one end is
    missing in the half of the frames nearer that end."""
    t = np.linspace(0, 1, steps, dtype=np.float32)[:, None, None]
    mid = a[None] * (1 - t) + b[None] * t
    a_missing = (a < 0).any(-1)[None, :, None]
    b_missing = (b < 0).any(-1)[None, :, None]
    near_a = t < 0.5
    mid = np.where(a_missing | b_missing,
                   np.where(near_a, a[None], b[None]), mid)
    return mid.astype(np.float32)


# -- outputs ----------------------------------------------------------------
def png_data_url(image: np.ndarray, channel_order: str = 'bgr') -> str:
    """A uint8 (H, W, 3) or (H, W) image as a ``data:image/png`` URL."""
    if image.ndim == 3 and channel_order == 'rgb':
        image = image[..., ::-1]
    ok, buf = cv2.imencode('.png', np.ascontiguousarray(image))
    if not ok:
        raise RuntimeError(f'PNG encoding of a {image.shape} image failed')
    return 'data:image/png;base64,' + base64.b64encode(buf).decode('ascii')


def flow_pictures(flows: Sequence[np.ndarray],
                  size: Tuple[int, int]) -> List[np.ndarray]:
    """Colour-coded flow fields (hue = direction, saturation = length,
    :func:`gfla_mm.utils.flow_to_color`), each (2, h, w) in pixels of its
    grid, enlarged to (H, W) = ``size`` without smoothing: BGR uint8."""
    out = []
    for flow in flows:
        rgb = flow_to_color(torch.as_tensor(np.asarray(flow, np.float32)))
        rgb = rgb.round().clamp(0, 255).byte().permute(1, 2, 0).numpy()
        out.append(cv2.resize(rgb[..., ::-1], size[::-1],
                              interpolation=cv2.INTER_NEAREST))
    return out


def mask_pictures(masks: Sequence[np.ndarray],
                  size: Tuple[int, int]) -> List[np.ndarray]:
    """Occlusion masks ((1, h, w) in [0, 1]; 1 = take the warped source)
    as grey uint8 (H, W) pictures enlarged to ``size``."""
    out = []
    for mask in masks:
        grey = (np.clip(np.asarray(mask, np.float32)[0], 0, 1) * 255)
        out.append(cv2.resize(grey.round().astype(np.uint8), size[::-1],
                              interpolation=cv2.INTER_NEAREST))
    return out


def encode_video(frames: Sequence[np.ndarray], fps: float) -> bytes:
    """BGR frames -> an H.264 ``.mp4`` that browsers play (bytes)."""
    with tempfile.TemporaryDirectory() as tmp:
        path = write_h264(frames, osp.join(tmp, 'animation.mp4'), fps,
                          channel_order='bgr')
        with open(path, 'rb') as f:
            return f.read()


def preview(image: np.ndarray, side: int = PREVIEW_SIDE) -> np.ndarray:
    """``image`` shrunk to at most ``side`` pixels a side for the page."""
    h, w = image.shape[:2]
    scale = side / max(h, w)
    if scale >= 1:
        return image
    return cv2.resize(image, (max(1, round(w * scale)),
                              max(1, round(h * scale))),
                      interpolation=cv2.INTER_AREA)


# -- the animation backend --------------------------------------------------
def animate_frames(inferencer: PoseTransferInferencer, image: np.ndarray,
                   source_pose: np.ndarray, poses: np.ndarray,
                   frame: Tuple[int, int]) -> List[np.ndarray]:
    """The animation tab's model call: the person of ``image`` (BGR) in
    each pose of ``poses`` ((T, 18, 2) pixels of ``frame`` (H, W)), as BGR
    uint8 frames.

    Today the image model renders frame by frame (the pose-transfer
    inferencer's sequence path); an animation model's inferencer replaces
    this one call (:class:`DemoBackend` takes it as ``animator``).
    """
    out = inferencer(image, poses, source_pose=source_pose,
                     pose_frame=frame, batch_size=8)
    return out['visualization']


def animation_model_frames(animation_inferencer, inferencer, image: np.ndarray,
                           source_pose: np.ndarray, poses: np.ndarray,
                           frame: Tuple[int, int]) -> List[np.ndarray]:
    """:func:`animate_frames` with GFLA's animation model: a
    :class:`gfla_mm.apis.AnimationInferencer` (bind it first, e.g.
    ``functools.partial(animation_model_frames, animation_inferencer)``;
    ``demo/web_demo.py --animation-config``). The OpenPose-18 poses are
    used where they are (``retarget='none'``), missing joints gap-filled
    (or cleaned by its Motion Extraction Network, when it has one)."""
    out = animation_inferencer(image, poses, source_keypoints=source_pose,
                               driving_frame=frame,
                               driving_format='openpose18',
                               retarget='none')
    return out['predictions']


Animator = Callable[[PoseTransferInferencer, np.ndarray, np.ndarray,
                     np.ndarray, Tuple[int, int]], List[np.ndarray]]


# -- the demo ---------------------------------------------------------------
@dataclass
class Source:
    """A source person: BGR image, (18, 2) keypoints in its pixels."""
    image: np.ndarray
    keypoints: np.ndarray
    name: str

    @property
    def frame(self) -> Tuple[int, int]:
        return tuple(self.image.shape[:2])


@dataclass
class GalleryItem:
    """A test image of the dataset and its annotated keypoints (pixels of
    the dataset's keypoint frame)."""
    name: str
    path: str
    keypoints: np.ndarray
    frame: Tuple[int, int]


def load_gallery(cfg: Config, limit: int) -> Tuple[List[GalleryItem], str]:
    """The first ``limit`` annotated test images (by name) of the config's
    test dataset, and a message for the page ('' when all is well)."""
    try:
        with DefaultScope.overwrite_default_scope('mmagic'):
            dataset = DATASETS.build(
                dict(cfg.test_dataloader.dataset, lazy_init=True))
        table = load_pose_annotations(dataset.annotation_file, frame=None)
    except Exception as exc:  # no dataset: the demo still runs on uploads
        return [], (f'no test images to pick from ({exc}); upload a photo, '
                    'or pass --data-root')
    items = []
    for name in sorted(table):
        path = osp.join(dataset.img_dir, name)
        if osp.isfile(path):
            items.append(GalleryItem(name, path, table[name],
                                     dataset.keypoint_frame))
        if len(items) == limit:
            break
    if not items:
        return [], f'no annotated test images in {dataset.img_dir}'
    return items, ''


class DemoBackend:
    """Pose transfer for the page: sources (uploads or test images) kept by
    id, generation with flows and masks, animation to an H.264 video.

    Args:
        config (str): GFLA config file.
        checkpoint (str, optional): Its checkpoint.
        device (str, optional): Defaults to CUDA when available.
        data_root (str, optional): Overrides the test dataset's root (the
            gallery of test images and poses).
        gallery_size (int): Test images offered. Defaults to 48.
        max_upload_bytes, max_side (int): Upload limits.
        animator (callable): The animation backend (:func:`animate_frames`,
            or :func:`animation_model_frames` bound to an inferencer).
        animator_name (str): What the animation tab says it runs.
        **pose_extractor: :class:`gfla_mm.apis.PoseExtractor` options for
            photos uploaded without keypoints (``pose_model``, ...).
    """

    def __init__(self,
                 config: str,
                 checkpoint: Optional[str],
                 device: Optional[str] = None,
                 data_root: Optional[str] = None,
                 gallery_size: int = 48,
                 max_upload_bytes: int = MAX_UPLOAD_BYTES,
                 max_side: int = MAX_SIDE,
                 animator: Animator = animate_frames,
                 animator_name: str = 'the image model, frame by frame',
                 **pose_extractor) -> None:
        cfg = Config.fromfile(config)
        if data_root is not None:
            cfg.test_dataloader.dataset.data_root = data_root
        self.config_name = osp.basename(config)
        self.inferencer = PoseTransferInferencer(
            cfg, checkpoint, device=device, show_progress=False,
            **pose_extractor)
        self.score_thr = pose_extractor.get('score_thr', 0.3)
        self.gallery, self.gallery_message = load_gallery(cfg, gallery_size)
        self.max_upload_bytes = max_upload_bytes
        self.max_side = max_side
        self.animator = animator
        self.animator_name = animator_name
        self.sources: 'collections.OrderedDict[str, Source]' = (
            collections.OrderedDict())
        # One model call at a time (the server runs requests in threads);
        # the source table has its own lock.
        self.lock = threading.Lock()
        self.sources_lock = threading.Lock()

    # -- what the page starts from -------------------------------------------
    def info(self) -> dict:
        """Skeleton layout, limits and the gallery (names + normalised
        poses) for the page."""
        return dict(
            config=self.config_name,
            joint_names=list(OPENPOSE18_NAMES),
            limbs=[list(limb) for limb in OPENPOSE18_LIMBS],
            max_upload_mb=self.max_upload_bytes / 2**20,
            max_side=self.max_side,
            max_frames=MAX_FRAMES,
            animator=self.animator_name,
            gallery=[
                dict(index=i, name=item.name,
                     pose=normalise_pose(item.keypoints, item.frame))
                for i, item in enumerate(self.gallery)
            ],
            gallery_message=self.gallery_message)

    def gallery_item(self, index: int) -> GalleryItem:
        if not 0 <= index < len(self.gallery):
            raise DemoError(f'no test image number {index} (there are '
                            f'{len(self.gallery)})', 404)
        return self.gallery[index]

    def gallery_thumbnail(self, index: int, side: int = 128) -> bytes:
        """A JPEG thumbnail of test image ``index``."""
        image = cv2.imread(self.gallery_item(index).path, cv2.IMREAD_COLOR)
        if image is None:
            raise DemoError(f'{self.gallery[index].path} cannot be read', 500)
        ok, buf = cv2.imencode('.jpg', preview(image, side))
        return buf.tobytes()

    # -- sources -------------------------------------------------------------
    def _keep(self, source: Source) -> dict:
        source_id = uuid.uuid4().hex
        with self.sources_lock:
            self.sources[source_id] = source
            while len(self.sources) > MAX_SOURCES:
                self.sources.popitem(last=False)
        return dict(source_id=source_id,
                    name=source.name,
                    width=source.frame[1],
                    height=source.frame[0],
                    image=png_data_url(preview(source.image)),
                    pose=normalise_pose(source.keypoints, source.frame))

    def source(self, source_id: str) -> Source:
        with self.sources_lock:
            if source_id not in self.sources:
                raise DemoError(
                    'that source image is no longer on the server (it was '
                    'restarted, or too many were uploaded): upload or pick '
                    'it again', 404)
            self.sources.move_to_end(source_id)
            return self.sources[source_id]

    def extract_keypoints(self, image: np.ndarray, name: str) -> np.ndarray:
        """(18, 2) keypoints of the largest person in ``image`` (mmpose).

        Raises:
            DemoError: nobody found (422), or mmpose could not run, e.g.
                offline without its weights (503); both say to upload the
                keypoints instead.
        """
        try:
            with self.lock:
                kps = self.inferencer.pose_extractor(image, name)
        except ValueError as exc:
            if 'no person' in str(exc):
                raise DemoError(
                    f'No person found in {name}: {exc}', 422) from None
            raise DemoError(f'pose estimation failed on {name}: {exc}',
                            422) from None
        except Exception as exc:  # mmpose missing, weights not downloadable
            raise DemoError(
                f'could not estimate the pose in {name} with mmpose '
                f'({type(exc).__name__}: {exc}); upload its keypoints as a '
                '.json file with the photo instead', 503) from None
        if (kps < 0).all():
            raise DemoError(
                f'No person found in {name}: no joint scored >= '
                f'{self.score_thr}; upload its keypoints as a .json file',
                422)
        return kps

    def upload(self,
               image_bytes: bytes,
               image_name: str = 'the photo',
               keypoints_bytes: Optional[bytes] = None,
               keypoints_name: str = 'keypoints.json') -> dict:
        """A photo (and optionally its keypoints file, else mmpose's) as a
        new source; returns what :meth:`select` returns."""
        image = decode_image(image_bytes, image_name, self.max_upload_bytes,
                             self.max_side)
        if keypoints_bytes:
            if len(keypoints_bytes) > self.max_upload_bytes:
                raise DemoError(f'{keypoints_name} is larger than '
                                f'{self.max_upload_bytes / 2**20:g} MB, '
                                'the upload limit', 413)
            kps = parse_pose_file(keypoints_bytes, keypoints_name,
                                  score_thr=self.score_thr)
            if (kps < 0).all():
                raise DemoError(f'{keypoints_name}: every joint is missing')
        else:
            kps = self.extract_keypoints(image, image_name)
        return self._keep(Source(image, kps, image_name))

    def select(self, index: int) -> dict:
        """Test image ``index`` with its annotated keypoints as a new
        source: ``source_id``, ``name``, ``width``, ``height``, ``image``
        (a PNG data URL), ``pose`` (normalised)."""
        item = self.gallery_item(index)
        image = cv2.imread(item.path, cv2.IMREAD_COLOR)
        if image is None:
            raise DemoError(f'{item.path} cannot be read', 500)
        h, w = image.shape[:2]
        kh, kw = item.frame
        scale = np.array([w / kw, h / kh], np.float32)
        kps = np.where(item.keypoints < 0, MISSING, item.keypoints * scale)
        return self._keep(Source(image, kps.astype(np.float32), item.name))

    # -- generation ----------------------------------------------------------
    def generate(self, source_id: str, pose) -> dict:
        """The source person in a normalised target pose.

        Returns:
            dict: ``image`` (PNG data URL of the generated (H, W) image),
            ``width``/``height`` (the model's output size), ``flows`` and
            ``masks`` (PNG data URLs, coarse to fine, enlarged to (H, W)).
        """
        source = self.source(source_id)
        target = pose_from_page(pose, source.frame, 'target pose')
        with self.lock:
            pred = self.inferencer(source.image, target,
                                   source_pose=source.keypoints,
                                   pose_frame=source.frame)['predictions'][0]
        image = pred['pred_img']
        size = image.shape[:2]
        return dict(
            image=png_data_url(image),
            width=size[1],
            height=size[0],
            flows=[png_data_url(p) for p in flow_pictures(pred['flows'],
                                                          size)],
            masks=[png_data_url(p) for p in mask_pictures(pred['masks'],
                                                          size)])

    def animation_poses(self,
                        source: Source,
                        mode: str,
                        pose=None,
                        sequence: Optional[Tuple[bytes, str]] = None,
                        sequence_frame: Optional[Sequence[int]] = None,
                        inbetween: int = 3) -> Tuple[np.ndarray, tuple]:
        """(T, 18, 2) poses and their (H, W) frame for :meth:`animate`.

        Modes: ``'gallery'`` the test poses in order, ``inbetween``
        interpolated poses between neighbours; ``'target'`` from the
        source's pose to ``pose`` (normalised) and back; ``'upload'`` a
        ``(bytes, file name)`` sequence file (.json / .npy, (T, 18, 2) or
        mmpose's video predictions) in ``sequence_frame`` (H, W) pixels
        (default: the source's frame).
        """
        if not 0 <= inbetween <= 30:
            raise DemoError(f'in-between frames must be 0 to 30, got '
                            f'{inbetween}')
        frame = source.frame
        if mode == 'gallery':
            if len(self.gallery) < 2:
                raise DemoError('the gallery has fewer than two test poses; '
                                'upload a pose sequence instead')
            keys = [
                pose_from_page(normalise_pose(it.keypoints, it.frame), frame,
                               it.name) for it in self.gallery
            ]
        elif mode == 'target':
            keys = [source.keypoints,
                    pose_from_page(pose, frame, 'target pose'),
                    source.keypoints]
            inbetween = max(inbetween, 1)
        elif mode == 'upload':
            if not sequence or not sequence[0]:
                raise DemoError('choose a pose sequence file (.json or '
                                '.npy) to animate along')
            data, name = sequence
            poses = parse_pose_file(data, name, allow_sequence=True,
                                    score_thr=self.score_thr)
            poses = poses[None] if poses.ndim == 2 else poses
            if sequence_frame:
                frame = tuple(int(v) for v in sequence_frame)
                if len(frame) != 2 or min(frame) < 1:
                    raise DemoError('the sequence frame must be H W > 0')
            return self._check_length(poses), frame
        else:
            raise DemoError(f'unknown animation mode {mode!r} (gallery, '
                            'target or upload)')
        poses = [keys[0][None]]
        for a, b in zip(keys[:-1], keys[1:]):
            poses.append(interpolate_poses(a, b, inbetween + 2)[1:])
        return self._check_length(np.concatenate(poses)), frame

    @staticmethod
    def _check_length(poses: np.ndarray) -> np.ndarray:
        if len(poses) > MAX_FRAMES:
            raise DemoError(f'{len(poses)} frames; animations are limited '
                            f'to {MAX_FRAMES} (fewer in-between frames?)')
        return poses

    def animate(self, source_id: str, mode: str, fps: float = 8.0,
                **kwargs) -> dict:
        """The source person along a pose sequence (see
        :meth:`animation_poses` for ``mode`` and ``kwargs``).

        Returns:
            dict: ``video`` (an H.264 ``.mp4`` data URL), ``frames``,
            ``fps``, ``width``, ``height``.
        """
        if not 0.5 <= fps <= 60:
            raise DemoError(f'fps must be 0.5 to 60, got {fps}')
        source = self.source(source_id)
        poses, frame = self.animation_poses(source, mode, **kwargs)
        with self.lock:
            frames = self.animator(self.inferencer, source.image,
                                   source.keypoints, poses, frame)
        video = encode_video(frames, fps)
        return dict(
            video='data:video/mp4;base64,' +
            base64.b64encode(video).decode('ascii'),
            frames=len(frames),
            fps=fps,
            width=frames[0].shape[1],
            height=frames[0].shape[0])


__all__ = [
    'DemoBackend', 'DemoError', 'Source', 'GalleryItem', 'animate_frames',
    'animation_model_frames',
    'decode_image', 'parse_pose_file', 'normalise_pose', 'pose_from_page',
    'interpolate_poses', 'flow_pictures', 'mask_pictures', 'png_data_url',
    'encode_video', 'load_gallery', 'preview', 'MAX_UPLOAD_BYTES', 'MAX_SIDE',
    'MAX_FRAMES'
]
