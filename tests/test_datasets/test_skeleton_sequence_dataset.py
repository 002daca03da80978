# Copyright (c) OpenMMLab. All rights reserved.
"""Skeleton-sequence datasets (Human3.6M in VideoPose3D's files, synthetic
tracks) and their transforms."""
import os.path as osp

import numpy as np
import pytest
import torch
from mmengine.dataset import default_collate
from mmengine.registry import DefaultScope

from gfla_mm.datasets import (
    COCO17_NAMES,
    H36MSkeletonDataset,
    PoseDataError,
    SyntheticSkeletonDataset,
    coco17_to_h36m17,
    synthetic_skeleton_track,
)
from gfla_mm.evaluation.metrics import mean_joint_error


def _write_h36m(root, lengths, detectron_extra=2, drop_action=None):
    """Tiny files in VideoPose3D's layout: subject -> action -> 4 cameras."""
    rng = np.random.default_rng(0)
    gt, det = {}, {}
    for subject, actions in lengths.items():
        gt[subject], det[subject] = {}, {}
        for action, num in actions.items():
            cams = [rng.uniform(0, 1000, (num, 17, 2)) for _ in range(4)]
            gt[subject][action] = cams
            if action != drop_action:
                # Detectron: score channels, a few frames more
                det[subject][action] = [
                    np.concatenate([
                        np.pad(c, ((0, detectron_extra), (0, 0), (0, 0)),
                               mode='edge') + 3,
                        np.ones((num + detectron_extra, 17, 2))
                    ], -1) for c in cams
                ]
    for name, data in (('data_2d_h36m_gt.npz', gt),
                       ('data_2d_h36m_detectron_pt_coco.npz', det)):
        np.savez(osp.join(root, name), positions_2d=data,
                 metadata=dict(layout_name='h36m', num_joints=17))
    return gt


def test_h36m_dataset_windows(tmp_path):
    gt = _write_h36m(tmp_path, {
        'S1': {'Walking 1': 30, 'Eating': 26},
        'S9': {'Walking 1': 40}
    }, drop_action='Eating')
    ds = H36MSkeletonDataset(str(tmp_path), subjects=['S1'], cameras=[0, 2],
                             target_frames=12)
    # Eating has no detections: skipped; Walking 1, 2 cameras, 30 frames:
    # windows at 0, 12 and the last moved back to 18.
    assert [s['name'] for s in ds.sequences] == [
        'S1/Walking 1/cam0', 'S1/Walking 1/cam2'
    ]
    assert [ds.get_data_info(i)['start'] for i in range(3)] == [0, 12, 18]
    info = ds.get_data_info(1)
    assert info['noisy_joints'].shape == (12 + 80, 17, 2)
    assert info['gt_joints'].shape == (12, 17, 2)
    target = gt['S1']['Walking 1'][0][12:24] / 1000 * 2 - 1
    np.testing.assert_allclose(info['gt_joints'], target, rtol=1e-5)
    # input window: 40 frames each side, clamped at the track's ends
    full = (gt['S1']['Walking 1'][0] + 3) / 1000 * 2 - 1
    idx = np.clip(np.arange(12 - 40, 24 + 40), 0, 29)
    np.testing.assert_allclose(info['noisy_joints'], full[idx], rtol=1e-5)
    test = H36MSkeletonDataset(str(tmp_path), subjects=['S9'],
                               target_frames=12)
    assert len(test.sequences) == 4


def test_h36m_dataset_errors(tmp_path):
    with pytest.raises(FileNotFoundError, match='data_2d_h36m_detectron'):
        H36MSkeletonDataset(str(tmp_path))
    _write_h36m(tmp_path, {'S1': {'Walking': 10}})
    with pytest.raises(PoseDataError, match="no subject 'S5'"):
        H36MSkeletonDataset(str(tmp_path), subjects=['S1', 'S5'])
    with pytest.raises(PoseDataError,
                       match='S1/Walking/cam0: 10 frames, fewer than'):
        H36MSkeletonDataset(str(tmp_path), subjects=['S1'])
    (tmp_path / 'data_2d_h36m_gt.npz').write_bytes(b'not a zip')
    with pytest.raises(PoseDataError, match='not a readable'):
        H36MSkeletonDataset(str(tmp_path), subjects=['S1'])


