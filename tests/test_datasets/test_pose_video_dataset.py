# Copyright (c) OpenMMLab. All rights reserved.
import csv
import os
import os.path as osp

import numpy as np
import pytest
import torch
from mmagic.models.data_preprocessors import DataPreprocessor
from mmagic.registry import DATASETS, MODELS
from mmengine.dataset import pseudo_collate
from mmengine.registry import DefaultScope

from gfla_mm.datasets import PoseDataError, PoseVideoDataset

from .conftest import CLIP_FRAMES, CLIP_SIZE

VIDEO = 'synthclip0000'


def clip_pipeline(test_mode=False, augment=True):
    pipeline = [
        dict(type='TemporalClipSample', num_frames=12, chunk_size=6,
             test_mode=test_mode),
        dict(type='LoadClipFrames'),
        dict(type='LoadClipSkeletons'),
    ]
    if augment:
        pipeline.append(dict(type='ClipAffineAugment'))
    return pipeline + [
        dict(type='RenderClipSkeletons'),
        dict(type='PackClipInputs'),
    ]


def test_folder_layout(clip_root):
    ds = PoseVideoDataset(clip_root, mask_dir='train_C')
    assert len(ds) == 2
    info = ds.get_data_info(0)
    assert info['video'] == VIDEO and info['num_frames'] == CLIP_FRAMES
    names = [f'{i:05d}' for i in range(CLIP_FRAMES)]
    for key, folder, ext in (('frame_paths', 'train_A', '.png'),
                             ('clean_skeleton_paths', 'train_video2d',
                              '.json'),
                             ('noisy_skeleton_paths', 'train_alphapose',
                              '.json'), ('mask_paths', 'train_C', '.png')):
        assert info[key] == [
            osp.join(clip_root, 'train_256', folder, VIDEO, n + ext)
            for n in names
        ]
    assert info['ref_frame_paths'] == info['frame_paths']
    assert info['ref_skeleton_paths'] == info['noisy_skeleton_paths']
    test = PoseVideoDataset(clip_root, split='test', test_mode=True)
    assert [test.get_data_info(0)['video']] == ['synthclip0002']
    assert 'mask_paths' not in test.get_data_info(0)


def test_built_from_registry(clip_root):
    with DefaultScope.overwrite_default_scope('mmagic'):
        ds = DATASETS.build(
            dict(type='PoseVideoDataset', data_root=clip_root,
                 pipeline=clip_pipeline()))
        out = ds[1]
    assert out['data_samples'].metainfo['video'] == 'synthclip0001'


def test_missing_skeleton_names_video_and_frame(clip_copy):
    os.remove(osp.join(clip_copy, 'train_256', 'train_video2d', VIDEO,
                       '00007.json'))
    with pytest.raises(PoseDataError,
                       match=f"video '{VIDEO}', frame 00007.png: no "
                       'skeleton file 00007.json'):
        PoseVideoDataset(clip_copy)


def test_skeleton_without_frame(clip_copy):
    os.remove(osp.join(clip_copy, 'train_256', 'train_A', VIDEO,
                       '00012.png'))
    with pytest.raises(PoseDataError,
                       match=f"video '{VIDEO}': 12 frames but 13 skeleton "
                       r'files .*\(no frame for 00012.json\)'):
        PoseVideoDataset(clip_copy)


def test_missing_mask_folder(clip_copy):
    import shutil
    shutil.rmtree(osp.join(clip_copy, 'train_256', 'train_C', VIDEO))
    with pytest.raises(PoseDataError, match=f"video '{VIDEO}': no mask "
                       'folder'):
        PoseVideoDataset(clip_copy, mask_dir='train_C')


def write_list(path, rows):
    with open(path, 'w', newline='') as f:
        writer = csv.writer(f)
        writer.writerow(['', 'A_paths', 'B_paths_noise', 'B_paths_clean'])
        for i, row in enumerate(rows):
            writer.writerow([i] + [str(row[c]) for c in
                                   ('A_paths', 'B_paths_noise',
                                    'B_paths_clean')])


def official_row(video, frames, ref_video, refs):
    # Paths as the authors' lists hold them: their machine's folders.
    def paths(folder, vid, idx, ext):
        return [f'./dataset/danceFashion/test_256/{folder}/{vid}/'
                f'{i:05d}{ext}' for i in idx]

    return {
        'A_paths': dict(gen=paths('train_A', video, frames, '.png'),
                        ref=paths('train_A', ref_video, refs, '.png')),
        'B_paths_noise': dict(
            gen=paths('train_alphapose', video, frames, '.json'),
            ref=paths('train_alphapose', ref_video, refs, '.json')),
        'B_paths_clean': dict(
            gen=paths('train_video2d', video, frames, '.json'),
            ref=paths('train_video2d', ref_video, refs, '.json')),
    }


