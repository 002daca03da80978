# Copyright (c) OpenMMLab. All rights reserved.
import importlib.util
import json
import os
import os.path as osp

import cv2
import numpy as np
import pytest

from gfla_mm.datasets.video_preparation import check_tracks, extract_frames

REPO_ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
TOOLS = osp.join(REPO_ROOT, 'tools', 'dataset_converters')


def write_mp4(path, frames=5, size=(60, 44)):
    """A tiny mp4 whose frames differ (a moving bar)."""
    os.makedirs(osp.dirname(path), exist_ok=True)
    h, w = size
    writer = cv2.VideoWriter(path, cv2.VideoWriter_fourcc(*'mp4v'), 15,
                             (w, h))
    assert writer.isOpened()
    for i in range(frames):
        img = np.full((h, w, 3), 200, np.uint8)
        img[:, 5 * i:5 * i + 8] = (20, 80, 160)
        writer.write(img)
    writer.release()


def write_track(folder, count, skip=()):
    os.makedirs(folder, exist_ok=True)
    for i in range(count):
        if i not in skip:
            with open(osp.join(folder, f'{i:05d}.json'), 'w') as f:
                json.dump(dict(people=[]), f)


def run(tool, args, capsys):
    """Runs a converter's ``main`` in this process (a subprocess would spend
    ~10 s importing the mm* stack) and returns (status, stdout, stderr)."""
    spec = importlib.util.spec_from_file_location(
        'converter', osp.join(TOOLS, tool, 'prepare.py'))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    capsys.readouterr()
    status = module.main([str(a) for a in args])
    out, err = capsys.readouterr()
    return status, out, err


def test_extract_frames(tmp_path):
    video = str(tmp_path / 'v.mp4')
    write_mp4(video)
    out = str(tmp_path / 'frames')
    assert extract_frames(video, out, (32, 32)) == 5
    assert sorted(os.listdir(out)) == [f'{i:05d}.png' for i in range(5)]
    first, last = (cv2.imread(osp.join(out, n))
                   for n in ('00000.png', '00004.png'))
    assert first.shape == (32, 32, 3) and not np.array_equal(first, last)
    with pytest.raises(OSError, match='cannot open video'):
        extract_frames(str(tmp_path / 'none.mp4'), out)


def test_check_tracks_reports_mismatches(tmp_path):
    root = tmp_path / 'train_256'
    for v in ('a', 'b'):
        os.makedirs(root / 'train_A' / v)
        for i in range(3):
            (root / 'train_A' / v / f'{i:05d}.png').write_bytes(b'')
    write_track(str(root / 'train_alphapose' / 'a'), 3)
    write_track(str(root / 'train_alphapose' / 'b'), 4, skip=(1, ))
    write_track(str(root / 'train_alphapose' / 'c'), 1)
    counts, problems, notes = check_tracks(str(root))
    assert counts == dict(videos=2, frames=6, train_alphapose=1)
    assert problems == [
        'train_alphapose/b: 3 frames, 3 files; no file for frame(s) 00001; '
        'no frame for 00003', 'train_alphapose/c: no such video in train_A/'
    ]
    assert notes == [f'train_video2d/ not found in {root}']


def test_fashionvideo_prepare(tmp_path, capsys):
    root = tmp_path / 'fashion'
    write_mp4(str(root / 'train' / 'A1abc.mp4'), frames=4)
    write_mp4(str(root / 'test' / 'B2def.mp4'), frames=3)
    out = tmp_path / 'out'
    status, out_text, err = run('fashionvideo',
                                [root, '--out', out, '--size', 64, 64],
                                capsys)
    assert status == 0, err
    assert 'train: 1 videos, 4 frames' in out_text
    assert 'test: 1 videos, 3 frames' in out_text
    assert 'note: train_alphapose/ not found' in out_text
    frames = out / 'train_256' / 'train_A' / 'A1abc'
    assert sorted(os.listdir(frames)) == [f'{i:05d}.png' for i in range(4)]
    assert cv2.imread(str(frames / '00000.png')).shape == (64, 64, 3)
    # skeletons downloaded: one is short a frame -> reported, exit 1
    for track in ('train_alphapose', 'train_video2d'):
        write_track(str(out / 'train_256' / track / 'A1abc'), 4)
        write_track(str(out / 'test_256' / track / 'B2def'), 3,
                    skip=(2, ) if track == 'train_video2d' else ())
    status, out_text, err = run('fashionvideo',
                                ['--check-only', '--out', out], capsys)
    assert status == 1
    assert ('train: 1 videos, 4 frames; train_alphapose: 1 of 1 match; '
            'train_video2d: 1 of 1 match') in out_text
    assert ('test: train_video2d/B2def: 3 frames, 2 files; no file for '
            'frame(s) 00002') in err


def test_iper_prepare(tmp_path, capsys):
    root = tmp_path / 'iper'
    write_mp4(str(root / 'videos' / '001_1_1.mp4'), frames=3)
    write_mp4(str(root / 'videos' / '002_1_2.mp4'), frames=2)
    (root / 'train.txt').write_text('001/1/1\n')
    (root / 'val.txt').write_text('002/1/2\n003/1/1\n')
    out = tmp_path / 'out'
    status, out_text, err = run('iper', [
        root, '--out', out, '--train-list', root / 'train.txt',
        '--test-list', root / 'val.txt', '--size', 32, 32
    ], capsys)
    # 003_1_1 is listed but absent: reported, exit 1; the rest is written
    assert status == 1
    assert 'test: 003_1_1: no 003_1_1.mp4 under' in err
    assert 'train: 1 videos, 3 frames' in out_text
    assert sorted(os.listdir(out / 'test_256' / 'train_A')) == ['002_1_2']
