# Copyright (c) OpenMMLab. All rights reserved.
"""RNGStateHook: torch's random state saved in checkpoints, restored on a
resume only (the end-to-end check is
tests/test_configs/test_gfla_animation_configs.py::
test_resume_continues_exactly)."""
from types import SimpleNamespace

import torch

from gfla_mm.engine import RNGStateHook


def saved_checkpoint(iteration: int) -> dict:
    checkpoint = dict(meta=dict(iter=iteration))
    RNGStateHook().before_save_checkpoint(None, checkpoint)
    return checkpoint


def draws() -> torch.Tensor:
    return torch.randint(1000, (8, ))


def test_resume_restores_the_state_at_the_checkpoint():
    torch.manual_seed(0)
    checkpoint = saved_checkpoint(4)
    want = draws()
    torch.manual_seed(123)  # what a fresh process would have
    hook = RNGStateHook()
    hook.after_load_checkpoint(None, checkpoint)
    hook.before_train_iter(SimpleNamespace(iter=4), 0)
    assert torch.equal(draws(), want)
    # Only once: later iterations keep their own stream.
    state = torch.get_rng_state()
    hook.before_train_iter(SimpleNamespace(iter=5), 1)
    assert torch.equal(torch.get_rng_state(), state)


def test_load_from_keeps_the_seeded_stream():
    torch.manual_seed(0)
    checkpoint = saved_checkpoint(4)
    torch.manual_seed(123)
    want = draws()
    torch.manual_seed(123)
    hook = RNGStateHook()
    hook.after_load_checkpoint(None, checkpoint)
    hook.before_train_iter(SimpleNamespace(iter=0), 0)  # a new run
    assert torch.equal(draws(), want)


def test_checkpoint_without_state_warns_and_changes_nothing(monkeypatch):
    from gfla_mm.engine import rng_state
    messages = []
    monkeypatch.setattr(rng_state, 'print_log',
                        lambda msg, **kwargs: messages.append(msg))
    torch.manual_seed(123)
    want = draws()
    torch.manual_seed(123)
    hook = RNGStateHook()
    hook.after_load_checkpoint(None, dict(meta=dict(iter=4)))
    hook.before_train_iter(SimpleNamespace(iter=4), 0)
    assert torch.equal(draws(), want)
    assert len(messages) == 1 and 'holds no torch random state' in messages[0]
