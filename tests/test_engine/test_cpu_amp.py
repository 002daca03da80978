# Copyright (c) OpenMMLab. All rights reserved.
import pytest
import torch
from mmengine.optim import build_optim_wrapper
from mmengine.registry import DefaultScope
from torch import nn

from gfla_mm.engine import CPUAmpOptimWrapper


@pytest.fixture(autouse=True)
def mmagic_scope():
    with DefaultScope.overwrite_default_scope('mmagic'):
        yield


def test_cpu_amp_wrapper_runs_bf16_and_updates():
    model = nn.Sequential(nn.Linear(4, 4), nn.ReLU(), nn.Linear(4, 1))
    wrapper = build_optim_wrapper(
        model,
        dict(type='CPUAmpOptimWrapper', optimizer=dict(type='SGD', lr=0.1)))
    assert isinstance(wrapper, CPUAmpOptimWrapper)
    before = model[0].weight.detach().clone()
    with wrapper.optim_context(model):
        out = model(torch.randn(8, 4))
    assert out.dtype == torch.bfloat16
    wrapper.update_params(out.float().pow(2).mean())
    assert model[0].weight.dtype == torch.float32  # master weights stay
    assert not torch.equal(before, model[0].weight)


def test_cpu_amp_wrapper_refuses_float16():
    model = nn.Linear(2, 2)
    with pytest.raises(ValueError, match='bfloat16 only'):
        build_optim_wrapper(
            model,
            dict(
                type='CPUAmpOptimWrapper',
                dtype='float16',
                optimizer=dict(type='SGD', lr=0.1)))
