# Copyright (c) OpenMMLab. All rights reserved.
"""A synthetic pose-transfer dataset of textured "mannequins".

Each identity has its own body proportions and an outfit: a shirt texture
on the torso and arms, a trousers texture on the legs (bold stripes, checks
or dots, two random colours each), mapped *along* the limbs, so that
reconstructing a target pose means moving texture, not repainting it.
Every identity is rendered in several random poses; the result is written
in the official DeepFashion file format (images, ``fasion-pairs-*.csv``,
``fasion-annotation-*.csv``) that :class:`PosePairDataset` reads
unchanged; :func:`make_synthetic_clips` renders short clips with clean and
noisy skeleton tracks for the animation model, in the official FashionVideo
layout that :class:`PoseVideoDataset` reads. Deterministic per seed.
"""
import csv
import json
import os
import os.path as osp
from typing import Dict, List, NamedTuple, Optional, Tuple

import cv2
import numpy as np

from gfla_mm.utils import MISSING, inside_frame

from .keypoint_formats import (
                               OPENPOSE18_NAMES,
                               coco17_to_openpose18,
                               openpose18_to_coco17,
                               openpose18_to_h36m17,
)

J = {name: i for i, name in enumerate(OPENPOSE18_NAMES)}

# Body parts drawn as textured quads: (joint a, joint b, width factor),
# back to front.
PARTS: Tuple[Tuple[str, str, float], ...] = (
    ('left_hip', 'left_knee', 0.11), ('left_knee', 'left_ankle', 0.09),
    ('right_hip', 'right_knee', 0.11), ('right_knee', 'right_ankle', 0.09),
    ('neck', 'pelvis', 0.30), ('left_shoulder', 'left_elbow', 0.08),
    ('left_elbow', 'left_wrist', 0.065), ('right_shoulder', 'right_elbow',
                                          0.08),
    ('right_elbow', 'right_wrist', 0.065), ('neck', 'nose', 0.07))
TEXTURE_SIZE = 32
# Indices into PARTS of the garments: parts of one garment share a texture.
SHIRT = (4, 5, 6, 7, 8)
TROUSERS = (0, 1, 2, 3)
# Label of the head in the label maps (the parts are 0 .. len(PARTS) - 1).
HEAD = len(PARTS)


