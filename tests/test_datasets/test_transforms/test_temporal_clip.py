# Copyright (c) OpenMMLab. All rights reserved.
import numpy as np
import pytest

from gfla_mm.datasets.transforms import ClipSampleError, TemporalClipSample


def video(length, refs=None, name='vid'):
    frames = [f'{name}/A/{i:05d}.png' for i in range(length)]
    noisy = [f'{name}/noisy/{i:05d}.json' for i in range(length)]
    refs = length if refs is None else refs
    return dict(
        video=name,
        frame_paths=frames,
        clean_skeleton_paths=[f'{name}/clean/{i:05d}.json'
                              for i in range(length)],
        noisy_skeleton_paths=noisy,
        ref_frame_paths=frames[:refs],
        ref_skeleton_paths=noisy[:refs])


def test_official_defaults():
    np.random.seed(0)
    t = TemporalClipSample()
    starts = set()
    for _ in range(50):
        out = t(video(100))
        idx = out['clip_indices']
        assert len(idx) == 30 and out['chunk_size'] == 6
        assert np.all(np.diff(idx) == 1) and out['t_step'] == 1
        assert out['clip_valid'].all() and out['num_valid'] == 30
        starts.add(idx[0])
        assert 0 <= idx[0] <= 70
        assert 0 <= out['ref_index'] < 20
        assert out['ref_frame_path'] == f'vid/A/{out["ref_index"]:05d}.png'
        assert out['clip_skeleton_paths'] == [
            f'vid/clean/{i:05d}.json' for i in idx
        ]
        assert out['clip_noisy_skeleton_paths'][0].startswith('vid/noisy/')
    assert len(starts) > 10  # random start


def test_short_video_shrinks_to_chunks():
    # official: min(30, L) rounded down to a multiple of 6
    out = TemporalClipSample()(video(17))
    assert len(out['clip_indices']) == 12
    assert out['clip_indices'][-1] <= 16
    with pytest.raises(ClipSampleError,
                       match="video 'vid' has 5 frames, fewer than one chunk "
                       'of 6'):
        TemporalClipSample()(video(5))


def test_short_video_error_and_pad():
    with pytest.raises(ClipSampleError,
                       match="video 'vid' has 17 frames, fewer than the 30"):
        TemporalClipSample(short_video='error')(video(17))
    out = TemporalClipSample(num_frames=12, short_video='pad')(video(5))
    assert out['clip_indices'] == [0, 1, 2, 3, 4] + [4] * 7
    assert out['clip_valid'].tolist() == [True] * 5 + [False] * 7
    assert out['num_valid'] == 5
    assert out['clip_frame_paths'][-1] == 'vid/A/00004.png'
    with pytest.raises(ValueError, match='multiple of chunk_size'):
        TemporalClipSample(num_frames=10, short_video='pad')


def test_stride():
    out = TemporalClipSample(num_frames=6, t_step=3, start=2)(video(20))
    assert out['clip_indices'] == [2, 5, 8, 11, 14, 17]
    assert out['t_step'] == 3
    # random t_step: up to min(max_t_step, L // T)
    np.random.seed(1)
    steps = {
        TemporalClipSample(num_frames=6, max_t_step=4)(video(20))['t_step']
        for _ in range(60)
    }
    assert steps == {1, 2, 3}
    # a fixed stride shrinks the clip to what fits ...
    out = TemporalClipSample(num_frames=12, t_step=2, start=0)(video(13))
    assert out['clip_indices'] == [0, 2, 4, 6, 8, 10]
    # ... and a fixed start that leaves too little is an error
    with pytest.raises(ClipSampleError,
                       match="video 'vid' has 20 frames: a clip of 6 frames "
                       'every 3 from frame 5 needs 21'):
        TemporalClipSample(num_frames=6, t_step=3, start=5)(video(20))


def test_reference_range():
    np.random.seed(2)
    refs = {TemporalClipSample()(video(40))['ref_index'] for _ in range(200)}
    assert refs == set(range(20))  # uniform among the first 20 frames
    refs = {TemporalClipSample()(video(40, refs=3))['ref_index']
            for _ in range(50)}
    assert refs == {0, 1, 2}
    out = TemporalClipSample(ref_index=7)(video(40))
    assert out['ref_frame_path'] == 'vid/A/00007.png'
    assert out['ref_skeleton_path'] == 'vid/noisy/00007.json'
    with pytest.raises(ClipSampleError,
                       match="video 'vid': reference index 25 is out of "
                       'range; it has 40 reference candidates and the first '
                       '20 are used'):
        TemporalClipSample(ref_index=25)(video(40))
    with pytest.raises(ClipSampleError, match='reference index 3'):
        TemporalClipSample(ref_index=3)(video(40, refs=2))


def test_test_mode_chunks_and_padding():
    t = TemporalClipSample(test_mode=True)
    out = t(video(14))
    assert out['clip_indices'] == list(range(14)) + [13] * 4
    assert len(out['clip_indices']) % out['chunk_size'] == 0
    assert out['clip_valid'].tolist() == [True] * 14 + [False] * 4
    assert out['num_valid'] == 14 and out['ref_index'] == 0
    out = t(video(12))
    assert out['clip_valid'].all() and len(out['clip_indices']) == 12
    out = TemporalClipSample(test_mode=True, start=4,
                             max_test_frames=5)(video(30))
    assert out['clip_indices'] == [4, 5, 6, 7, 8, 8]
    assert out['num_valid'] == 5


def test_mismatched_track_lengths():
    item = video(10)
    item['clean_skeleton_paths'].pop()
    with pytest.raises(ClipSampleError,
                       match="video 'vid': 10 frames but 9 entries in "
                       'clean_skeleton_paths'):
        TemporalClipSample(num_frames=6)(item)


def test_masks_follow_the_clip():
    item = video(12)
    item['mask_paths'] = [f'vid/C/{i:05d}.png' for i in range(12)]
    out = TemporalClipSample(num_frames=6, start=3)(item)
    assert out['clip_mask_paths'] == [f'vid/C/{i:05d}.png'
                                      for i in range(3, 9)]