def test_video_list_csv(clip_root, tmp_path):
    lst = str(tmp_path / 'test_list.csv')
    write_list(lst, [
        official_row('synthclip0000', range(10), 'synthclip0001', [3]),
        official_row('synthclip0001', range(13), 'synthclip0001', [0, 1]),
    ])
    with DefaultScope.overwrite_default_scope('mmagic'):
        ds = PoseVideoDataset(clip_root, video_list=lst, test_mode=True,
                              pipeline=clip_pipeline(True, False))
        out = ds[0]
    assert len(ds) == 2
    info = ds.get_data_info(0)
    assert info['video'] == VIDEO and info['num_frames'] == 10
    assert info['frame_paths'][2] == osp.join(clip_root, 'train_256',
                                              'train_A', VIDEO, '00002.png')
    assert info['ref_frame_paths'] == [
        osp.join(clip_root, 'train_256', 'train_A', 'synthclip0001',
                 '00003.png')
    ]
    assert info['ref_skeleton_paths'][0].endswith(
        osp.join('train_alphapose', 'synthclip0001', '00003.json'))
    meta = out['data_samples'].metainfo
    # test mode: the whole video, padded to a multiple of the chunk
    assert out['inputs']['skeletons'].shape[0] == 12
    assert meta['num_valid'] == 10
    assert out['data_samples'].clip_valid.tolist() == [True] * 10 + [
        False
    ] * 2
    assert meta['ref_frame_path'].endswith('synthclip0001/00003.png')


@pytest.mark.parametrize('cell, message', [
    ('not a dict', 'A_paths is not a python-literal dict'),
    ("{'gen': []}", "A_paths must hold lists 'gen' and 'ref'"),
])
def test_video_list_bad_cells(clip_root, tmp_path, cell, message):
    lst = str(tmp_path / 'list.csv')
    row = official_row(VIDEO, range(3), VIDEO, [0])
    row['A_paths'] = cell
    write_list(lst, [row])
    with pytest.raises(PoseDataError, match=f'row 2: {message}'):
        PoseVideoDataset(clip_root, video_list=lst)


def test_video_list_errors(clip_root, tmp_path):
    lst = str(tmp_path / 'list.csv')
    row = official_row(VIDEO, range(3), VIDEO, [0])
    row['B_paths_clean']['gen'].pop()
    write_list(lst, [row])
    with pytest.raises(PoseDataError, match=f"video '{VIDEO}' lists "
                       "mismatched 'gen' lengths"):
        PoseVideoDataset(clip_root, video_list=lst)
    row = official_row(VIDEO, [0, 99], VIDEO, [0])
    write_list(lst, [row])
    with pytest.raises(PoseDataError, match=f"video '{VIDEO}'.*00099.png "
                       'does not exist'):
        PoseVideoDataset(clip_root, video_list=lst)
    with open(lst, 'w') as f:
        f.write('A_paths,B_paths_noise\n')
    with pytest.raises(PoseDataError, match='no column.*B_paths_clean'):
        PoseVideoDataset(clip_root, video_list=lst)


@pytest.fixture
def fresh_non_image_keys(monkeypatch):
    """mmagic 1.2's DataPreprocessor extends its *class* list
    ``_NON_IMAGE_KEYS`` in place with ``non_image_keys``, so they leak into
    every later instance: give each test its own list."""
    monkeypatch.setattr(DataPreprocessor, '_NON_IMAGE_KEYS', ['noise'])


def test_pipeline_through_real_data_preprocessor(clip_root,
                                                 fresh_non_image_keys):
    with DefaultScope.overwrite_default_scope('mmagic'):
        ds = PoseVideoDataset(clip_root, pipeline=clip_pipeline(),
                              mask_dir='train_C')
        np.random.seed(0)
        batch = pseudo_collate([ds[0], ds[1]])
        raw = {k: [t.clone() for t in v] for k, v in batch['inputs'].items()}
        raw_gt = [s.gt_img.clone() for s in batch['data_samples']]
        pre = MODELS.build(
            dict(type='DataPreprocessor', mean=[127.5] * 3,
                 std=[127.5] * 3, output_channel_order='RGB',
                 non_image_keys=['ref_skeleton', 'skeletons'],
                 data_keys=['gt_img']))
        out = pre(batch, training=True)
    h, w = CLIP_SIZE
    inputs, samples = out['inputs'], out['data_samples']
    assert inputs['skeletons'].shape == (2, 12, 20, h, w)
    assert inputs['ref_skeleton'].shape == (2, 20, h, w)
    assert inputs['ref_img'].shape == (2, 3, h, w)
    # structures: stacked, untouched; heatmaps peak at 1, bones up to 255
    torch.testing.assert_close(inputs['skeletons'],
                               torch.stack(raw['skeletons']))
    assert inputs['skeletons'][:, :, :17].max() == pytest.approx(1.0)
    assert inputs['skeletons'][:, :, 17:].max() == 255
    # images: normalised channel-wise, RGB order kept (declared 'rgb')
    torch.testing.assert_close(inputs['ref_img'],
                               (torch.stack(raw['ref_img']) - 127.5) / 127.5)
    assert samples.gt_img.shape == (2, 12, 3, h, w)
    torch.testing.assert_close(samples.gt_img,
                               (torch.stack(raw_gt) - 127.5) / 127.5)
    assert samples.gt_mask.shape == (2, 12, 1, h, w)
    assert set(samples.gt_mask.unique().tolist()) <= {0.0, 1.0}
    assert samples.clip_valid.all()
    assert samples.metainfo['chunk_size'] == [6, 6]


