# Copyright (c) OpenMMLab. All rights reserved.
import json
import os.path as osp

import cv2
import numpy as np
import pytest

from gfla_mm.datasets import (
    COCO17_NAMES,
    OPENPOSE18_NAMES,
    PoseDataError,
    PoseVideoDataset,
)
from gfla_mm.datasets.transforms import (
    LoadClipFrames,
    LoadClipSkeletons,
    TemporalClipSample,
)

VIDEO = 'synthclip0000'


def sampled(root, **kwargs):
    info = PoseVideoDataset(root, mask_dir='train_C').get_data_info(0)
    args = dict(num_frames=6, start=0, ref_index=2)
    args.update(kwargs)
    return TemporalClipSample(**args)(info)


def read_json(path):
    with open(path) as f:
        flat = json.load(f)['people'][0]['pose_keypoints_2d']
    return np.array(flat).reshape(-1, 3)


def test_frames_masks_and_reference(clip_root):
    results = LoadClipFrames()(sampled(clip_root))
    frames = results['frames']
    assert frames.shape == (6, 48, 40, 3) and frames.dtype == np.uint8
    first = cv2.imread(results['clip_frame_paths'][0])
    np.testing.assert_array_equal(frames[0], first[:, :, ::-1])  # RGB
    np.testing.assert_array_equal(results['ref_img'], frames[2])
    assert results['masks'].shape == (6, 48, 40)
    assert set(np.unique(results['masks'])) <= {0, 255}
    assert results['ori_frame_shape'] == (48, 40)


def test_skeleton_semantics(clip_root):
    results = LoadClipSkeletons()(LoadClipFrames()(sampled(clip_root)))
    kps, ref = results['keypoints'], results['ref_keypoints']
    assert kps.shape == (6, 17, 2) and ref.shape == (17, 2)
    # driving: the clean H36M-17 track as written (0 -> missing)
    clean = read_json(results['clip_skeleton_paths'][3])
    expect = np.where((clean[:, :2] == 0).any(1, keepdims=True), -1,
                      clean[:, :2])
    np.testing.assert_allclose(kps[3], expect, rtol=1e-6)
    # reference: the noisy OpenPose-18 of frame 2, in COCO-17 order
    noisy = read_json(results['ref_skeleton_path'])
    assert results['ref_skeleton_path'].endswith(
        osp.join('train_alphapose', VIDEO, '00002.json'))
    for name in ('left_shoulder', 'right_ankle', 'nose'):
        op = noisy[OPENPOSE18_NAMES.index(name)]
        got = ref[COCO17_NAMES.index(name)]
        if op[2] > 0:
            np.testing.assert_array_equal(got, op[:2])
        else:
            np.testing.assert_array_equal(got, [-1, -1])


def test_noisy_track_and_load_size(clip_root):
    results = LoadClipSkeletons(load_noisy=True)(
        LoadClipFrames(load_size=(96, 80))(sampled(clip_root)))
    assert results['frames'].shape == (6, 96, 80, 3)
    assert results['masks'].shape == (6, 96, 80)
    small = LoadClipSkeletons(load_noisy=True)(
        LoadClipFrames()(sampled(clip_root)))
    both = (small['keypoints'] >= 0).all(-1)
    np.testing.assert_allclose(results['keypoints'][both],
                               small['keypoints'][both] * 2, rtol=1e-6)
    assert results['noisy_keypoints'].shape == (6, 17, 2)


