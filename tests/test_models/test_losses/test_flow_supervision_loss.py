# Copyright (c) OpenMMLab. All rights reserved.
import math

import pytest
import torch

from gfla_mm.models.losses import FlowSupervisionLoss

from ...flow_utils import shifted


def test_supervision_loss_is_the_epe_and_trains_the_flow():
    gt = torch.stack([shifted(), shifted(dx=-8., dy=4.)])
    loss = FlowSupervisionLoss(loss_weight=2.)
    exact = torch.stack([
        torch.tensor([2., -1.]).view(2, 1, 1).expand(2, 8, 4),
        torch.tensor([-2., 1.]).view(2, 1, 1).expand(2, 8, 4)
    ])
    assert float(loss([exact], gt)) == pytest.approx(0, abs=1e-6)
    flow = torch.zeros(2, 2, 8, 4, requires_grad=True)
    value = loss([flow], gt)
    assert float(value.detach()) == pytest.approx(2 * math.sqrt(5))
    value.backward()
    # Undefined cells get no gradient; defined ones point to the truth.
    assert (flow.grad[:, :, :, :2] == 0).all()
    assert (flow.grad[0, 0, :, 2:] < 0).all() and (flow.grad[1, 0, :, 2:] >
                                                   0).all()
    with pytest.raises(KeyError, match='gt_flow'):
        loss([flow], None)