def test_synthetic_track_is_noisy_but_close():
    rng = np.random.default_rng(0)
    track = synthetic_skeleton_track(rng, 120, (256, 256))
    assert track['clean'].shape == track['noisy'].shape == (120, 17, 2)
    assert np.isfinite(track['clean']).all()
    missing = (track['noisy'] == -1).all(-1)
    assert 0 < missing.mean() < 0.1
    assert (track['scores'][missing] == 0).all()
    err = np.linalg.norm(
        coco17_to_h36m17(track['noisy'])[~missing[:, :1].repeat(17, 1)] -
        track['clean'][~missing[:, :1].repeat(17, 1)], axis=-1)
    body = np.ptp(track['clean'][..., 1], axis=1).mean()
    assert 0.005 * body < np.median(err) < 0.05 * body
    # deterministic per seed
    again = synthetic_skeleton_track(np.random.default_rng(0), 120)
    np.testing.assert_array_equal(again['noisy'], track['noisy'])


def test_synthetic_dataset_fills_and_packs():
    pipeline = [
        dict(type='RandomSkeletonScaleShift'),
        dict(type='PackSkeletonInputs')
    ]
    with DefaultScope.overwrite_default_scope('mmagic'):
        ds = SyntheticSkeletonDataset(
            num_sequences=2, num_frames=50, seed=3, target_frames=24,
            pipeline=pipeline)
    assert len(ds) == 2 * 3  # windows at 0, 24, 26
    assert ds.sequences[0]['num_filled'] > 0
    assert np.isfinite(ds.sequences[0]['noisy']).all()
    np.random.seed(0)
    sample = ds[1]
    assert sample['inputs'].shape == (104, 17, 2)
    assert sample['inputs'].dtype == torch.float32
    ds_sample = sample['data_samples']
    assert ds_sample.gt_joints.shape == (24, 17, 2)
    assert ds_sample.metainfo['frame_width'] == 256
    assert ds_sample.metainfo['sequence'] == 'synthetic3_0000'
    batch = default_collate([ds[0], ds[1]])
    assert batch['inputs'].shape == (2, 104, 17, 2)


def test_scale_shift_moves_input_and_target_together():
    from gfla_mm.datasets.transforms import RandomSkeletonScaleShift
    rng = np.random.default_rng(0)
    noisy = rng.uniform(-1, 1, (9, 17, 2)).astype(np.float32)
    gt = noisy[4:5].copy()
    out = RandomSkeletonScaleShift()(dict(noisy_joints=noisy.copy(),
                                          gt_joints=gt.copy()))
    s, t = out['skeleton_scale_shift']
    assert 1.0 <= s < 1.5 and all(-0.1 <= v < 0.1 for v in t)
    np.testing.assert_allclose(out['noisy_joints'], noisy * s + t, rtol=1e-5)
    np.testing.assert_allclose(out['gt_joints'], out['noisy_joints'][4:5])


def test_noisy_baseline_is_measurable():
    """The scale of the denoising problem on the synthetic set: the noisy
    detections (mapped to H36M, filled) are a few pixels off."""
    ds = SyntheticSkeletonDataset(num_sequences=2, num_frames=60, seed=1)
    seq = ds.sequences[0]
    err = mean_joint_error(
        torch.as_tensor(coco17_to_h36m17(seq['noisy'])),
        torch.as_tensor(seq['clean'])) * seq['frame_width'] / 2
    assert 1.0 < err < 10.0
    assert COCO17_NAMES[0] == 'nose'
