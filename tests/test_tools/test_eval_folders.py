# Copyright (c) OpenMMLab. All rights reserved.
import csv
import importlib.util
import json
import os.path as osp

import cv2
import numpy as np
import pytest
import torch

from gfla_mm.evaluation import match_images
from gfla_mm.evaluation.metrics import i3d, inception_features

TOOL = osp.join(
    osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__)))), 'tools',
    'analysis_tools', 'eval_folders.py')


@pytest.fixture(scope='module')
def tool():
    spec = importlib.util.spec_from_file_location('eval_folders', TOOL)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def tiny_features(monkeypatch):
    """8-d stand-ins for Inception/I3D: their 2048-/400-d Fréchet
    distances and forwards take seconds on a busy 2-core machine."""

    def pool(self, x, feature='logits'):
        pooled = (torch.nn.functional.adaptive_avg_pool3d(x, (1, 2, 2))
                  if x.ndim == 5 else
                  torch.nn.functional.adaptive_avg_pool2d(x, 2))
        return pooled.float().flatten(1)

    monkeypatch.setattr(inception_features.TorchvisionInceptionFeatures,
                        'forward', pool)
    monkeypatch.setattr(i3d.InceptionI3d, 'forward', pool)


def _write(folder, name, rng, size=(32, 32)):
    folder.mkdir(parents=True, exist_ok=True)
    img = rng.integers(0, 256, (*size, 3), dtype=np.uint8)
    cv2.imwrite(str(folder / name), img)


def _image_folders(tmp_path):
    rng = np.random.default_rng(0)
    gt, pred = tmp_path / 'gt', tmp_path / 'pred'
    for tgt in ('b', 'c', 'd'):
        _write(gt, f'{tgt}.jpg', rng)
    # Official naming <src>_2_<tgt>_vis, plus a plain name.
    for name in ('a_2_b_vis.png', 'x_2_c_vis.png', 'd.png'):
        _write(pred, name, rng)
    return pred, gt


def test_images_json_and_csv_reports(tool, tmp_path, tiny_features):
    pred, gt = _image_folders(tmp_path)
    out = tmp_path / 'report.json'
    report = tool.main([
        str(pred), str(gt), '--metrics', 'lpips', 'ssim', 'psnr', 'fid',
        '--random-weights', '--batch-size', '2', '--out', str(out)
    ])
    assert report['num_pairs'] == 3 and report['random_weights']
    saved = json.loads(out.read_text())
    assert set(saved['metrics']) == {'LPIPS', 'SSIM', 'PSNR', 'FID'}
    assert all(np.isfinite(v) for v in saved['metrics'].values())
    # Identical folders: perfect scores.
    csv_out = tmp_path / 'same.csv'
    tool.main([
        str(gt), str(gt), '--metrics', 'lpips', 'fid', '--random-weights',
        '--out', str(csv_out)
    ])
    rows = dict(list(csv.reader(csv_out.open()))[1:])
    assert float(rows['LPIPS']) == pytest.approx(0, abs=1e-6)
    assert float(rows['FID']) == pytest.approx(0, abs=1e-6)


def test_mask_lpips_with_annotation(tool, tmp_path):
    pred, gt = _image_folders(tmp_path)
    ann = tmp_path / 'annotation-test.csv'
    ys, xs = [10] * 18, [12] * 18
    xs[1] = 20
    lines = ['name:keypoints_y:keypoints_x'] + [
        f'{n}.jpg:{json.dumps(ys)}:{json.dumps(xs)}' for n in 'bcd'
    ]
    ann.write_text('\n'.join(lines) + '\n')
    report = tool.main([
        str(pred), str(gt), '--metrics', 'mask_lpips', 'lpips',
        '--random-weights', '--annotation', str(ann)
    ])
    assert 0 < report['metrics']['MaskLPIPS'] < report['metrics']['LPIPS']


def test_errors_name_the_file(tool, tmp_path):
    pred, gt = _image_folders(tmp_path)
    _write(pred, 'a_2_zz_vis.png', np.random.default_rng(1))
    with pytest.raises(ValueError, match=r'a_2_zz_vis.png: looked for zz'):
        match_images(str(pred), str(gt))
    (pred / 'a_2_zz_vis.png').unlink()
    _write(pred, 'd.png', np.random.default_rng(1), size=(16, 32))
    with pytest.raises(ValueError, match=r'size mismatch: .*d.png is 16x32'):
        tool.main([str(pred), str(gt), '--metrics', 'psnr'])
    empty = tmp_path / 'empty'
    empty.mkdir()
    with pytest.raises(ValueError, match='no images in'):
        match_images(str(empty), str(gt))
    with pytest.raises(SystemExit):
        tool.parse_args([str(pred), str(gt), '--metrics', 'aed'])


def test_videos_of_frame_folders(tool, tmp_path, tiny_features):
    rng = np.random.default_rng(0)
    for root in ('gt', 'pred'):
        for video in ('v1', 'v2'):
            for t in range(16):
                _write(tmp_path / root / video, f'{t:05d}.png', rng)
    out = tmp_path / 'videos.json'
    report = tool.main([
        str(tmp_path / 'pred'),
        str(tmp_path / 'gt'), '--videos', '--metrics', 'fid_video', 'aed',
        '--random-weights', '--out',
        str(out)
    ])
    assert report['num_pairs'] == 2
    assert set(report['metrics']) == {'FID-Video', 'AED'}
    assert report['metrics']['AED'] > 0
    (tmp_path / 'gt' / 'v2').rename(tmp_path / 'gt' / 'other')
    with pytest.raises(ValueError, match='no ground truth .* for .*v2'):
        tool.main([
            str(tmp_path / 'pred'),
            str(tmp_path / 'gt'), '--videos', '--random-weights'
        ])