def test_data_preprocessor_outside_training_and_pitfalls(
        clip_root, fresh_non_image_keys, monkeypatch):
    with DefaultScope.overwrite_default_scope('mmagic'):
        ds = PoseVideoDataset(clip_root, pipeline=clip_pipeline(
            augment=False))
        item = ds[0]
        raw_gt = item['data_samples'].gt_img.clone()
        pre = MODELS.build(
            dict(type='DataPreprocessor', mean=[127.5] * 3,
                 std=[127.5] * 3,
                 non_image_keys=['ref_skeleton', 'skeletons']))
        out = pre(pseudo_collate([item]), training=False)
        # outside training: gt frames to BGR, 0..255, for mmagic's metrics
        torch.testing.assert_close(out['data_samples'].gt_img[0],
                                   raw_gt[:, [2, 1, 0]])
        # the leak the fixture guards against
        assert DataPreprocessor._NON_IMAGE_KEYS == [
            'noise', 'ref_skeleton', 'skeletons'
        ]
        monkeypatch.setattr(DataPreprocessor, '_NON_IMAGE_KEYS', ['noise'])
        # structures not declared non-image: a 3-channel mean cannot apply
        bad = MODELS.build(
            dict(type='DataPreprocessor', mean=[127.5] * 3,
                 std=[127.5] * 3))
        with pytest.raises(AssertionError):
            bad(pseudo_collate([ds[0]]), training=True)
        # ... a scalar one tries to normalise them like pixels, and mmagic
        # then fails comparing the padding of (C, H, W) and (T, C, H, W)
        # image keys: only one rank of image keys fits in ``inputs``
        scalar = MODELS.build(dict(type='DataPreprocessor'))
        with pytest.raises(RuntimeError, match='size of tensor a'):
            scalar(pseudo_collate([ds[0]]), training=True)
        pipeline = clip_pipeline(augment=False)
        pipeline[-1]['input_keys'] = ['skeletons']
        item = PoseVideoDataset(clip_root, pipeline=pipeline)[0]
        raw = item['inputs']['skeletons'].clone()
        out = scalar(pseudo_collate([item]), training=True)
        torch.testing.assert_close(out['inputs']['skeletons'][0],
                                   (raw - 127.5) / 127.5)


def test_docs_pipeline_runs(clip_root, fresh_non_image_keys):
    """The config snippet of docs/animation.md, on the synthetic clips."""
    import re
    docs = osp.join(osp.dirname(__file__), '..', '..', 'docs',
                    'animation.md')
    with open(docs, encoding='utf-8') as f:
        block = next(b for b in re.findall(r'```python\n(.*?)```',
                                           f.read(), re.S)
                     if 'TemporalClipSample' in b)
    cfg = {}
    exec(block, cfg)
    with DefaultScope.overwrite_default_scope('mmagic'):
        train = DATASETS.build(
            dict(cfg['train_dataloader']['dataset'], data_root=clip_root))
        test = DATASETS.build(
            dict(type='PoseVideoDataset', data_root=clip_root, split='test',
                 test_mode=True, pipeline=cfg['test_pipeline']))
        pre = MODELS.build(cfg['data_preprocessor'])
        batch = pre(pseudo_collate([train[0], train[1]]), training=True)
        test_batch = pre(pseudo_collate([test[0]]), training=False)
    # 13-frame videos: the official 30-frame clip shrinks to 2 chunks of 6
    assert batch['inputs']['skeletons'].shape == (2, 12, 20) + CLIP_SIZE
    assert test_batch['inputs']['skeletons'].shape == (1, 18, 20) + CLIP_SIZE
    assert test_batch['data_samples'].clip_valid.sum() == CLIP_FRAMES
