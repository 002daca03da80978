# Copyright (c) OpenMMLab. All rights reserved.
import os
import os.path as osp

REPO_ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
TOOL = osp.join(REPO_ROOT, 'tools', 'make_synthetic_dataset.py')


def test_tool_writes_the_deepfashion_layout(tmp_path, run_tool):
    out = tmp_path / 'synth'
    proc = run_tool([
        TOOL, '--out', str(out), '--size', '64', '32', '--train-ids', '2',
        '--test-ids', '1', '--poses', '3', '--clips', '1', '1', '--frames',
        '3'
    ],
                    cwd=str(tmp_path))
    assert 'train: 6 images, 12 pairs' in proc.stdout
    assert 'test: 3 images, 6 pairs' in proc.stdout
    assert 'train: 1 clips, 3 frames' in proc.stdout
    assert sorted(os.listdir(out)) == [
        'fasion-annotation-test.csv', 'fasion-annotation-train.csv',
        'fasion-pairs-test.csv', 'fasion-pairs-train.csv', 'test',
        'test_256', 'test_body', 'test_flow', 'train', 'train_256',
        'train_body', 'train_flow'
    ]
    assert len(os.listdir(out / 'train_256' / 'train_video2d')) == 1
    assert len(os.listdir(out / 'train_flow')) == 12  # one per pair
    assert len(os.listdir(out / 'train')) == 6
