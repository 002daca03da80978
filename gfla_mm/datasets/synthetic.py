# Copyright (c) OpenMMLab. All rights reserved.
"""A synthetic pose-transfer dataset of textured "mannequins".

Each identity has its own body proportions and per-part textures (stripes,
checks, colours) mapped *along* its limbs, so that reconstructing a target
pose means moving texture, not repainting it. Every identity is rendered in
several random poses; the result is written in the official DeepFashion
file format (images, ``fasion-pairs-*.csv``, ``fasion-annotation-*.csv``)
that :class:`PosePairDataset` reads unchanged; :func:`make_synthetic_clips`
renders short clips with clean and noisy skeleton tracks for the animation
model. Deterministic per seed.
"""
import csv
import json
import os
import os.path as osp
from typing import Dict, List, Optional, Tuple

import cv2
import numpy as np

from .keypoint_formats import MISSING, OPENPOSE18_NAMES

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


def random_texture(rng: np.random.Generator) -> np.ndarray:
    """A (32, 32, 3) uint8 texture: stripes, checks or dots."""
    ys, xs = np.mgrid[:TEXTURE_SIZE, :TEXTURE_SIZE]
    period = rng.integers(4, 12)
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
    """One identity: proportions, per-part textures, head and skin colour."""

    def __init__(self, rng: np.random.Generator) -> None:
        self.upper_arm = rng.uniform(0.13, 0.17)
        self.lower_arm = rng.uniform(0.12, 0.16)
        self.thigh = rng.uniform(0.19, 0.24)
        self.shin = rng.uniform(0.18, 0.23)
        self.torso = rng.uniform(0.26, 0.32)
        self.shoulder = rng.uniform(0.09, 0.12)
        self.hip = rng.uniform(0.06, 0.08)
        self.textures = [random_texture(rng) for _ in PARTS]
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

    def render(self, joints: np.ndarray, size: Tuple[int, int],
               background: np.ndarray) -> np.ndarray:
        """Draws the mannequin over a plain background: (H, W, 3) uint8."""
        h, w = size
        canvas = np.empty((h, w, 3), np.uint8)
        canvas[:] = background
        pts = {n: joints[i] for i, n in enumerate(OPENPOSE18_NAMES)}
        pts['pelvis'] = (pts['left_hip'] + pts['right_hip']) / 2
        scale = h
        for (a, b, width), tex in zip(PARTS, self.textures):
            p, q = pts[a], pts[b]
            axis = q - p
            length = np.linalg.norm(axis)
            if length < 1e-3:
                continue
            normal = np.array([-axis[1], axis[0]]) / length
            half = normal * width * scale / 2
            # Texture corners (0,0), (T,0), (0,T) -> limb start-left,
            # end-left, start-right: the texture moves with the limb.
            src = np.float32([[0, 0], [TEXTURE_SIZE, 0], [0, TEXTURE_SIZE]])
            dst = np.float32([p - half, q - half, p + half])
            m = cv2.getAffineTransform(src, dst)
            warped = cv2.warpAffine(
                tex, m, (w, h), flags=cv2.INTER_LINEAR,
                borderMode=cv2.BORDER_REFLECT)
            mask = cv2.warpAffine(
                np.full((TEXTURE_SIZE, TEXTURE_SIZE), 255, np.uint8), m,
                (w, h), flags=cv2.INTER_LINEAR) > 127
            canvas[mask] = warped[mask]
        head = pts['nose']
        radius = max(2, int(round(0.06 * scale)))
        cv2.circle(canvas, (int(head[0]), int(head[1])), radius,
                   tuple(int(c) for c in self.skin), -1, cv2.LINE_AA)
        return canvas


def visible_keypoints(joints: np.ndarray, size: Tuple[int, int],
                      rng: np.random.Generator,
                      drop_prob: float) -> np.ndarray:
    """Integer keypoints as in the official CSVs: -1 when outside the image
    or randomly dropped (as occluded joints are in real annotations)."""
    h, w = size
    kps = np.floor(joints).astype(np.int64)
    inside = ((kps[:, 0] >= 0) & (kps[:, 0] < w) & (kps[:, 1] >= 0) &
              (kps[:, 1] < h))
    keep = inside & (rng.random(len(kps)) >= drop_prob)
    kps[~keep] = MISSING
    return kps


