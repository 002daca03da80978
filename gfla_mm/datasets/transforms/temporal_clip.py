# Copyright (c) OpenMMLab. All rights reserved.
"""Which frames of a video make one training clip (or the test sequence),
and which frame is the reference."""
from typing import List, Optional, Tuple

import numpy as np
from mmcv.transforms import BaseTransform

from gfla_mm.registry import TRANSFORMS

# Per-frame path lists of a PoseVideoDataset item -> the clip's lists.
CLIP_TRACKS = (('frame_paths', 'clip_frame_paths'),
               ('clean_skeleton_paths', 'clip_skeleton_paths'),
               ('noisy_skeleton_paths', 'clip_noisy_skeleton_paths'),
               ('mask_paths', 'clip_mask_paths'))


class ClipSampleError(ValueError):
    """A video cannot give the clip asked for; the message names it."""


@TRANSFORMS.register_module()
class TemporalClipSample(BaseTransform):
    """Samples the frames of one clip and the reference frame, as GFLA's
    animation data does (``AnimationDataset.get_video_params``,
    ``DanceDataset``).

    Training (``test_mode=False``), for a video of L frames:

    - clip length T = min(``num_frames``, L) rounded down to a multiple of
      the chunk C = min(``chunk_size``, T) (official: ``n_frames_total=30``,
      ``max_frames_per_gpu=6``); the model updates every C frames
      (truncated back-propagation through time);
    - frame spacing ``t_step``: fixed, or (None) ``randint(min(max_t_step,
      L // T)) + 1`` (official; 1 with the default ``max_t_step=1``);
    - start: fixed, or (None) uniform in ``[0, max(1, L - (T - 1) t_step))``.

    Test (``test_mode=True``): the whole video from ``start`` (default 0,
    the official ``start_frame``), t_step 1, optionally cut to
    ``max_test_frames``, then padded to a multiple of C by repeating the
    last frame (official ``pad_for_latest_frames``); the model runs it C
    frames at a time, carrying its state. The official test loader returns
    one load of C frames per item; here one item is the whole sequence.

    Reference: a uniform draw among the first ``num_ref_frames`` (20)
    reference candidates (the item's ``ref_*_paths``; the video's first 20
    frames, as the official ``split_ref_gen``), or ``ref_index``. In test
    mode ``ref_index=None`` takes candidate 0 (the official redraws it for
    every load of C frames, so the reference changes within a video).

    Short videos (L < T wanted): ``short_video='shrink'`` (official) uses
    the shorter clip above and fails only if L < ``chunk_size``;
    ``'error'`` fails whenever L < ``num_frames``; ``'pad'`` keeps
    T = ``num_frames`` and repeats the last frame, marking the repeats
    invalid. Errors are :class:`ClipSampleError` naming the video and the
    frame counts. All per-frame lists of the item must have L entries.

    Required Keys:

    - video, frame_paths, clean_skeleton_paths, noisy_skeleton_paths,
      ref_frame_paths, ref_skeleton_paths; mask_paths (optional)

    Added Keys:

    - clip_indices (list[int]): T frame indices into the video.
    - clip_valid (np.ndarray): (T,) bool, False for padding frames.
    - num_valid (int): number of True in ``clip_valid``.
    - chunk_size (int): C, frames per truncated-BPTT chunk; T % C == 0.
    - t_step (int), ref_index (int): spacing; index of the reference
      among the candidates.
    - clip_frame_paths, clip_skeleton_paths (clean),
      clip_noisy_skeleton_paths, clip_mask_paths (if masks): T paths.
    - ref_frame_path, ref_skeleton_path (noisy track).

    Args:
        num_frames (int): Clip length T (training). Defaults to 30.
        chunk_size (int): Frames per chunk C. Defaults to 6.
        t_step (int, optional): Fixed spacing. Defaults to None (random).
        max_t_step (int): Largest random spacing. Defaults to 1.
        start (int, optional): Fixed first frame. Defaults to None (random
            in training, 0 in test mode).
        num_ref_frames (int): Reference candidates kept (the first N).
            Defaults to 20.
        ref_index (int, optional): Fixed reference candidate. Defaults to
            None.
        short_video (str): ``'shrink'``, ``'error'`` or ``'pad'``.
            Defaults to ``'shrink'``.
        test_mode (bool): Whole-video sampling. Defaults to False.
        max_test_frames (int, optional): Cut test sequences to this many
            frames (official ``total_test_frames``). Defaults to None.
    """

    SHORT_VIDEO = ('shrink', 'error', 'pad')

    def __init__(self,
                 num_frames: int = 30,
                 chunk_size: int = 6,
                 t_step: Optional[int] = None,
                 max_t_step: int = 1,
                 start: Optional[int] = None,
                 num_ref_frames: int = 20,
                 ref_index: Optional[int] = None,
                 short_video: str = 'shrink',
                 test_mode: bool = False,
                 max_test_frames: Optional[int] = None) -> None:
        for name, value in (('num_frames', num_frames),
                            ('chunk_size', chunk_size),
                            ('max_t_step', max_t_step),
                            ('num_ref_frames', num_ref_frames)):
            if int(value) != value or value < 1:
                raise ValueError(f'{name} must be a positive int, got '
                                 f'{value!r}')
        if t_step is not None and (int(t_step) != t_step or t_step < 1):
            raise ValueError(f't_step must be a positive int, got {t_step!r}')
        if start is not None and start < 0:
            raise ValueError(f'start must be >= 0, got {start}')
        if ref_index is not None and ref_index < 0:
            raise ValueError(f'ref_index must be >= 0, got {ref_index}')
        if short_video not in self.SHORT_VIDEO:
            raise ValueError(f'short_video must be one of {self.SHORT_VIDEO}'
                             f', got {short_video!r}')
        if short_video == 'pad' and num_frames % chunk_size:
            raise ValueError(f"short_video='pad' needs num_frames "
                             f'({num_frames}) to be a multiple of chunk_size '
                             f'({chunk_size})')
        self.num_frames = int(num_frames)
        self.chunk_size = int(chunk_size)
        self.t_step = t_step
        self.max_t_step = int(max_t_step)
        self.start = start
        self.num_ref_frames = int(num_ref_frames)
        self.ref_index = ref_index
        self.short_video = short_video
        self.test_mode = test_mode
        self.max_test_frames = max_test_frames

    def _train_indices(self, video: str, length: int
                       ) -> Tuple[List[int], np.ndarray, int, int]:
        if length < self.num_frames and self.short_video == 'error':
            raise ClipSampleError(
                f'video {video!r} has {length} frames, fewer than the '
                f"{self.num_frames} of a clip (short_video='error')")
        if self.short_video == 'pad':
            total = self.num_frames
        else:
            # frames that fit at a fixed spacing; all of them otherwise
            fit = (length if self.t_step is None else
                   (length - 1) // int(self.t_step) + 1)
            total = min(self.num_frames, fit)
            total -= total % self.chunk_size
            if total == 0:
                raise ClipSampleError(
                    f'video {video!r} has {length} frames, fewer than one '
                    f'chunk of {self.chunk_size}'
                    + ('' if self.t_step is None else
                       f' every {self.t_step} frames') +
                    f" (short_video={self.short_video!r}; 'pad' repeats "
                    'its last frame)')
        chunk = self.chunk_size
        if self.t_step is not None:
            t_step = int(self.t_step)
        else:
            t_step = np.random.randint(
                max(1, min(self.max_t_step, length // total))) + 1
        span = (total - 1) * t_step + 1
        if self.start is not None:
            start = int(self.start)
            if start >= length or (span > length - start
                                   and self.short_video != 'pad'):
                raise ClipSampleError(
                    f'video {video!r} has {length} frames: a clip of '
                    f'{total} frames every {t_step} from frame {start} needs '
                    f'{start + span}')
        else:
            start = np.random.randint(max(1, length - span + 1))
        raw = start + t_step * np.arange(total)
        valid = raw < length
        if not valid.all() and self.short_video != 'pad':
            raise ClipSampleError(
                f'video {video!r} has {length} frames: a clip of {total} '
                f'frames every {t_step} from frame {start} needs '
                f'{start + span}')
        return np.minimum(raw, length - 1).tolist(), valid, chunk, t_step

    def _test_indices(self, video: str, length: int
                      ) -> Tuple[List[int], np.ndarray, int, int]:
        start = 0 if self.start is None else int(self.start)
        if start >= length:
            raise ClipSampleError(f'video {video!r} has {length} frames; '
                                  f'the test sequence cannot start at frame '
                                  f'{start}')
        stop = length if self.max_test_frames is None else min(
            length, start + self.max_test_frames)
        count = stop - start
        padded = -(-count // self.chunk_size) * self.chunk_size
        raw = start + np.arange(padded)
        valid = raw < stop
        return np.minimum(raw, stop - 1).tolist(), valid, self.chunk_size, 1

    def _reference(self, results: dict, video: str) -> int:
        candidates = len(results['ref_frame_paths'])
        if len(results['ref_skeleton_paths']) != candidates:
            raise ClipSampleError(
                f'video {video!r}: {candidates} reference frames but '
                f'{len(results["ref_skeleton_paths"])} reference skeletons')
        if candidates == 0:
            raise ClipSampleError(f'video {video!r} has no reference '
                                  'candidates')
        usable = min(candidates, self.num_ref_frames)
        if self.ref_index is not None:
            if self.ref_index >= usable:
                raise ClipSampleError(
                    f'video {video!r}: reference index {self.ref_index} is '
                    f'out of range; it has {candidates} reference candidates '
                    f'and the first {usable} are used')
            return int(self.ref_index)
        if self.test_mode:
            return 0
        return int(np.random.randint(usable))

    def transform(self, results: dict) -> dict:
        video = results.get('video', '?')
        length = len(results['frame_paths'])
        for src, _ in CLIP_TRACKS[1:]:
            if src in results and len(results[src]) != length:
                raise ClipSampleError(
                    f'video {video!r}: {length} frames but '
                    f'{len(results[src])} entries in {src}')
        if length == 0:
            raise ClipSampleError(f'video {video!r} has no frames')
        sample = self._test_indices if self.test_mode else self._train_indices
        indices, valid, chunk, t_step = sample(video, length)
        results.update(
            clip_indices=indices,
            clip_valid=valid,
            num_valid=int(valid.sum()),
            chunk_size=chunk,
            t_step=t_step)
        for src, dst in CLIP_TRACKS:
            if src in results:
                results[dst] = [results[src][i] for i in indices]
        ref = self._reference(results, video)
        results['ref_index'] = ref
        results['ref_frame_path'] = results['ref_frame_paths'][ref]
        results['ref_skeleton_path'] = results['ref_skeleton_paths'][ref]
        return results

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(num_frames={self.num_frames}, '
                f'chunk_size={self.chunk_size}, t_step={self.t_step}, '
                f'max_t_step={self.max_t_step}, start={self.start}, '
                f'num_ref_frames={self.num_ref_frames}, '
                f'ref_index={self.ref_index}, '
                f'short_video={self.short_video!r}, '
                f'test_mode={self.test_mode})')


__all__ = ['TemporalClipSample', 'ClipSampleError']
