# Copyright (c) OpenMMLab. All rights reserved.
"""PoseTransferInferencer and demo/pose_transfer_demo.py on the synthetic
set with a narrow GFLA saved as a checkpoint."""
import json
import os
import os.path as osp
import subprocess
import sys

import cv2
import numpy as np
import pytest
import torch
from mmagic.registry import DATASETS, MODELS
from mmengine import Config
from mmengine.dataset import pseudo_collate
from mmengine.registry import DefaultScope

from gfla_mm.apis import PoseTransferInferencer, write_frames
from gfla_mm.datasets import make_synthetic_dataset
from gfla_mm.utils import read_video

REPO_ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
DEMO_CFG = osp.join(REPO_ROOT, 'configs', 'gfla', 'gfla_synthetic_demo.py')
FLOW_CFG = osp.join(REPO_ROOT, 'configs', 'gfla',
                    'gfla_flow-pretrain_1xb8-200k_market-128x64.py')
POSE_CFG = osp.join(REPO_ROOT, 'tests', 'data', 'configs',
                    'tiny_topdown_coco.py')
DEMO = osp.join(REPO_ROOT, 'demo', 'pose_transfer_demo.py')


@pytest.fixture(scope='module')
def setup(tmp_path_factory):
    """(config path, checkpoint, test dataset, model) on the synthetic set
    (128x128 images, 64x64 model)."""
    tmp = tmp_path_factory.mktemp('infer')
    root = str(tmp / 'data')
    make_synthetic_dataset(root, (2, 1), 3, size=(128, 128), seed=1)
    cfg = Config.fromfile(DEMO_CFG)
    cfg.model.generator.base_channels = 8
    cfg.model.generator.max_channels = 16
    cfg.model.flow_init = None  # no stage-1 checkpoint here
    cfg.test_dataloader.dataset.data_root = root
    cfg_path = str(tmp / 'cfg.py')
    cfg.dump(cfg_path)
    torch.manual_seed(0)
    with DefaultScope.overwrite_default_scope('mmagic'):
        model = MODELS.build(cfg.model)
        model.init_weights()
        dataset = DATASETS.build(cfg.test_dataloader.dataset)
    model.eval()
    ckpt = str(tmp / 'gfla.pth')
    torch.save(dict(state_dict=model.state_dict()), ckpt)
    return cfg_path, ckpt, dataset, model


def as_uint8(pred):
    return pred.output.pred_img.clamp(0, 255).round().byte().permute(
        1, 2, 0).numpy()


def test_matches_the_test_pipeline_and_model(setup):
    cfg_path, ckpt, dataset, model = setup
    # fast=False: the generator as trained, for tools/test.py's pixels (the
    # CPU inference form is checked in test_fast_path_is_the_cpu_default).
    inferencer = PoseTransferInferencer(
        cfg_path, ckpt, device='cpu', fast=False)
    for idx in range(2):
        info = dataset.get_data_info(idx)
        with torch.no_grad():
            ref = model.test_step(pseudo_collate([dataset[idx]]))[0]
        out = inferencer(
            info['source_path'],
            info['target_keypoints'],
            source_pose=info['source_keypoints'])
        pred = out['predictions'][0]
        # Same pixels, flows and masks as tools/test.py gives for the pair.
        np.testing.assert_array_equal(pred['pred_img'], as_uint8(ref))
        assert pred['pred_img'].shape == (64, 64, 3)
        for got, want in zip(pred['flows'] + pred['masks'],
                             ref.output.flows + ref.output.masks):
            np.testing.assert_allclose(got, want.numpy(), atol=1e-6)
        # A BGR array in memory gives the same result as its file.
        array = cv2.imread(info['source_path'])
        again = inferencer(array, info['target_keypoints'],
                           source_pose=info['source_keypoints'])
        np.testing.assert_array_equal(again['visualization'][0],
                                      pred['pred_img'])


def test_fast_path_is_the_cpu_default(setup):
    """On the CPU the generator runs optimize_for_inference's form by
    default: the same images to within one grey level, flows and masks to
    float rounding; fast=False keeps the generator as trained."""
    from gfla_mm.models.editors.gfla import is_optimized_for_inference
    cfg_path, ckpt, dataset, _ = setup
    fast = PoseTransferInferencer(cfg_path, ckpt, device='cpu')
    plain = PoseTransferInferencer(cfg_path, ckpt, device='cpu', fast=False)
    assert is_optimized_for_inference(fast.model.generator)
    assert not is_optimized_for_inference(plain.model.generator)
    info = dataset.get_data_info(0)
    args = (info['source_path'], info['target_keypoints'],
            info['source_keypoints'])
    got, want = fast(*args)['predictions'][0], plain(*args)['predictions'][0]
    diff = np.abs(got['pred_img'].astype(int) - want['pred_img'])
    assert diff.max() <= 1 and (diff > 0).mean() < 0.01
    for a, b in zip(got['flows'] + got['masks'],
                    want['flows'] + want['masks']):
        np.testing.assert_allclose(a, b, atol=1e-5)