def random_texture(rng: np.random.Generator) -> np.ndarray:
    """A (32, 32, 3) uint8 texture: stripes, checks or dots.

    Periods of 8 to 16 texels (4 to 8 pixels on a torso at 64x64, the demo's
    size): finer patterns alias at the resolutions the demo trains on.
    """
    ys, xs = np.mgrid[:TEXTURE_SIZE, :TEXTURE_SIZE]
    period = rng.integers(8, 17)
    kind = rng.integers(3)
    if kind == 0:
        angle = rng.uniform(0, np.pi)
        pattern = (np.cos(angle) * xs + np.sin(angle) * ys) // period % 2
    elif kind == 1:
        pattern = (xs // period + ys // period) % 2
    else:
        pattern = ((xs % period - period / 2)**2 +
                   (ys % period - period / 2)**2) < (period / 3)**2
    colours = rng.integers(30, 226, size=(2, 3))
    return colours[pattern.astype(int)].astype(np.uint8)


class Mannequin:
    """One identity: proportions, an outfit (shirt and trousers textures; the
    neck a third one) and a head colour."""

    def __init__(self, rng: np.random.Generator) -> None:
        self.upper_arm = rng.uniform(0.13, 0.17)
        self.lower_arm = rng.uniform(0.12, 0.16)
        self.thigh = rng.uniform(0.19, 0.24)
        self.shin = rng.uniform(0.18, 0.23)
        self.torso = rng.uniform(0.26, 0.32)
        self.shoulder = rng.uniform(0.09, 0.12)
        self.hip = rng.uniform(0.06, 0.08)
        shirt, trousers, neck = (random_texture(rng) for _ in range(3))
        self.textures = [
            shirt if k in SHIRT else trousers if k in TROUSERS else neck
            for k in range(len(PARTS))
        ]
        self.skin = rng.integers(80, 230, size=3)

    def pose(self, rng: np.random.Generator, size: Tuple[int, int]
             ) -> np.ndarray:
        """Joint positions (18, 2) (x, y) in pixels for a random pose."""
        h, w = size
        scale = h * rng.uniform(0.78, 0.9)
        neck = np.array([w / 2 + rng.uniform(-0.08, 0.08) * w,
                         h * rng.uniform(0.16, 0.22)])
        lean = rng.uniform(-0.2, 0.2)
        down = np.array([np.sin(lean), np.cos(lean)])
        across = np.array([down[1], -down[0]])
        pelvis = neck + down * self.torso * scale
        pts: Dict[str, np.ndarray] = dict(neck=neck, pelvis=pelvis)
        pts['nose'] = neck - down * 0.09 * scale
        for side, sign in (('right', -1), ('left', 1)):
            offset = sign * across * scale
            pts[f'{side}_shoulder'] = neck + offset * self.shoulder
            pts[f'{side}_hip'] = pelvis + offset * self.hip

            def limb(start, angle, length):
                d = np.array([np.sin(angle), np.cos(angle)])
                return start + d * length * scale

            a1 = lean + sign * rng.uniform(0.1, 2.4)
            a2 = a1 + sign * rng.uniform(-1.2, 0.3)
            pts[f'{side}_elbow'] = limb(pts[f'{side}_shoulder'], a1,
                                        self.upper_arm)
            pts[f'{side}_wrist'] = limb(pts[f'{side}_elbow'], a2,
                                        self.lower_arm)
            l1 = lean + sign * rng.uniform(-0.1, 0.5)
            l2 = l1 + rng.uniform(-0.5, 0.5)
            pts[f'{side}_knee'] = limb(pts[f'{side}_hip'], l1, self.thigh)
            pts[f'{side}_ankle'] = limb(pts[f'{side}_knee'], l2, self.shin)
            pts[f'{side}_eye'] = (pts['nose'] - down * 0.02 * scale +
                                  sign * across * 0.02 * scale)
            pts[f'{side}_ear'] = (pts['nose'] + sign * across * 0.045 * scale)
        pts.pop('pelvis')
        return np.stack([pts[n] for n in OPENPOSE18_NAMES]).astype(np.float64)

    def layout(self, joints: np.ndarray, size: Tuple[int, int]
               ) -> Tuple[List[Tuple[int, np.ndarray]], np.ndarray, int]:
        """Where each part goes, back to front.

        Returns:
            tuple: ``[(part index, (2, 3) affine map texture -> image
            pixels)]`` for the parts long enough to draw, the head centre
            (x, y) and its radius in pixels.
        """
        h, _ = size
        pts = {n: joints[i] for i, n in enumerate(OPENPOSE18_NAMES)}
        pts['pelvis'] = (pts['left_hip'] + pts['right_hip']) / 2
        parts = []
        for k, (a, b, width) in enumerate(PARTS):
            p, q = pts[a], pts[b]
            axis = q - p
            length = np.linalg.norm(axis)
            if length < 1e-3:
                continue
            normal = np.array([-axis[1], axis[0]]) / length
            half = normal * width * h / 2
            # Texture corners (0,0), (T,0), (0,T) -> limb start-left,
            # end-left, start-right: the texture moves with the limb.
            src = np.float32([[0, 0], [TEXTURE_SIZE, 0], [0, TEXTURE_SIZE]])
            dst = np.float32([p - half, q - half, p + half])
            parts.append((k, cv2.getAffineTransform(src, dst)))
        return parts, pts['nose'], max(2, int(round(0.06 * h)))

    def render(self,
               joints: np.ndarray,
               size: Tuple[int, int],
               background: np.ndarray,
               return_labels: bool = False):
        """Draws the mannequin over a plain background.

        Returns:
            ndarray | tuple: (H, W, 3) uint8; with ``return_labels`` also
            the (H, W) int16 label map: the index in :data:`PARTS` of the
            part each pixel shows, ``HEAD`` for the head, -1 background.
        """
        h, w = size
        canvas = np.empty((h, w, 3), np.uint8)
        canvas[:] = background
        labels = np.full((h, w), -1, np.int16)
        parts, head, radius = self.layout(joints, size)
        for k, m in parts:
            warped = cv2.warpAffine(
                self.textures[k], m, (w, h), flags=cv2.INTER_LINEAR,
                borderMode=cv2.BORDER_REFLECT)
            mask = cv2.warpAffine(
                np.full((TEXTURE_SIZE, TEXTURE_SIZE), 255, np.uint8), m,
                (w, h), flags=cv2.INTER_LINEAR) > 127
            canvas[mask] = warped[mask]
            labels[mask] = k
        colour = tuple(int(c) for c in self.skin)
        cv2.circle(canvas, (int(head[0]), int(head[1])), radius, colour, -1,
                   cv2.LINE_AA)
        # The disc without its anti-aliased rim: pixels of the head colour.
        disc = np.zeros((h, w), np.uint8)
        cv2.circle(disc, (int(head[0]), int(head[1])), radius, 1, -1)
        labels[disc > 0] = HEAD
        return (canvas, labels) if return_labels else canvas


class FrameLayout(NamedTuple):
    """What a rendering shows where: enough to find, for two renderings of
    one mannequin, which pixels show the same body point.

    Attributes:
        parts (dict): Part index -> (2, 3) affine map texture -> pixels.
        head (ndarray): (2,) head centre (x, y) in pixels.
        labels (ndarray): (H, W) label map (:meth:`Mannequin.render`).
    """
    parts: Dict[int, np.ndarray]
    head: np.ndarray
    labels: np.ndarray


def frame_layout(person: Mannequin, joints: np.ndarray,
                 size: Tuple[int, int],
                 labels: Optional[np.ndarray] = None) -> FrameLayout:
    """The :class:`FrameLayout` of ``person`` rendered at ``joints``."""
    if labels is None:
        _, labels = person.render(joints, size, np.zeros(3, np.uint8), True)
    parts, head, _ = person.layout(joints, size)
    return FrameLayout(dict(parts), np.asarray(head, np.float64), labels)


def layout_flow(source: FrameLayout, target: FrameLayout) -> np.ndarray:
    """Ground-truth flow from the target to the source rendering.

    Every body pixel of the target shows one point of one part's texture;
    the flow points to where the source shows the same point (each part is
    an affine map of its texture, the head a disc moved with the nose), so
    that ``target(p) = source(p + flow(p))`` on the body.

    Returns:
        ndarray: (H, W, 2) float32 flow in image pixels, channel 0 = x.
        NaN where there is no such source pixel: background, and body
        points hidden in the source (behind another part or outside the
        image).
    """
    h, w = target.labels.shape
    ys, xs = np.mgrid[:h, :w].astype(np.float64)
    flow = np.full((h, w, 2), np.nan, np.float32)
    maps = [(HEAD, np.hstack([np.eye(2), (source.head - target.head)[:,
                                                                    None]]))]
    for k, m in target.parts.items():
        if k in source.parts:
            # target pixel -> texture coordinate -> source pixel
            inverse = cv2.invertAffineTransform(m)
            maps.append((k, source.parts[k] @ np.vstack([inverse,
                                                         [0, 0, 1]])))
    for k, m in maps:
        sel = target.labels == k
        if not sel.any():
            continue
        x, y = xs[sel], ys[sel]
        qx = m[0, 0] * x + m[0, 1] * y + m[0, 2]
        qy = m[1, 0] * x + m[1, 1] * y + m[1, 2]
        ix, iy = np.round(qx).astype(int), np.round(qy).astype(int)
        seen = (ix >= 0) & (ix < w) & (iy >= 0) & (iy < h)
        seen[seen] = source.labels[iy[seen], ix[seen]] == k
        flow[ys[sel][seen].astype(int), xs[sel][seen].astype(int)] = \
            np.stack([qx - x, qy - y], axis=1)[seen]
    return flow


def save_layout(layout: FrameLayout, path: str) -> None:
    """Writes a :class:`FrameLayout` as ``.npz`` (:func:`load_layout`)."""
    ids = sorted(layout.parts)
    np.savez_compressed(
        path,
        labels=layout.labels.astype(np.int8),
        part_ids=np.asarray(ids, np.int64),
        part_maps=np.asarray([layout.parts[k] for k in ids],
                             np.float64).reshape(-1, 2, 3),
        head=layout.head)


def load_layout(path: str) -> FrameLayout:
    """Reads a :func:`save_layout` file.

    Raises:
        FileNotFoundError / ValueError naming the file.
    """
    if not osp.isfile(path):
        raise FileNotFoundError(f'layout file {path} does not exist')
    try:
        with np.load(path) as data:
            return FrameLayout(
                {
                    int(k): m
                    for k, m in zip(data['part_ids'], data['part_maps'])
                }, data['head'], data['labels'].astype(np.int16))
    except (KeyError, OSError, ValueError) as e:
        raise ValueError(f'{path} is not a synthetic frame layout: {e}')


def correspondence_flow(person: Mannequin,
                        source_joints: np.ndarray,
                        target_joints: np.ndarray,
                        size: Tuple[int, int],
                        source_labels: Optional[np.ndarray] = None,
                        target_labels: Optional[np.ndarray] = None
                        ) -> np.ndarray:
    """:func:`layout_flow` of ``person`` rendered at two poses.

    Args:
        person (Mannequin): The identity rendered in both poses.
        source_joints, target_joints (ndarray): (18, 2) joints (x, y) in
            pixels, as given to :meth:`Mannequin.render`.
        size (tuple): (H, W) of both renderings.
        source_labels, target_labels (ndarray, optional): (H, W) label maps
            of these renderings (:meth:`Mannequin.render`), if already
            made; rendered here otherwise.

    Returns:
        ndarray: (H, W, 2) float32 flow in image pixels, NaN where
        undefined (see :func:`layout_flow`).
    """
    return layout_flow(
        frame_layout(person, source_joints, size, source_labels),
        frame_layout(person, target_joints, size, target_labels))


def flow_file_name(source: str, target: str) -> str:
    """File of the ground-truth flow of one pair: ``SRC_to_TGT.npy`` (image
    names without their extension)."""
    return f'{osp.splitext(source)[0]}_to_{osp.splitext(target)[0]}.npy'


def body_mask_name(image: str) -> str:
    """File of one image's body mask: the image name as ``.png``."""
    return osp.splitext(image)[0] + '.png'


def visible_keypoints(joints: np.ndarray, size: Tuple[int, int],
                      rng: np.random.Generator,
                      drop_prob: float) -> np.ndarray:
    """Integer keypoints as in the official CSVs: -1 when outside the image
    or randomly dropped (as occluded joints are in real annotations)."""
    kps = np.floor(joints).astype(np.int64)
    keep = inside_frame(kps, size) & (rng.random(len(kps)) >= drop_prob)
    kps[~keep] = MISSING
    return kps


def make_synthetic_dataset(out_dir: str,
                           num_identities: Tuple[int, int] = (96, 8),
                           poses_per_identity: int = 3,
                           size: Tuple[int, int] = (128, 128),
                           seed: int = 0,
                           drop_prob: float = 0.03,
                           progress: Optional[callable] = None,
                           write_flow: bool = True) -> Dict:
    """Writes train and test splits in the DeepFashion file format.

    Layout: ``{out}/train/*.jpg``, ``{out}/test/*.jpg``,
    ``fasion-pairs-{split}.csv`` (all ordered pairs of one identity) and
    ``fasion-annotation-{split}.csv`` (coordinates in the image frame, so
    use ``keypoint_frame=size``). Identities never repeat across splits.
    With ``write_flow``, also the ground truth the renderer knows:
    ``{split}_flow/{flow_file_name(source, target)}`` per pair, the
    (H, W, 2) float16 :func:`correspondence_flow` in image pixels (NaN: no
    source pixel), and ``{split}_body/{body_mask_name(image)}`` per image,
    the body mask (0/255 PNG).

    Args:
        out_dir (str): Output folder (created).
        num_identities (tuple): Identities in (train, test).
        poses_per_identity (int): Poses (images) per identity, >= 2.
        size (tuple): (H, W) of the images.
        seed (int): Random seed; the same seed writes the same files.
        drop_prob (float): Probability of marking a joint missing.
        progress (callable, optional): Wraps the identity iterator (tqdm).
        write_flow (bool): Write the ground-truth flows and body masks.
            Defaults to True.

    Returns:
        dict: Counts of images and pairs per split.
    """
    if poses_per_identity < 2:
        raise ValueError('poses_per_identity must be >= 2 to form pairs')
    rng = np.random.default_rng(seed)
    stats = {}
    identity = 0
    for split, count in zip(('train', 'test'), num_identities):
        img_dir = osp.join(out_dir, split)
        flow_dir = osp.join(out_dir, f'{split}_flow')
        body_dir = osp.join(out_dir, f'{split}_body')
        for d in (img_dir, flow_dir, body_dir) if write_flow else (img_dir, ):
            os.makedirs(d, exist_ok=True)
        rows: List[Tuple[str, List[int], List[int]]] = []
        pairs: List[Tuple[str, str]] = []
        ids = range(identity, identity + count)
        for person_id in (progress(ids) if progress else ids):
            person = Mannequin(rng)
            background = rng.integers(200, 256, size=3)
            names, poses, label_maps = [], {}, {}
            for k in range(poses_per_identity):
                joints = person.pose(rng, size)
                img, labels = person.render(joints, size, background, True)
                name = f'synthid{person_id:05d}pose{k:02d}.jpg'
                cv2.imwrite(osp.join(img_dir, name), img[:, :, ::-1],
                            [cv2.IMWRITE_JPEG_QUALITY, 95])
                kps = visible_keypoints(joints, size, rng, drop_prob)
                rows.append((name, kps[:, 1].tolist(), kps[:, 0].tolist()))
                names.append(name)
                poses[name] = joints
                label_maps[name] = labels
                if write_flow:
                    cv2.imwrite(
                        osp.join(body_dir, body_mask_name(name)),
                        (labels >= 0).astype(np.uint8) * 255)
            new_pairs = [(a, b) for a in names for b in names if a != b]
            for a, b in new_pairs if write_flow else ():
                flow = correspondence_flow(person, poses[a], poses[b], size,
                                           label_maps[a], label_maps[b])
                np.save(osp.join(flow_dir, flow_file_name(a, b)),
                        flow.astype(np.float16))
            pairs += new_pairs
        identity += count
        with open(osp.join(out_dir, f'fasion-annotation-{split}.csv'), 'w',
                  newline='') as f:
            writer = csv.writer(f, delimiter=':')
            writer.writerow(['name', 'keypoints_y', 'keypoints_x'])
            for name, ys, xs in rows:
                writer.writerow([name, json.dumps(ys), json.dumps(xs)])
        with open(osp.join(out_dir, f'fasion-pairs-{split}.csv'), 'w',
                  newline='') as f:
            writer = csv.writer(f)
            writer.writerow(['from', 'to'])
            writer.writerows(pairs)
        stats[split] = dict(images=len(rows), pairs=len(pairs))
    return stats


def openpose_json(keypoints: np.ndarray, version=1.1) -> dict:
    """One frame in the OpenPose JSON format the official animation data
    uses: ``people[0].pose_keypoints_2d`` = x, y, score per joint; a
    missing joint is (0, 0, 0). ``version``: OpenPose's 1.1, or the
    Motion Extraction Net's ``'Video to Pose 2D'`` for clean H36M-17
    tracks (how readers recognise them)."""
    flat = []
    for x, y in keypoints:
        flat += [0.0, 0.0, 0.0] if x < 0 else [float(x), float(y), 1.0]
    return dict(version=version, people=[dict(pose_keypoints_2d=flat)])


def smooth_track(keyframes: np.ndarray, num_frames: int) -> np.ndarray:
    """Joint tracks through ``keyframes`` (K, 18, 2) with cosine easing:
    (num_frames, 18, 2), continuous and smooth at every keyframe."""
    t = np.linspace(0, len(keyframes) - 1, num_frames)
    i = np.minimum(t.astype(int), len(keyframes) - 2)
    ease = (1 - np.cos(np.pi * (t - i))) / 2
    return ((1 - ease)[:, None, None] * keyframes[i] +
            ease[:, None, None] * keyframes[i + 1])


def make_synthetic_clips(out_dir: str,
                         num_clips: Tuple[int, int] = (4, 2),
                         num_frames: int = 24,
                         size: Tuple[int, int] = (128, 128),
                         seed: int = 0,
                         noise: Optional[dict] = None,
                         progress: Optional[callable] = None,
                         split_dir: str = '{split}_256',
                         write_masks: bool = True,
                         write_layouts: bool = True) -> Dict:
    """Short clips of one mannequin moving smoothly, in the official
    FashionVideo / iPER layout that :class:`PoseVideoDataset` reads.

    Per clip ``NAME`` of split ``S`` (``D = split_dir.format(split=S)``,
    ``{S}_256`` as the official, whatever ``size`` is)::

        {out}/D/train_A/NAME/00000.png ...          frames (RGB PNG)
        {out}/D/train_video2d/NAME/00000.json ...   clean Human3.6M-17
                                                    skeletons: the exact
                                                    joints (float pixels)
        {out}/D/train_alphapose/NAME/00000.json ... noisy OpenPose-18, as
                                                    a pose detector gives
                                                    (``detector_noise``:
                                                    jitter, bias, outliers,
                                                    swaps, dropped joints),
                                                    integer pixels
        {out}/D/train_C/NAME/00000.png ...          body masks (0/255), the
                                                    iPER ``train_C`` layout
                                                    (``write_masks``)

    Both tracks are OpenPose JSON (:func:`openpose_json`); a joint outside
    the image is missing (0, 0, 0). The clean track is
    ``openpose18_to_h36m17`` of the rendered joints. Clips never share an
    identity across splits.

    Args:
        out_dir (str): Output folder (created).
        num_clips (tuple): Clips in (train, test).
        num_frames (int): Frames per clip, >= 2.
        size (tuple): (H, W) of the frames.
        seed (int): Random seed; the same seed writes the same files.
        noise (dict, optional): Options of
            :func:`gfla_mm.datasets.synthetic_skeletons.detector_noise`.
        progress (callable, optional): Wraps the clip iterator (tqdm).
        split_dir (str): Folder of a split. Defaults to ``'{split}_256'``.
        write_masks (bool): Also write ``train_C`` body masks. Defaults
            to True.
        write_layouts (bool): Also write ``train_layout/NAME/00000.npz``
            per frame, the :class:`FrameLayout` (:func:`save_layout`) from
            which :func:`layout_flow` gives the true flow between any two
            frames of a clip (``LoadClipFlows``). Defaults to True.

    Returns:
        dict: Counts of clips and frames per split.
    """
    # Imported here: synthetic_skeletons builds on this module's Mannequin.
    from .synthetic_skeletons import detector_noise
    if num_frames < 2:
        raise ValueError('num_frames must be >= 2')
    rng = np.random.default_rng(seed)
    stats = {}
    clip_id = 0
    kinds = ('train_A', 'train_video2d', 'train_alphapose') + (
        ('train_C', ) if write_masks else ()) + (
            ('train_layout', ) if write_layouts else ())
    for split, count in zip(('train', 'test'), num_clips):
        root = osp.join(out_dir, split_dir.format(split=split))
        ids = range(clip_id, clip_id + count)
        for cid in (progress(ids) if progress else ids):
            person = Mannequin(rng)
            background = rng.integers(200, 256, size=3)
            keys = np.stack([person.pose(rng, size) for _ in range(3)])
            track = smooth_track(keys, num_frames)
            name = f'synthclip{cid:04d}'
            dirs = {kind: osp.join(root, kind, name) for kind in kinds}
            for d in dirs.values():
                os.makedirs(d, exist_ok=True)
            coco, _ = openpose18_to_coco17(track)
            detected, scores = detector_noise(rng, coco, size,
                                              **(noise or {}))
            noisy_track = np.floor(
                coco17_to_openpose18(detected, scores, score_thr=1e-6))
            for f, joints in enumerate(track):
                img, labels = person.render(joints, size, background, True)
                cv2.imwrite(osp.join(dirs['train_A'], f'{f:05d}.png'),
                            img[:, :, ::-1])
                if write_masks:
                    cv2.imwrite(osp.join(dirs['train_C'], f'{f:05d}.png'),
                                (labels >= 0).astype(np.uint8) * 255)
                if write_layouts:
                    save_layout(
                        frame_layout(person, joints, size, labels),
                        osp.join(dirs['train_layout'], f'{f:05d}.npz'))
                exact = np.where(inside_frame(joints, size)[:, None], joints,
                                 MISSING)
                clean = openpose18_to_h36m17(exact)
                noisy = noisy_track[f]
                for kind, kps, version in (
                    ('train_video2d', clean, 'Video to Pose 2D'),
                    ('train_alphapose', noisy, 1.1)):
                    with open(osp.join(dirs[kind], f'{f:05d}.json'),
                              'w') as fh:
                        json.dump(openpose_json(kps, version), fh)
        clip_id += count
        stats[split] = dict(clips=count, frames=count * num_frames)
    return stats


__all__ = [
    'HEAD', 'Mannequin', 'body_mask_name', 'correspondence_flow',
    'FrameLayout', 'frame_layout', 'layout_flow', 'save_layout',
    'load_layout',
    'flow_file_name', 'make_synthetic_dataset', 'make_synthetic_clips',
    'visible_keypoints', 'openpose_json', 'smooth_track'
]
