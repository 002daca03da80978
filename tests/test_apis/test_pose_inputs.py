# Copyright (c) OpenMMLab. All rights reserved.
import json

import numpy as np
import pytest

from gfla_mm.apis import load_keypoints
from gfla_mm.datasets import COCO17_NAMES, OPENPOSE18_NAMES


def pose(seed=0, t=None):
    rng = np.random.default_rng(seed)
    shape = (18, 2) if t is None else (t, 18, 2)
    kps = rng.uniform(0, 100, shape).astype(np.float32)
    kps[..., 4, :] = -1
    return kps


def test_arrays_lists_npy_and_json(tmp_path):
    kps = pose()
    np.testing.assert_array_equal(load_keypoints(kps), kps)
    np.testing.assert_array_equal(load_keypoints(kps.tolist()), kps)
    np.save(tmp_path / 'p.npy', kps)
    np.testing.assert_array_equal(load_keypoints(str(tmp_path / 'p.npy')),
                                  kps)
    (tmp_path / 'list.json').write_text(json.dumps(kps.tolist()))
    (tmp_path / 'obj.json').write_text(
        json.dumps(dict(keypoints=kps.tolist())))
    for name in ('list.json', 'obj.json'):
        np.testing.assert_allclose(load_keypoints(str(tmp_path / name)), kps)
    seq = pose(1, t=4)
    out = load_keypoints(seq, allow_sequence=True)
    assert out.shape == (4, 18, 2) and out.dtype == np.float32


def coco_instance(seed=0):
    rng = np.random.default_rng(seed)
    kps = rng.uniform(0, 100, (17, 2))
    scores = np.full(17, 0.9)
    scores[COCO17_NAMES.index('left_knee')] = 0.1
    return dict(keypoints=kps.tolist(), keypoint_scores=scores.tolist(),
                bbox=[[0, 0, 100, 100]], bbox_score=0.99), kps


def test_mmpose_prediction_files(tmp_path):
    inst, kps = coco_instance()
    other, _ = coco_instance(1)
    # MMPoseInferencer(pred_out_dir=...) on an image: the first person.
    path = tmp_path / 'img.json'
    path.write_text(json.dumps([inst, other]))
    out = load_keypoints(str(path))
    nose = OPENPOSE18_NAMES.index('nose')
    np.testing.assert_allclose(out[nose], kps[COCO17_NAMES.index('nose')])
    assert (out[OPENPOSE18_NAMES.index('left_knee')] == -1).all()
    shoulders = [COCO17_NAMES.index(n)
                 for n in ('left_shoulder', 'right_shoulder')]
    np.testing.assert_allclose(out[OPENPOSE18_NAMES.index('neck')],
                               kps[shoulders].mean(0), rtol=1e-6)
    # On a video: one entry per frame; demo --save-predictions wraps it.
    frames = [dict(frame_id=i, instances=[coco_instance(i)[0]])
              for i in range(3)]
    (tmp_path / 'video.json').write_text(json.dumps(frames))
    (tmp_path / 'demo.json').write_text(
        json.dumps(dict(meta_info={}, instance_info=frames)))
    for name in ('video.json', 'demo.json'):
        seq = load_keypoints(str(tmp_path / name), allow_sequence=True)
        assert seq.shape == (3, 18, 2)
        np.testing.assert_allclose(seq[0], out)
    # A stricter threshold drops the 0.9-score joints too.
    assert (load_keypoints(str(path), score_thr=0.95) == -1).all()


def test_errors_name_the_file_and_shape(tmp_path):
    with pytest.raises(FileNotFoundError, match='target_pose file .*nope'):
        load_keypoints(str(tmp_path / 'nope.json'), 'target_pose')
    with pytest.raises(ValueError, match=r'got \(17, 2\)'):
        load_keypoints(np.zeros((17, 2)), 'target_pose')
    with pytest.raises(ValueError, match=r'\(18, 2\) expected, got'):
        load_keypoints(pose(t=2))  # a sequence where one pose is asked
    bad = pose()
    bad[3, 0] = np.nan
    with pytest.raises(ValueError, match='NaN'):
        load_keypoints(bad)
    with pytest.raises(ValueError, match='empty'):
        load_keypoints(np.zeros((0, 18, 2)), allow_sequence=True)
    (tmp_path / 'broken.json').write_text('[[1, 2], ')
    with pytest.raises(ValueError, match='broken.json cannot be read'):
        load_keypoints(str(tmp_path / 'broken.json'))
    (tmp_path / 'x.txt').write_text('1 2')
    with pytest.raises(ValueError, match='.json, .npy or annotation .csv'):
        load_keypoints(str(tmp_path / 'x.txt'))
    (tmp_path / 'empty.json').write_text('[]')
    with pytest.raises(ValueError, match=r'empty.json: OpenPose-18'):
        load_keypoints(str(tmp_path / 'empty.json'))
    (tmp_path / 'wholebody.json').write_text(
        json.dumps([dict(keypoints=np.zeros((133, 2)).tolist(),
                         keypoint_scores=np.ones(133).tolist())]))
    with pytest.raises(ValueError, match='wholebody.json.*COCO-17'):
        load_keypoints(str(tmp_path / 'wholebody.json'))
    (tmp_path / 'obj.json').write_text(json.dumps(dict(points=[])))
    with pytest.raises(ValueError, match='"keypoints"'):
        load_keypoints(str(tmp_path / 'obj.json'))


def test_annotation_csv(tmp_path):
    """The official annotation format: a row by image name, or every pose
    in name order as a sequence."""
    ys, xs = list(range(18)), [2 * i for i in range(18)]
    ys[3] = xs[3] = -1
    lines = ['name:keypoints_y:keypoints_x']
    for name, dx in (('b.jpg', 1), ('a.jpg', 0)):
        lines.append(f'{name}:{json.dumps(ys)}:'
                     f'{json.dumps([x + dx if x >= 0 else -1 for x in xs])}')
    path = tmp_path / 'fasion-annotation-test.csv'
    path.write_text('\n'.join(lines) + '\n')
    one = load_keypoints(str(path), image_name='photos/b.jpg')
    assert one.shape == (18, 2) and one[0].tolist() == [1, 0]
    assert one[3].tolist() == [-1, -1]
    seq = load_keypoints(str(path), 'target_pose', allow_sequence=True)
    assert seq.shape == (2, 18, 2)
    assert seq[0, 5].tolist() == [10, 5] and seq[1, 5].tolist() == [11, 5]
    with pytest.raises(ValueError, match='source_pose file .*no row named '
                       'c.jpg among its 2 poses'):
        load_keypoints(str(path), 'source_pose', image_name='c.jpg')
    bad = tmp_path / 'bad.csv'
    bad.write_text('name,x\n')
    with pytest.raises(ValueError, match='bad.csv.*header'):
        load_keypoints(str(bad), allow_sequence=True)
