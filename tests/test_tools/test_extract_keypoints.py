# Copyright (c) OpenMMLab. All rights reserved.
import os
import os.path as osp
import subprocess
import sys

import cv2
import numpy as np
from mmengine.registry import DefaultScope

from gfla_mm.datasets import PosePairDataset

REPO_ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
TOOL = osp.join(REPO_ROOT, 'tools', 'extract_keypoints.py')
CONFIG = osp.join(REPO_ROOT, 'tests', 'data', 'configs',
                  'tiny_topdown_coco.py')


def write_images(folder, n=3):
    os.makedirs(folder)
    rng = np.random.default_rng(0)
    for i in range(n):
        cv2.imwrite(osp.join(folder, f'person{i}.png'),
                    rng.integers(0, 255, (90, 70, 3), np.uint8))


def tool_args(src, out, *extra):
    return [TOOL, src, '--out', out, '--size', '64', '48', '--pose-model',
            CONFIG, '--pose-weights', 'none', '--det-model', 'none',
            '--score-thr=-1e9', *extra]


def test_folder_to_dataset(tmp_path, run_tool):
    src, out = str(tmp_path / 'photos'), str(tmp_path / 'data')
    write_images(src)
    proc = run_tool(tool_args(src, out), cwd=str(tmp_path))
    assert '3 images' in proc.stdout and '(6 pairs)' in proc.stdout
    assert sorted(os.listdir(osp.join(out, 'test'))) == [
        'person0.jpg', 'person1.jpg', 'person2.jpg'
    ]
    assert cv2.imread(osp.join(out, 'test', 'person0.jpg')).shape == (64, 48,
                                                                      3)
    with DefaultScope.overwrite_default_scope('mmagic'):
        ds = PosePairDataset(out, split='test', keypoint_frame=(64, 48))
    assert len(ds) == 6
    kps = ds.get_data_info(0)['source_keypoints']
    assert kps.shape == (18, 2)
    present = (kps >= 0).all(1)
    assert (kps[present] < (48, 64)).all() and (kps[~present] == -1).all()


def test_given_pairs_and_unreadable_file(tmp_path, run_tool, tool_environ):
    src, out = str(tmp_path / 'photos'), str(tmp_path / 'data')
    write_images(src)
    pairs = tmp_path / 'pairs.csv'
    pairs.write_text('from,to\nperson0.png,person2.png\n')
    run_tool(tool_args(src, out, '--pairs', str(pairs)), cwd=str(tmp_path))
    with open(osp.join(out, 'fasion-pairs-test.csv')) as f:
        assert f.read().split() == ['from,to', 'person0.jpg,person2.jpg']
    with open(osp.join(src, 'broken.jpg'), 'wb') as f:
        f.write(b'not an image')
    proc = subprocess.run([sys.executable, *tool_args(src, out + '2')],
                          env=tool_environ, capture_output=True, text=True,
                          timeout=600)
    assert proc.returncode == 1
    assert 'cannot read broken.jpg' in proc.stderr
    assert '3 images' in proc.stdout  # the readable ones are kept


def test_video_input(tmp_path, run_tool):
    video = str(tmp_path / 'clip.avi')
    writer = cv2.VideoWriter(video, cv2.VideoWriter_fourcc(*'MJPG'), 5,
                             (70, 90))
    rng = np.random.default_rng(1)
    for _ in range(6):
        writer.write(rng.integers(0, 255, (90, 70, 3), np.uint8))
    writer.release()
    out = str(tmp_path / 'data')
    proc = run_tool(tool_args(video, out, '--every', '2', '--split', 'train'),
                    cwd=str(tmp_path))
    assert '3 images' in proc.stdout
    assert sorted(os.listdir(osp.join(out, 'train'))) == [
        'clip000000.jpg', 'clip000002.jpg', 'clip000004.jpg'
    ]
