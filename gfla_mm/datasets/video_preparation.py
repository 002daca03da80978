# Copyright (c) OpenMMLab. All rights reserved.
"""Preparing FashionVideo / iPER videos in the official GFLA animation
layout: frames from the mp4s, and checks of the skeleton folders."""
import os
import os.path as osp
from typing import Dict, List, Optional, Sequence, Tuple

import cv2

from .pose_video_dataset import IMAGE_SUFFIXES

# Per-frame folders that must match train_A (the mask folder only if there).
SKELETON_TRACKS = ('train_alphapose', 'train_video2d')
OPTIONAL_TRACKS = ('train_C', )


def frame_name(index: int) -> str:
    """The official frame file name: ``00000.png``."""
    return f'{index:05d}.png'


def extract_frames(video: str,
                   out_dir: str,
                   size: Optional[Tuple[int, int]] = (256, 256)) -> int:
    """Writes every frame of a video as ``out_dir/00000.png``, ...

    Frames are resized to ``size`` (H, W) with bicubic interpolation and no
    crop (the official ``extract_video_frames.py``: 256x256 bicubic).

    Args:
        video (str): A video file cv2 can read (mp4).
        out_dir (str): Folder of the frames (created).
        size (tuple, optional): (H, W); None keeps the video's size.

    Returns:
        int: Number of frames written.
    """
    cap = cv2.VideoCapture(video)
    if not cap.isOpened():
        raise OSError(f'cannot open video {video}')
    os.makedirs(out_dir, exist_ok=True)
    count = 0
    try:
        while True:
            ok, frame = cap.read()
            if not ok:
                break
            if size is not None and frame.shape[:2] != tuple(size):
                frame = cv2.resize(frame, (size[1], size[0]),
                                   interpolation=cv2.INTER_CUBIC)
            if not cv2.imwrite(osp.join(out_dir, frame_name(count)), frame):
                raise OSError(f'cannot write frames to {out_dir}')
            count += 1
    finally:
        cap.release()
    if count == 0:
        raise OSError(f'no frame could be decoded from {video}')
    return count


def _stems(folder: str, suffixes: Sequence[str]) -> List[str]:
    return sorted(
        osp.splitext(n)[0] for n in os.listdir(folder)
        if osp.splitext(n)[1].lower() in suffixes)


def check_tracks(split_root: str,
                 frame_dir: str = 'train_A'
                 ) -> Tuple[Dict[str, int], List[str], List[str]]:
    """Checks that every per-frame folder matches the frames.

    For each video of ``split_root/frame_dir`` and each track folder
    (``train_alphapose``, ``train_video2d``, and ``train_C`` if present),
    the track must have a folder of the same name holding one file per
    frame, with the frames' names (``00000.json`` for ``00000.png``).

    Args:
        split_root (str): The split folder, e.g. ``OUT/train_256``.
        frame_dir (str): Frames folder. Defaults to ``'train_A'``.

    Returns:
        tuple: (counts: ``videos``, ``frames`` and, per track found, the
        videos that match), problems (one line each), notes (track folders
        absent: not yet downloaded).
    """
    frames_root = osp.join(split_root, frame_dir)
    videos = sorted(v for v in os.listdir(frames_root)
                    if osp.isdir(osp.join(frames_root, v)))
    frames = {v: _stems(osp.join(frames_root, v), IMAGE_SUFFIXES)
              for v in videos}
    counts = dict(videos=len(videos), frames=sum(map(len, frames.values())))
    problems, notes = [], []
    for track in SKELETON_TRACKS + OPTIONAL_TRACKS:
        root = osp.join(split_root, track)
        if not osp.isdir(root):
            if track in SKELETON_TRACKS:
                notes.append(f'{track}/ not found in {split_root}')
            continue
        suffixes = ('.json', ) if track in SKELETON_TRACKS else IMAGE_SUFFIXES
        good = 0
        for video in videos:
            folder = osp.join(root, video)
            if not osp.isdir(folder):
                problems.append(f'{track}/{video}: folder missing')
                continue
            have = _stems(folder, suffixes)
            if have == frames[video]:
                good += 1
                continue
            missing = sorted(set(frames[video]) - set(have))
            extra = sorted(set(have) - set(frames[video]))
            detail = f'{len(frames[video])} frames, {len(have)} files'
            if missing:
                detail += f'; no file for frame(s) {", ".join(missing[:3])}'
            if extra:
                detail += f'; no frame for {", ".join(extra[:3])}'
            problems.append(f'{track}/{video}: {detail}')
        for video in sorted(set(os.listdir(root)) - set(videos)):
            if osp.isdir(osp.join(root, video)):
                problems.append(f'{track}/{video}: no such video in '
                                f'{frame_dir}/')
        counts[track] = good
    return counts, problems, notes


def prepare_videos(videos: Dict[str, str],
                   split_root: str,
                   size: Optional[Tuple[int, int]],
                   progress=None) -> Tuple[int, List[str]]:
    """Extracts the frames of ``{name: mp4 path}`` into
    ``split_root/train_A/name/``.

    Returns:
        tuple: (frames written, problems: videos that could not be read).
    """
    written, problems = 0, []
    items = sorted(videos.items())
    for name, path in (progress(items) if progress else items):
        try:
            written += extract_frames(
                path, osp.join(split_root, 'train_A', name), size)
        except OSError as exc:
            problems.append(str(exc))
    return written, problems


def report_split(split: str, split_root: str, problems: List[str],
                 out=None, err=None) -> bool:
    """Checks a prepared split (:func:`check_tracks`) and prints a summary
    to ``out`` and each problem to ``err`` (stdout / stderr).

    Returns:
        bool: True if there was any problem (``problems`` included).
    """
    import sys
    out = out or sys.stdout
    err = err or sys.stderr
    frames_root = osp.join(split_root, 'train_A')
    if not osp.isdir(frames_root):
        problems = problems + [f'{frames_root} not found']
        counts, notes = dict(videos=0, frames=0), []
    else:
        counts, more, notes = check_tracks(split_root)
        problems = problems + more
    line = f'{split}: {counts["videos"]} videos, {counts["frames"]} frames'
    for track in SKELETON_TRACKS + OPTIONAL_TRACKS:
        if track in counts:
            line += f'; {track}: {counts[track]} of {counts["videos"]} match'
    print(line, file=out)
    for note in notes:
        print(f'  note: {note} (put the downloaded skeletons there)',
              file=out)
    for problem in problems:
        print(f'  {split}: {problem}', file=err)
    return bool(problems)


__all__ = [
    'extract_frames', 'check_tracks', 'prepare_videos', 'report_split',
    'frame_name', 'SKELETON_TRACKS'
]
