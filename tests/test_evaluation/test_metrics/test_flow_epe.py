# Copyright (c) OpenMMLab. All rights reserved.
import math

import pytest
import torch

from gfla_mm.evaluation.metrics import FlowEPE, flow_end_point_error
from gfla_mm.models.losses import downsample_flow

from ...flow_utils import shifted


def test_downsample_rescales_to_the_coarse_grid():
    flow, valid = downsample_flow(shifted(), (8, 4))
    assert flow.shape == (1, 2, 8, 4) and valid.shape == (1, 8, 4)
    assert valid[0, :, 2:].all() and not valid[0, :, :2].any()
    # 8 px of a 16-wide grid = 2 px of a 4-wide grid; -4 of 32 rows = -1.
    torch.testing.assert_close(flow[0, 0, :, 2:], torch.full((8, 2), 2.))
    torch.testing.assert_close(flow[0, 1, :, 2:], torch.full((8, 2), -1.))
    assert (flow[0, :, :, :2] == 0).all()


def test_half_defined_cells_follow_min_valid():
    gt = shifted(4, 4)  # columns 0-1 undefined
    _, valid = downsample_flow(gt, (1, 1), min_valid=0.5)
    assert valid.all()
    _, valid = downsample_flow(gt, (1, 1), min_valid=0.75)
    assert not valid.any()


def test_end_point_error_on_hand_made_flows():
    gt = shifted()
    exact = torch.tensor([2., -1.]).view(2, 1, 1).expand(2, 8, 4)
    err, count = flow_end_point_error(exact, gt)
    assert count == 16 and float(err) == pytest.approx(0, abs=1e-6)
    err, _ = flow_end_point_error(torch.zeros(2, 8, 4), gt)
    assert float(err) == pytest.approx(math.sqrt(5))
    err, count = flow_end_point_error(torch.zeros(2, 8, 4),
                                      torch.full((2, 32, 16), float('nan')))
    assert count == 0 and math.isnan(float(err))


def test_metric_names_scales_and_averages_images():
    metric = FlowEPE()
    gt = shifted(64, 64, 16., 0.)
    samples = []
    for error in (0., 1.):
        coarse = torch.zeros(2, 8, 8)
        coarse[0] = 2. + error  # 16 px of 64 = 2 px of an 8-wide grid
        fine = torch.zeros(2, 16, 16)
        fine[0] = 4.
        samples.append(
            dict(gt_flow=gt, output=dict(flows=[coarse, fine],
                                         pred_img=torch.zeros(3, 64, 64))))
    metric.process({}, samples)
    result = metric.compute_metrics(metric.results)
    assert result['FlowEPE_1/8'] == pytest.approx(0.5)
    assert result['FlowEPE_1/4'] == pytest.approx(0.)
    assert result['ZeroFlowEPE_1/8'] == pytest.approx(2.)
    assert result['ZeroFlowEPE_1/4'] == pytest.approx(4.)


def test_metric_errors_name_the_problem():
    metric = FlowEPE()
    with pytest.raises(ValueError, match=r'gt_flow must be \(2, H, W\)'):
        metric.process({}, [
            dict(gt_flow=torch.zeros(3, 8, 8),
                 output=dict(flows=[torch.zeros(2, 2, 2)],
                             pred_img=torch.zeros(3, 8, 8)))
        ])
    with pytest.raises(KeyError, match='flows'):
        metric.process({}, [
            dict(gt_flow=torch.zeros(2, 8, 8),
                 output=dict(pred_img=torch.zeros(3, 8, 8)))
        ])
