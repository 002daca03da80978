# Copyright (c) OpenMMLab. All rights reserved.
import csv
import os
import shutil

import numpy as np
import pytest
import torch
from mmagic.registry import DATASETS
from mmengine.registry import DefaultScope

from gfla_mm.datasets import (
    PoseDataError,
    PosePairDataset,
    make_synthetic_dataset,
)

PIPELINE = [
    dict(type='GFLALoadImageFromFile', key='source', channel_order='rgb'),
    dict(type='GFLALoadImageFromFile', key='target', channel_order='rgb'),
    dict(type='Resize', keys=['source', 'target'], scale=(32, 64),
         keep_ratio=False, interpolation='bicubic'),
    dict(type='RescalePoseKeypoints'),
    dict(type='FlipPosePair', flip_ratio=0.5),
    dict(type='PoseToHeatmap'),
    dict(type='PackInputs',
         keys=['source', 'source_heatmap', 'target_heatmap'],
         data_keys=['target'],
         meta_keys=['source_name', 'target_name']),
]


@pytest.fixture(scope='module')
def synth_root(tmp_path_factory):
    root = str(tmp_path_factory.mktemp('synth'))
    stats = make_synthetic_dataset(root, (2, 1), 3, size=(48, 40), seed=3)
    assert stats == dict(train=dict(images=6, pairs=12),
                         test=dict(images=3, pairs=6))
    return root


@pytest.fixture
def root_copy(synth_root, tmp_path):
    dst = str(tmp_path / 'data')
    shutil.copytree(synth_root, dst)
    return dst


def build(root, **kwargs):
    cfg = dict(type='PosePairDataset', data_root=root,
               keypoint_frame=(48, 40), pipeline=PIPELINE)
    cfg.update(kwargs)
    # As in a Runner with default_scope='mmagic': the pipeline's transforms
    # are looked up in mmagic's registry.
    with DefaultScope.overwrite_default_scope('mmagic'):
        return DATASETS.build(cfg)


def test_synthetic_is_deterministic(tmp_path, synth_root):
    again = str(tmp_path / 'again')
    make_synthetic_dataset(again, (2, 1), 3, size=(48, 40), seed=3)
    for name in ('fasion-annotation-train.csv', 'fasion-pairs-test.csv'):
        with open(os.path.join(synth_root, name)) as a, open(
                os.path.join(again, name)) as b:
            assert a.read() == b.read()
    train = set(os.listdir(os.path.join(synth_root, 'train')))
    test = set(os.listdir(os.path.join(synth_root, 'test')))
    ids = lambda names: {n.split('pose')[0] for n in names}  # noqa: E731
    assert not ids(train) & ids(test)


@pytest.mark.parametrize('split,pairs', [('train', 12), ('test', 6)])
def test_samples_shapes_and_ranges(synth_root, split, pairs):
    ds = build(synth_root, split=split)
    assert len(ds) == pairs
    sample = ds[0]
    inputs, data_sample = sample['inputs'], sample['data_samples']
    assert inputs['source'].shape == (3, 64, 32)
    assert inputs['source'].dtype == torch.uint8
    assert inputs['source_heatmap'].shape == (18, 64, 32)
    heat = inputs['target_heatmap']
    assert heat.min() >= 0 and heat.max() <= 1 and torch.isfinite(heat).all()
    assert data_sample.target.shape == (3, 64, 32)
    assert data_sample.metainfo['source_name'].startswith('synthid')


def test_market_shaped(synth_root):
    pipeline = [dict(t) for t in PIPELINE]
    pipeline[2] = dict(type='Resize', keys=['source', 'target'],
                       scale=(64, 128), keep_ratio=False)
    ds = build(synth_root, pipeline=pipeline)
    assert ds[1]['inputs']['source_heatmap'].shape == (18, 128, 64)


def rewrite(path, edit):
    with open(path) as f:
        lines = f.read().splitlines()
    with open(path, 'w') as f:
        f.write('\n'.join(edit(lines)) + '\n')


def test_missing_image_names_pair_row(root_copy):
    os.remove(os.path.join(root_copy, 'train', 'synthid00000pose01.jpg'))
    with pytest.raises(PoseDataError, match=r'pairs-train.csv, row \d+: '
                       r'(source|target) image .*pose01.jpg does not exist'):
        build(root_copy)


def test_pair_name_not_annotated(root_copy):
    path = os.path.join(root_copy, 'fasion-pairs-train.csv')
    rewrite(path, lambda lines: lines + ['ghost.jpg,synthid00000pose00.jpg'])
    with pytest.raises(PoseDataError,
                       match=r"row 14: source 'ghost.jpg' has no row"):
        build(root_copy)


