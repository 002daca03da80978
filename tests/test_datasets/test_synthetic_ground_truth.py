# Copyright (c) OpenMMLab. All rights reserved.
"""The synthetic renderer's ground truth: correspondence flows and body
masks, written per pair and read back through the dataset."""
import os
import os.path as osp

import cv2
import numpy as np
import pytest

from gfla_mm.datasets import PoseDataError, PosePairDataset
from gfla_mm.datasets.synthetic import (
    Mannequin,
    body_mask_name,
    correspondence_flow,
    flow_file_name,
    make_synthetic_dataset,
)
from gfla_mm.datasets.transforms import LoadFlowFromFile


def warp(image: np.ndarray, flow: np.ndarray) -> np.ndarray:
    """image sampled at p + flow(p) (bilinear), 0 flow where undefined."""
    h, w = flow.shape[:2]
    ys, xs = np.mgrid[:h, :w].astype(np.float32)
    f = np.nan_to_num(flow)
    return cv2.remap(image, xs + f[..., 0], ys + f[..., 1], cv2.INTER_LINEAR)


@pytest.mark.parametrize('seed', [0, 1, 2])
def test_flow_warps_the_source_onto_the_target_body(seed):
    rng = np.random.default_rng(seed)
    size = (128, 96)
    person = Mannequin(rng)
    bg = rng.integers(200, 256, size=3)
    src_joints, tgt_joints = person.pose(rng, size), person.pose(rng, size)
    source = person.render(src_joints, size, bg).astype(np.float32)
    target, labels = person.render(tgt_joints, size, bg, True)
    flow = correspondence_flow(person, src_joints, tgt_joints, size)
    assert flow.shape == (128, 96, 2) and flow.dtype == np.float32
    defined = np.isfinite(flow).all(-1)
    body = labels >= 0
    assert not (defined & ~body).any(), 'flow defined off the body'
    assert defined.sum() > 0.8 * body.sum()
    err = np.abs(warp(source, flow) - target).mean(-1)[defined]
    still = np.abs(source - target).mean(-1)[defined]
    # Texture edges resample imperfectly; the bulk is exact.
    assert np.median(err) < 6 and err.mean() < 12, (np.median(err),
                                                     err.mean())
    assert still.mean() > 4 * err.mean()


def test_identity_pose_gives_zero_flow():
    rng = np.random.default_rng(4)
    person = Mannequin(rng)
    joints = person.pose(rng, (64, 64))
    flow = correspondence_flow(person, joints, joints, (64, 64))
    defined = np.isfinite(flow).all(-1)
    assert defined.any()
    np.testing.assert_allclose(flow[defined], 0, atol=1e-4)


def test_dataset_writes_and_reads_ground_truth(tmp_path):
    root = str(tmp_path / 'synth')
    make_synthetic_dataset(root, (1, 1), 3, size=(64, 48), seed=2)
    assert len(os.listdir(osp.join(root, 'train_flow'))) == 6
    assert len(os.listdir(osp.join(root, 'test_body'))) == 3
    ds = PosePairDataset(
        root,
        'train',
        keypoint_frame=(64, 48),
        flow_dir='{split}_flow',
        body_mask_dir='{split}_body')
    info = ds.get_data_info(0)
    assert info['gt_flow_path'].endswith(
        flow_file_name(info['source_name'], info['target_name']))
    assert info['body_mask_path'].endswith(
        body_mask_name(info['target_name']))
    flow = LoadFlowFromFile()(dict(gt_flow_path=info['gt_flow_path']))
    assert flow['gt_flow'].shape == (64, 48, 2)
    assert flow['gt_flow'].dtype == np.float32
    mask = cv2.imread(info['body_mask_path'], cv2.IMREAD_GRAYSCALE)
    assert set(np.unique(mask)) == {0, 255}
    # The flow is defined on the target's body only.
    assert not (np.isfinite(flow['gt_flow']).all(-1) & (mask == 0)).any()


def test_missing_ground_truth_is_named(tmp_path):
    root = str(tmp_path / 'synth')
    make_synthetic_dataset(root, (1, 1), 2, size=(32, 32), seed=0)
    victim = sorted(os.listdir(osp.join(root, 'test_flow')))[0]
    os.remove(osp.join(root, 'test_flow', victim))
    with pytest.raises(PoseDataError, match=victim):
        PosePairDataset(root, 'test', keypoint_frame=(32, 32),
                        flow_dir='{split}_flow')


def test_flow_loader_errors(tmp_path):
    bad = tmp_path / 'bad.npy'
    np.save(bad, np.zeros((4, 4, 3), np.float32))
    with pytest.raises(ValueError, match=r'bad\.npy.*\(4, 4, 3\)'):
        LoadFlowFromFile()(dict(gt_flow_path=str(bad)))
    corrupt = tmp_path / 'corrupt.npy'
    corrupt.write_bytes(b'not numpy')
    with pytest.raises(OSError, match='corrupt.npy'):
        LoadFlowFromFile()(dict(gt_flow_path=str(corrupt)))
    with pytest.raises(FileNotFoundError, match='gone.npy'):
        LoadFlowFromFile()(dict(gt_flow_path=str(tmp_path / 'gone.npy')))


def test_mannequins_wear_a_shirt_and_trousers():
    from gfla_mm.datasets.synthetic import PARTS, SHIRT, TROUSERS
    people = [Mannequin(np.random.default_rng(s)) for s in range(4)]
    for person in people:
        tex = person.textures
        assert len(tex) == len(PARTS)
        assert all(tex[k] is tex[SHIRT[0]] for k in SHIRT)
        assert all(tex[k] is tex[TROUSERS[0]] for k in TROUSERS)
        assert not np.array_equal(tex[SHIRT[0]], tex[TROUSERS[0]])
    # Identities differ in their outfits.
    shirts = [p.textures[SHIRT[0]] for p in people]
    assert not any(
        np.array_equal(a, b) for i, a in enumerate(shirts)
        for b in shirts[i + 1:])