def make_synthetic_dataset(out_dir: str,
                           num_identities: Tuple[int, int] = (12, 4),
                           poses_per_identity: int = 4,
                           size: Tuple[int, int] = (128, 128),
                           seed: int = 0,
                           drop_prob: float = 0.03,
                           progress: Optional[callable] = None) -> Dict:
    """Writes train and test splits in the DeepFashion file format.

    Layout: ``{out}/train/*.jpg``, ``{out}/test/*.jpg``,
    ``fasion-pairs-{split}.csv`` (all ordered pairs of one identity) and
    ``fasion-annotation-{split}.csv`` (coordinates in the image frame, so
    use ``keypoint_frame=size``). Identities never repeat across splits.

    Args:
        out_dir (str): Output folder (created).
        num_identities (tuple): Identities in (train, test).
        poses_per_identity (int): Poses (images) per identity, >= 2.
        size (tuple): (H, W) of the images.
        seed (int): Random seed; the same seed writes the same files.
        drop_prob (float): Probability of marking a joint missing.
        progress (callable, optional): Wraps the identity iterator (tqdm).

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
        os.makedirs(img_dir, exist_ok=True)
        rows: List[Tuple[str, List[int], List[int]]] = []
        pairs: List[Tuple[str, str]] = []
        ids = range(identity, identity + count)
        for person_id in (progress(ids) if progress else ids):
            person = Mannequin(rng)
            background = rng.integers(200, 256, size=3)
            names = []
            for k in range(poses_per_identity):
                joints = person.pose(rng, size)
                img = person.render(joints, size, background)
                name = f'synthid{person_id:05d}pose{k:02d}.jpg'
                cv2.imwrite(osp.join(img_dir, name), img[:, :, ::-1],
                            [cv2.IMWRITE_JPEG_QUALITY, 95])
                kps = visible_keypoints(joints, size, rng, drop_prob)
                rows.append((name, kps[:, 1].tolist(), kps[:, 0].tolist()))
                names.append(name)
            pairs += [(a, b) for a in names for b in names if a != b]
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


def openpose_json(keypoints: np.ndarray) -> dict:
    """One frame in the OpenPose JSON format the official animation data
    uses: ``people[0].pose_keypoints_2d`` = x, y, score per joint; a
    missing joint is (0, 0, 0)."""
    flat = []
    for x, y in keypoints:
        flat += [0.0, 0.0, 0.0] if x < 0 else [float(x), float(y), 1.0]
    return dict(version=1.1, people=[dict(pose_keypoints_2d=flat)])


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
                         noise_px: float = 2.0,
                         drop_prob: float = 0.05,
                         progress: Optional[callable] = None) -> Dict:
    """Short clips of one mannequin moving smoothly, with skeleton tracks.

    Per clip ``NAME`` of split ``S``::

        {out}/{S}_A/NAME/00000.png ...          frames
        {out}/{S}_clean/NAME/00000.json ...     exact skeletons
        {out}/{S}_alphapose/NAME/00000.json ... noisy copy (jitter of
                                                ``noise_px`` px, dropped
                                                joints), as a pose
                                                detector would give

    Skeletons are OpenPose-18 in the OpenPose JSON format
    (:func:`openpose_json`). Clips never share an identity across splits.

    Returns:
        dict: Counts of clips and frames per split.
    """
    if num_frames < 2:
        raise ValueError('num_frames must be >= 2')
    rng = np.random.default_rng(seed)
    stats = {}
    clip_id = 0
    for split, count in zip(('train', 'test'), num_clips):
        ids = range(clip_id, clip_id + count)
        for cid in (progress(ids) if progress else ids):
            person = Mannequin(rng)
            background = rng.integers(200, 256, size=3)
            keys = np.stack([person.pose(rng, size) for _ in range(3)])
            track = smooth_track(keys, num_frames)
            name = f'synthclip{cid:04d}'
            dirs = {
                kind: osp.join(out_dir, f'{split}_{kind}', name)
                for kind in ('A', 'clean', 'alphapose')
            }
            for d in dirs.values():
                os.makedirs(d, exist_ok=True)
            for f, joints in enumerate(track):
                img = person.render(joints, size, background)
                cv2.imwrite(osp.join(dirs['A'], f'{f:05d}.png'),
                            img[:, :, ::-1])
                clean = visible_keypoints(joints, size, rng, 0.0)
                noisy = visible_keypoints(
                    joints + rng.normal(0, noise_px, joints.shape), size,
                    rng, drop_prob)
                for kind, kps in (('clean', clean), ('alphapose', noisy)):
                    with open(osp.join(dirs[kind], f'{f:05d}.json'),
                              'w') as fh:
                        json.dump(openpose_json(kps), fh)
        clip_id += count
        stats[split] = dict(clips=count, frames=count * num_frames)
    return stats


__all__ = [
    'Mannequin', 'make_synthetic_dataset', 'make_synthetic_clips',
    'visible_keypoints', 'openpose_json', 'smooth_track'
]