def test_noisy_driving_skeletons(clip_root):
    # Seq-Animation (Table IV): the detector's track drives, as H36M-17.
    from gfla_mm.datasets.keypoint_formats import coco17_to_h36m17
    loaded = LoadClipFrames()(sampled(clip_root))
    clean = LoadClipSkeletons(load_noisy=True)(dict(loaded))
    noisy = LoadClipSkeletons(driving='noisy')(dict(loaded))
    assert noisy['keypoints'].shape == (6, 17, 2)
    expected = coco17_to_h36m17(clean['noisy_keypoints'],
                                (clean['noisy_keypoints'] >= 0).all(-1))
    np.testing.assert_allclose(noisy['keypoints'], expected, rtol=1e-6)
    assert not np.allclose(noisy['keypoints'], clean['keypoints'])
    np.testing.assert_array_equal(noisy['ref_keypoints'],
                                  clean['ref_keypoints'])
    with pytest.raises(ValueError, match='driving must be one of'):
        LoadClipSkeletons(driving='smooth')


def test_missing_skeleton_file(clip_copy):
    results = LoadClipFrames()(sampled(clip_copy))
    import os
    os.remove(results['clip_skeleton_paths'][4])
    with pytest.raises(PoseDataError,
                       match=f"video '{VIDEO}', frame 00004.json: skeleton "
                       'file .* does not exist'):
        LoadClipSkeletons()(results)


def test_skeleton_without_person(clip_copy):
    results = LoadClipFrames()(sampled(clip_copy))
    with open(results['clip_skeleton_paths'][1], 'w') as f:
        json.dump(dict(version=1.1, people=[]), f)
    with pytest.raises(PoseDataError,
                       match=f"video '{VIDEO}', frame 00001.json: skeleton "
                       'file .* has no person'):
        LoadClipSkeletons()(dict(results))
    out = LoadClipSkeletons(empty='missing')(dict(results))
    assert (out['keypoints'][1] == -1).all()
    assert (out['keypoints'][0] >= 0).any()


@pytest.mark.parametrize('content, message', [
    ('{not json', 'is not an OpenPose JSON file'),
    ('{"people": [{"pose_keypoints_2d": [1, 2, 3]}]}',
     'holds 3 values in pose_keypoints_2d, expected 51'),
])
def test_bad_skeleton_json(clip_copy, content, message):
    results = LoadClipFrames()(sampled(clip_copy))
    with open(results['clip_skeleton_paths'][5], 'w') as f:
        f.write(content)
    with pytest.raises(PoseDataError,
                       match=f"video '{VIDEO}', frame 00005.json: .*"
                       f'{message}'):
        LoadClipSkeletons()(results)


def test_corrupt_frame(clip_copy):
    results = sampled(clip_copy)
    with open(results['clip_frame_paths'][3], 'wb') as f:
        f.write(b'not a png')
    with pytest.raises(OSError,
                       match=f"video '{VIDEO}', frame 00003.png: frame .* "
                       'cannot be decoded'):
        LoadClipFrames()(results)


def test_missing_reference_frame(clip_copy):
    results = sampled(clip_copy, ref_index=8)
    import os
    os.remove(results['ref_frame_path'])
    with pytest.raises(FileNotFoundError,
                       match=f"video '{VIDEO}', frame 00008.png: reference "
                       'frame .* does not exist'):
        LoadClipFrames()(results)


def test_frames_of_different_sizes(clip_copy):
    results = sampled(clip_copy)
    cv2.imwrite(results['clip_frame_paths'][2],
                np.zeros((30, 30, 3), np.uint8))
    with pytest.raises(ValueError,
                       match=f"video '{VIDEO}', frame 00002.png: frame is "
                       "30x30, the clip's first is 40x48"):
        LoadClipFrames()(results)


def test_padding_frames_are_read_once(clip_root, monkeypatch):
    results = sampled(clip_root, num_frames=12, short_video='pad', start=8)
    assert results['num_valid'] == 5
    calls = []
    real = cv2.imread
    monkeypatch.setattr(cv2, 'imread',
                        lambda p, f: calls.append(p) or real(p, f))
    out = LoadClipFrames()(results)
    assert len(out['frames']) == 12
    np.testing.assert_array_equal(out['frames'][4], out['frames'][11])
    assert len([c for c in calls if 'train_A' in c]) == 5 + 1  # + reference