@pytest.mark.parametrize('bad,match', [
    ('[1, 2]', 'must list 18'),
    ('[1.5' + ', 1' * 17 + ']', 'must hold integers'),
    ('[NaN' + ', 1' * 17 + ']', 'NaN/inf'),
    ('[Infinity' + ', 1' * 17 + ']', 'NaN/inf'),
    ('[999' + ', 1' * 17 + ']', 'outside the 48x40'),
    ('not json', 'not a JSON list'),
])
def test_bad_annotation_rows(root_copy, bad, match):
    path = os.path.join(root_copy, 'fasion-annotation-train.csv')

    def edit(lines):
        name, _, xs = lines[2].split(':')
        lines[2] = ':'.join([name, bad, xs])
        return lines

    rewrite(path, edit)
    with pytest.raises(PoseDataError,
                       match=r'annotation-train.csv, row 3: .*' + match):
        build(root_copy)


def test_all_missing_joints_are_legal(root_copy):
    path = os.path.join(root_copy, 'fasion-annotation-train.csv')
    missing = '[' + ', '.join(['-1'] * 18) + ']'

    def edit(lines):
        rows = list(csv.reader(lines, delimiter=':'))
        rows[1][1] = rows[1][2] = missing
        return [':'.join(r) for r in rows]

    rewrite(path, edit)
    ds = build(root_copy)
    idx = next(i for i in range(len(ds))
               if ds.get_data_info(i)['source_name'] ==
               'synthid00000pose00.jpg')
    heat = ds[idx]['inputs']['source_heatmap']
    assert (heat == 0).all() and torch.isfinite(heat).all()


def test_empty_pairs_file(root_copy):
    rewrite(os.path.join(root_copy, 'fasion-pairs-train.csv'),
            lambda lines: lines[:1])
    with pytest.raises(PoseDataError, match='lists no pairs'):
        build(root_copy)


def test_missing_files(tmp_path):
    with pytest.raises(FileNotFoundError, match='image folder not found'):
        build(str(tmp_path))


def test_corrupt_image_names_the_file(root_copy):
    bad = os.path.join(root_copy, 'train', 'synthid00000pose00.jpg')
    with open(bad, 'wb') as f:
        f.write(b'not a jpeg')
    ds = build(root_copy)
    idx = next(i for i in range(len(ds))
               if ds.get_data_info(i)['source_name'] ==
               'synthid00000pose00.jpg')
    with pytest.raises(OSError, match='cannot be decoded.*pose00.jpg'):
        ds[idx]


def test_default_names_are_official():
    assert PosePairDataset.__init__.__defaults__[:3] == (
        'train', 'fasion-pairs-{split}.csv', 'fasion-annotation-{split}.csv')


def test_synthetic_clips(tmp_path):
    import json

    from gfla_mm.datasets import H36M17_NAMES, make_synthetic_clips
    out = str(tmp_path / 'clips')
    stats = make_synthetic_clips(out, (1, 1), num_frames=5, size=(48, 40),
                                 seed=2, noise=dict(jitter=0.2))
    assert stats == dict(train=dict(clips=1, frames=5),
                         test=dict(clips=1, frames=5))
    # The official FashionVideo / iPER layout.
    assert sorted(os.listdir(out)) == ['test_256', 'train_256']
    assert sorted(os.listdir(os.path.join(out, 'train_256'))) == [
        'train_A', 'train_C', 'train_alphapose', 'train_layout',
        'train_video2d'
    ]
    frames = sorted(os.listdir(os.path.join(out, 'train_256', 'train_A',
                                            'synthclip0000')))
    assert frames == [f'{i:05d}.png' for i in range(5)]

    def track(kind, joints):
        folder = os.path.join(out, 'train_256', kind, 'synthclip0000')
        rows = []
        for name in sorted(os.listdir(folder)):
            with open(os.path.join(folder, name)) as f:
                flat = json.load(f)['people'][0]['pose_keypoints_2d']
            rows.append(np.array(flat).reshape(joints, 3))
        return np.stack(rows)

    clean, noisy = track('train_video2d', 17), track('train_alphapose', 18)
    assert clean.shape == (5, 17, 3) and noisy.shape == (5, 18, 3)
    # The clean track is H36M-17 of the exact joints: floats, and its
    # shoulders are a copy of the noisy OpenPose-18 ones up to the jitter.
    assert (clean[..., :2] != np.round(clean[..., :2])).any()
    for h36m, op in (('left_shoulder', 5), ('right_hip', 8)):
        c = clean[:, H36M17_NAMES.index(h36m)]
        n = noisy[:, op]
        seen = (c[:, 2] > 0) & (n[:, 2] > 0)
        diff = np.abs(c[seen, :2] - n[seen, :2])
        assert seen.any() and 0 < diff.mean() < 5
    # pelvis = hip midpoint
    pelvis, rhip, lhip = (clean[:, H36M17_NAMES.index(n), :2]
                          for n in ('pelvis', 'right_hip', 'left_hip'))
    np.testing.assert_allclose(pelvis, (rhip + lhip) / 2, atol=1e-6)
    # Smooth motion: consecutive clean frames move little.
    both = (clean[1:, :, 2] > 0) & (clean[:-1, :, 2] > 0)
    step = np.abs(clean[1:, :, :2] - clean[:-1, :, :2])[both]
    assert step.max() < 20
    train_ids = os.listdir(os.path.join(out, 'train_256', 'train_A'))
    test_ids = os.listdir(os.path.join(out, 'test_256', 'train_A'))
    assert not set(train_ids) & set(test_ids)