def test_target_frame_is_stretched_onto_the_source(setup):
    cfg_path, ckpt, dataset, _ = setup
    inferencer = PoseTransferInferencer(cfg_path, ckpt, device='cpu')
    info = dataset.get_data_info(0)
    kps = info['target_keypoints'].copy()
    half = np.where(kps >= 0, kps / 2, -1)  # the same pose in a 64x64 frame
    a = inferencer(info['source_path'], kps, info['source_keypoints'])
    b = inferencer(info['source_path'], half, info['source_keypoints'],
                   pose_frame=(64, 64))
    np.testing.assert_array_equal(a['visualization'][0],
                                  b['visualization'][0])


def test_sequence_to_video_gif_and_frames(setup, tmp_path):
    cfg_path, ckpt, dataset, _ = setup
    inferencer = PoseTransferInferencer(cfg_path, ckpt, device='cpu')
    info = dataset.get_data_info(0)
    seq = np.stack([dataset.get_data_info(i)['target_keypoints']
                    for i in range(3)])
    video = str(tmp_path / 'out' / 'seq.mp4')
    out = inferencer(info['source_path'], seq, info['source_keypoints'],
                     batch_size=2, result_out_dir=video, fps=5)
    assert len(out['predictions']) == 3
    cap = cv2.VideoCapture(video)
    count = 0
    while cap.read()[0]:
        count += 1
    assert count == 3
    # Batches do not change the frames; every frame is its own pose.
    single = [
        inferencer(info['source_path'], kps, info['source_keypoints'],
                   batch_size=1)['visualization'][0] for kps in seq
    ]
    for got, want in zip(out['visualization'], single):
        np.testing.assert_allclose(got.astype(int), want.astype(int),
                                   atol=1)
    assert not np.array_equal(single[0], single[1])
    gif = str(tmp_path / 'seq.gif')
    inferencer(info['source_path'], seq, info['source_keypoints'],
               result_out_dir=gif)
    assert osp.getsize(gif) > 0
    panels = inferencer(info['source_path'], seq, info['source_keypoints'],
                        panel=True)
    for got, pred in zip(panels['visualization'], panels['predictions']):
        assert got.shape == (64, 3 * 64, 3)
        np.testing.assert_array_equal(got[:, 128:], pred['pred_img'])
    source = cv2.resize(cv2.imread(info['source_path']), (64, 64),
                        interpolation=cv2.INTER_LINEAR)
    assert np.abs(panels['visualization'][0][:, :64].astype(int) -
                  source).mean() < 3  # the resized source
    samples = inferencer(info['source_path'], seq[:1],
                         info['source_keypoints'],
                         result_out_dir=str(tmp_path / 'frames'),
                         return_datasamples=True)['predictions']
    assert 'target_pose_img' in samples[0]  # DataSamples for grids
    assert osp.isfile(tmp_path / 'frames' / 'frame_00000.png')


def test_poses_from_images_with_mmpose(setup, tmp_path):
    cfg_path, ckpt, dataset, _ = setup
    inferencer = PoseTransferInferencer(
        cfg_path, ckpt, device='cpu', pose_model=POSE_CFG,
        pose_weights=None, det_model=None, score_thr=float('-inf'))
    info = dataset.get_data_info(0)
    out_png = str(tmp_path / 'res' / 'out.png')
    out = inferencer(info['source_path'], info['target_path'],
                     result_out_dir=out_png)
    written = cv2.imread(out_png)
    np.testing.assert_array_equal(written, out['visualization'][0])


