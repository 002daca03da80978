# Copyright (c) OpenMMLab. All rights reserved.
import numpy as np
import pytest

from gfla_mm.datasets import (
    COCO17_NAMES,
    H36M17_NAMES,
    OPENPOSE18_NAMES,
    coco17_to_h36m17,
    coco17_to_openpose18,
    h36m17_to_coco17,
    h36m17_to_openpose18,
    openpose18_to_coco17,
    openpose18_to_h36m17,
)
from gfla_mm.datasets.keypoint_formats import OPENPOSE18_FLIP_INDEX


def test_coco_openpose_round_trip():
    rng = np.random.default_rng(0)
    coco = rng.uniform(0, 100, size=(3, 17, 2))
    op = coco17_to_openpose18(coco, np.ones((3, 17)))
    # The gather index from mmpose's openpose_visualization (neck = 17).
    index = [0, 17, 6, 8, 10, 5, 7, 9, 12, 14, 16, 11, 13, 15, 2, 1, 4, 3]
    with_neck = np.concatenate(
        [coco, (coco[:, 5:6] + coco[:, 6:7]) / 2], axis=1)
    np.testing.assert_allclose(op, with_neck[:, index])
    back, visible = openpose18_to_coco17(op)
    np.testing.assert_allclose(back, coco)
    assert visible.all()


def test_low_scores_become_missing():
    coco = np.full((17, 2), 10.0)
    scores = np.ones(17)
    scores[COCO17_NAMES.index('left_shoulder')] = 0.1
    op = coco17_to_openpose18(coco, scores, score_thr=0.3)
    assert (op[OPENPOSE18_NAMES.index('left_shoulder')] == -1).all()
    assert (op[OPENPOSE18_NAMES.index('neck')] == -1).all()  # needs both
    assert (op[OPENPOSE18_NAMES.index('nose')] == 10).all()
    _, visible = openpose18_to_coco17(op)
    assert visible[COCO17_NAMES.index('left_shoulder')] == 0


def test_coco_h36m_derivation_and_round_trip():
    rng = np.random.default_rng(1)
    coco = rng.uniform(0, 50, size=(4, 17, 2))
    h36m = coco17_to_h36m17(coco)
    h = H36M17_NAMES.index
    c = COCO17_NAMES.index
    mid = lambda a, b: (coco[:, c(a)] + coco[:, c(b)]) / 2  # noqa: E731
    np.testing.assert_allclose(h36m[:, h('pelvis')],
                               mid('left_hip', 'right_hip'))
    np.testing.assert_allclose(h36m[:, h('thorax')],
                               mid('left_shoulder', 'right_shoulder'))
    np.testing.assert_allclose(
        h36m[:, h('spine')],
        (h36m[:, h('pelvis')] + h36m[:, h('thorax')]) / 2)
    np.testing.assert_allclose(h36m[:, h('head')],
                               mid('left_eye', 'right_eye'))
    np.testing.assert_allclose(h36m[:, h('neck_base')], coco[:, c('nose')])
    np.testing.assert_allclose(h36m[:, h('left_wrist')],
                               coco[:, c('left_wrist')])
    back, visible = h36m17_to_coco17(h36m)
    shared = [i for i, n in enumerate(COCO17_NAMES)
              if 'eye' not in n and 'ear' not in n]
    np.testing.assert_allclose(back[:, shared], coco[:, shared])
    assert visible[:, shared].all() and not visible[:, 1:5].any()
    assert (back[:, 1:5] == -1).all()


def test_h36m_missing_inputs_propagate():
    coco = np.full((17, 2), 20.0)
    coco[COCO17_NAMES.index('left_hip')] = -1
    h36m = coco17_to_h36m17(coco)
    for name in ('pelvis', 'spine', 'left_hip'):
        assert (h36m[H36M17_NAMES.index(name)] == -1).all(), name
    assert (h36m[H36M17_NAMES.index('thorax')] == 20).all()
    # visibility given explicitly overrides the coordinates
    vis = np.ones(17)
    vis[COCO17_NAMES.index('nose')] = 0
    h36m = coco17_to_h36m17(np.full((17, 2), 5.0), vis)
    assert (h36m[H36M17_NAMES.index('neck_base')] == -1).all()


def test_openpose_h36m_through_coco():
    rng = np.random.default_rng(2)
    op = rng.uniform(0, 50, size=(18, 2))
    h36m = openpose18_to_h36m17(op)
    np.testing.assert_allclose(h36m[0], (op[8] + op[11]) / 2)  # pelvis
    op2 = h36m17_to_openpose18(h36m)
    body = [i for i, n in enumerate(OPENPOSE18_NAMES)
            if 'eye' not in n and 'ear' not in n and n != 'neck']
    np.testing.assert_allclose(op2[body], op[body])
    np.testing.assert_allclose(op2[1], (op[2] + op[5]) / 2)  # neck
    assert (op2[[14, 15, 16, 17]] == -1).all()


def test_flip_index_swaps_sides():
    names = [OPENPOSE18_NAMES[i] for i in OPENPOSE18_FLIP_INDEX]
    assert names[OPENPOSE18_NAMES.index('left_wrist')] == 'right_wrist'
    assert names[OPENPOSE18_NAMES.index('nose')] == 'nose'


def test_shape_errors():
    with pytest.raises(ValueError, match=r'\(\.\.\., 17, 2\)'):
        coco17_to_openpose18(np.zeros((18, 2)), np.ones(18))
