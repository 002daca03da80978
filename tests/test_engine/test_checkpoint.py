# Copyright (c) OpenMMLab. All rights reserved.
import os
import pickle

import numpy as np
import pytest
import torch
from mmengine.logging import MessageHub
from mmengine.logging.history_buffer import HistoryBuffer
from mmengine.runner.checkpoint import CheckpointLoader, _load_checkpoint

from gfla_mm.engine import (
    history_buffer_method,
    load_from_local_weights_only,
    load_weights_only,
)


def runner_like_checkpoint():
    hub = MessageHub('gfla_test_ckpt')
    hub.update_scalar('train/loss', 0.5)
    hub.update_scalar('train/loss', np.float64(0.25))
    return dict(
        meta=dict(iter=3, epoch=0, seed=np.int64(7)),
        state_dict={'conv.weight': torch.randn(2, 2)},
        message_hub=hub.state_dict())


def test_runner_checkpoint_needs_more_than_torch_default(tmp_path):
    path = str(tmp_path / 'iter_3.pth')
    torch.save(runner_like_checkpoint(), path)
    with pytest.raises(pickle.UnpicklingError):
        torch.load(path)
    ckpt = load_from_local_weights_only(path)
    assert ckpt['meta']['iter'] == 3
    buf = ckpt['message_hub']['log_scalars']['train/loss']
    assert isinstance(buf, HistoryBuffer)
    assert buf.mean() == pytest.approx(0.375)
    assert buf.statistics('min') == pytest.approx(0.25)


def test_mmengine_loads_local_files_through_it(tmp_path):
    assert CheckpointLoader._get_checkpoint_loader(
        str(tmp_path / 'x.pth')) is load_from_local_weights_only
    path = str(tmp_path / 'iter_3.pth')
    torch.save(runner_like_checkpoint(), path)
    assert _load_checkpoint(path, map_location='cpu')['meta']['iter'] == 3
    assert 'TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD' not in os.environ


class _Reduce:
    """Pickles as ``func(*args)``."""

    def __init__(self, func, *args):
        self.func, self.args = func, args

    def __reduce__(self):
        return self.func, self.args


@pytest.mark.parametrize('payload', [
    _Reduce(getattr, HistoryBuffer, '__init__'),
    _Reduce(getattr, HistoryBuffer, '_statistics_methods'),
    _Reduce(getattr, np.ndarray, 'tofile'),
    _Reduce(os.system, 'echo pwned'),
    _Reduce(eval, '1 + 1'),
])
def test_crafted_checkpoints_are_refused(tmp_path, payload):
    path = str(tmp_path / 'evil.pth')
    torch.save(dict(meta=dict(iter=1), evil=payload), path)
    with pytest.raises(pickle.UnpicklingError):
        load_from_local_weights_only(path)


def test_history_buffer_method():
    assert history_buffer_method(HistoryBuffer, 'mean') is HistoryBuffer.mean
    with pytest.raises(pickle.UnpicklingError, match='only methods'):
        history_buffer_method(np.ndarray, 'mean')
    with pytest.raises(pickle.UnpicklingError, match='only methods'):
        history_buffer_method(HistoryBuffer, '__class__')


def test_load_weights_only(tmp_path):
    weights = str(tmp_path / 'vgg.pth')
    torch.save({'features.0.weight': torch.ones(1)}, weights)
    assert load_weights_only(weights)['features.0.weight'].item() == 1
    runner = str(tmp_path / 'runner.pth')
    torch.save(runner_like_checkpoint(), runner)
    with pytest.raises(RuntimeError, match='runner.pth is not a plain'):
        load_weights_only(runner)
    with pytest.raises(FileNotFoundError, match='missing.pth'):
        load_weights_only(str(tmp_path / 'missing.pth'))
    with pytest.raises(FileNotFoundError, match='missing.pth'):
        load_from_local_weights_only(str(tmp_path / 'missing.pth'))