def test_driving_video_gives_one_pose_per_frame(setup, tmp_path):
    cfg_path, ckpt, dataset, _ = setup
    inferencer = PoseTransferInferencer(
        cfg_path, ckpt, device='cpu', pose_model=POSE_CFG,
        pose_weights=None, det_model=None, score_thr=float('-inf'))
    info = dataset.get_data_info(0)
    frames = [cv2.imread(dataset.get_data_info(i)['target_path'])
              for i in range(3)]
    driving = write_frames(frames, str(tmp_path / 'driving.avi'), fps=5)
    out = inferencer(info['source_path'], driving, info['source_keypoints'])
    assert len(out['predictions']) == 3
    # The same as the poses extracted from the frames one by one (MJPG
    # decoding changes pixels slightly; random weights make keypoints move
    # a lot with them, so compare with the decoded frames).
    decoded = read_video(driving, channel_order='bgr')
    for got, frame in zip(out['visualization'], decoded):
        single = inferencer(info['source_path'],
                            inferencer.pose_extractor(frame),
                            info['source_keypoints'])['visualization'][0]
        # Batched and single convolutions round differently: +-1 in uint8.
        np.testing.assert_allclose(got.astype(int), single.astype(int),
                                   atol=1)
    with pytest.raises(FileNotFoundError, match='video .*none.mp4'):
        inferencer(info['source_path'], str(tmp_path / 'none.mp4'),
                   info['source_keypoints'])
    (tmp_path / 'broken.mp4').write_bytes(b'no video')
    with pytest.raises(ValueError, match='no frame could be read'):
        inferencer(info['source_path'], str(tmp_path / 'broken.mp4'),
                   info['source_keypoints'])


def test_bad_inputs_raise_clear_errors(setup, tmp_path):
    cfg_path, ckpt, dataset, _ = setup
    inferencer = PoseTransferInferencer(cfg_path, ckpt, device='cpu')
    info = dataset.get_data_info(0)
    src, kps = info['source_path'], info['target_keypoints']
    with pytest.raises(FileNotFoundError, match='source image not found'):
        inferencer(str(tmp_path / 'missing.jpg'), kps, kps)
    corrupt = tmp_path / 'corrupt.jpg'
    corrupt.write_bytes(b'not a jpeg')
    with pytest.raises(OSError, match='cannot be decoded.*corrupt.jpg'):
        inferencer(str(corrupt), kps, kps)
    with pytest.raises(ValueError, match=r'target_pose.*got \(18, 3\)'):
        inferencer(src, np.zeros((18, 3)), kps)
    with pytest.raises(ValueError, match='source_pose.*NaN'):
        inferencer(src, kps, np.full((18, 2), np.nan))
    with pytest.raises(ValueError, match='img must be a path or a BGR'):
        inferencer(np.zeros((8, 8), np.uint8), kps, kps)
    with pytest.raises(ValueError, match='pose_frame'):
        inferencer(src, kps, kps, pose_frame=(0, 5))
    with pytest.raises(ValueError, match='batch_size'):
        inferencer(src, kps, kps, batch_size=0)
    with pytest.raises(TypeError, match='does not generate images'):
        PoseTransferInferencer(FLOW_CFG, None, device='cpu')


def test_demo_cli(setup, tmp_path, run_tool):
    cfg_path, ckpt, dataset, _ = setup
    info = dataset.get_data_info(0)
    src_json = tmp_path / 'src.json'
    src_json.write_text(json.dumps(info['source_keypoints'].tolist()))
    seq = np.stack([dataset.get_data_info(i)['target_keypoints']
                    for i in range(2)])
    np.save(tmp_path / 'seq.npy', seq)
    gif = str(tmp_path / 'dance.gif')
    proc = run_tool([
        DEMO, cfg_path, ckpt, '--img', info['source_path'], '--source-pose',
        str(src_json), '--target-pose', str(tmp_path / 'seq.npy'),
        '--pose-frame', '128', '128', '--result-out-dir', gif, '--device',
        'cpu', '--panel'
    ], str(tmp_path))
    assert f'wrote {gif} (2 frames, 192x64)' in proc.stdout
    assert osp.getsize(gif) > 0
    bad = subprocess.run([
        sys.executable, DEMO, cfg_path, ckpt, '--img', info['source_path'],
        '--source-pose', str(src_json), '--target-pose',
        str(tmp_path / 'none.json'), '--result-out-dir', 'x.png'
    ], cwd=str(tmp_path), capture_output=True, text=True,
        env={**os.environ, 'CUDA_VISIBLE_DEVICES': ''})
    assert bad.returncode == 1
    assert 'error: target_pose file' in bad.stderr
    assert 'none.json does not exist' in bad.stderr
    assert 'Traceback' not in bad.stderr


def test_model_names_from_the_metafile():
    inferencer = PoseTransferInferencer('gfla_1xb8-1000k_market-128x64',
                                        device='cpu')
    assert inferencer.cfg.test_dataloader.dataset.data_root == 'data/market'
    assert type(inferencer.model).__name__ == 'GFLA'
    # The metafile's aliases name the same models.
    alias = PoseTransferInferencer('gfla_market', device='cpu')
    assert alias.cfg.filename == inferencer.cfg.filename
    with pytest.raises(ValueError, match='neither a config file nor a '
                       'gfla_mm model name.*gfla_1xb8-1000k_market-128x64'):
        PoseTransferInferencer('gfla_no_such_model', device='cpu')
