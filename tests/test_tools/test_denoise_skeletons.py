# Copyright (c) OpenMMLab. All rights reserved.
"""tools/denoise_skeletons.py and the track reading/writing behind it."""
import importlib.util
import json
import os
import os.path as osp
import subprocess
import sys

import numpy as np
import pytest
import torch

from gfla_mm.apis.skeleton_denoising import (
    init_motion_extractor,
    load_skeleton_track,
)
from gfla_mm.datasets import (
    COCO17_NAMES,
    coco17_to_openpose18,
    synthetic_skeleton_track,
)
from gfla_mm.datasets.keypoint_formats import COCO17_FLIP_INDEX
from gfla_mm.datasets.synthetic import openpose_json
from gfla_mm.utils import MISSING

from ..conftest import REPO_ROOT, tool_env

TOOL = osp.join(REPO_ROOT, 'tools', 'denoise_skeletons.py')
CONFIG = osp.join(REPO_ROOT, 'configs', 'motion_extractor',
                  'motion-extractor_synthetic.py')


def _tool_main():
    spec = importlib.util.spec_from_file_location('denoise_skeletons', TOOL)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.main


def _write_json_track(folder, coco, empty_frames=()):
    os.makedirs(folder, exist_ok=True)
    op18 = coco17_to_openpose18(coco, (coco >= 0).all(-1).astype(float))
    for i, frame in enumerate(op18):
        data = openpose_json(frame)
        if i in empty_frames:
            data['people'] = []
        with open(osp.join(folder, f'{i:05d}.json'), 'w') as f:
            json.dump(data, f)


@pytest.fixture(scope='module')
def track():
    return synthetic_skeleton_track(np.random.default_rng(5), 30)


def test_end_to_end_json_folder(tmp_path, track):
    src, out = tmp_path / 'alphapose', tmp_path / 'video2d'
    _write_json_track(src, track['noisy'], empty_frames=(3, ))
    torch.manual_seed(0)
    model = init_motion_extractor(CONFIG)
    ckpt = tmp_path / 'men.pth'
    torch.save(dict(state_dict=model.state_dict()), ckpt)
    result = subprocess.run(
        [sys.executable, TOOL, str(src), str(out), '--config', CONFIG,
         '--checkpoint', str(ckpt)],
        capture_output=True, text=True, env=tool_env(), timeout=300)
    assert result.returncode == 0, result.stderr
    files = sorted(os.listdir(out))
    assert files == [f'{i:05d}.json' for i in range(30)]
    with open(out / '00007.json') as f:
        data = json.load(f)
    assert data['version'] == 'Video to Pose 2D'
    flat = np.asarray(data['people'][0]['pose_keypoints_2d'])
    assert flat.shape == (51, ) and (flat[2::3] == 1).all()
    # the same numbers as the model's own API on the same track (the JSON
    # round trip keeps OpenPose's neck-free COCO joints, the empty frame
    # becomes all-missing)
    noisy = track['noisy'].copy()
    noisy[3] = MISSING
    expected = model.denoise(noisy, 256, mirror=COCO17_FLIP_INDEX)
    np.testing.assert_allclose(
        flat.reshape(17, 3)[:, :2], expected['joints'][7], atol=1e-3)
    filled = expected['num_filled']
    assert '30 frames denoised' in result.stdout
    assert f'{filled} of 510 input joints were missing' in result.stdout
    assert 'reading' in result.stderr  # tqdm


def test_official_checkpoint_and_other_inputs(tmp_path, track):
    torch.manual_seed(1)
    model = init_motion_extractor(CONFIG)
    official = {
        k[len('generator.'):]: v
        for k, v in model.state_dict().items()
    }
    torch.save(official, tmp_path / 'official.pth')
    loaded = init_motion_extractor(CONFIG, str(tmp_path / 'official.pth'))
    for k, v in model.state_dict().items():
        torch.testing.assert_close(loaded.state_dict()[k], v)
    # .npy (COCO-17 with scores) and mmpose's video predictions read the
    # same track as the JSON folder
    _write_json_track(tmp_path / 'json', track['noisy'])
    from_json, names = load_skeleton_track(str(tmp_path / 'json'))
    assert names[0] == '00000' and from_json.shape == (30, 17, 2)
    scores = np.where((track['noisy'] >= 0).all(-1), 0.9, 0.0)
    np.save(tmp_path / 'track.npy',
            np.concatenate([track['noisy'], scores[..., None]], -1))
    from_npy, _ = load_skeleton_track(str(tmp_path / 'track.npy'))
    np.testing.assert_allclose(from_npy, from_json, atol=1e-4)
    frames = [
        dict(frame_id=i, instances=[
            dict(keypoints=kps.tolist(), keypoint_scores=s.tolist())
        ]) for i, (kps, s) in enumerate(zip(track['noisy'], scores))
    ]
    with open(tmp_path / 'mmpose.json', 'w') as f:
        json.dump(frames, f)
    from_mmpose, _ = load_skeleton_track(str(tmp_path / 'mmpose.json'))
    np.testing.assert_allclose(from_mmpose, from_json, atol=1e-4)


def test_errors(tmp_path, capsys, track):
    main = _tool_main()
    empty = tmp_path / 'empty'
    empty.mkdir()
    args = ['--config', CONFIG]
    assert main([str(empty), str(tmp_path / 'o1')] + args) == 1
    assert 'no .json skeleton files' in capsys.readouterr().err
    bad = tmp_path / 'bad'
    _write_json_track(bad, track['noisy'][:3])
    (bad / '00001.json').write_text('{not json')
    assert main([str(bad), str(tmp_path / 'o2')] + args) == 1
    err = capsys.readouterr().err
    assert '00001.json' in err and 'not JSON' in err
    nobody = tmp_path / 'nobody'
    _write_json_track(nobody, track['noisy'][:4], empty_frames=range(4))
    assert main([str(nobody), str(tmp_path / 'o3')] + args) == 1
    assert 'no person found' in capsys.readouterr().err
    assert not (tmp_path / 'o3').exists()
    wrong = tmp_path / 'wrong.npy'
    np.save(wrong, np.zeros((5, 25, 3)))
    assert main([str(wrong), str(tmp_path / 'o4')] + args) == 1
    assert '(T, 17, 2|3) COCO-17' in capsys.readouterr().err
    assert COCO17_NAMES[0] == 'nose'
