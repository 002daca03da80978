# Copyright (c) OpenMMLab. All rights reserved.
"""Exact ``--resume`` for models that draw from torch's global generator.

mmengine 0.10's ``Runner.resume`` restores weights, optimisers, schedulers
and the message hub, and replays the data sampler by re-loading the first N
batches, but not torch's global random state: after a resume, every
``torch.randint``/``torch.rand``/dropout draw of the model differs from the
uninterrupted run (the animation model picks its discriminators' frames that
way). :class:`RNGStateHook` saves the state in each checkpoint and puts it
back before the first resumed iteration.

The data pipeline's numpy/python draws need nothing: mmengine's replay of
the first N batches (``IterBasedTrainLoop``'s "Advance dataloader") repeats
them. They must not be restored either: the replay runs before the first
resumed iteration, restoring after it would rewind them.
"""
from typing import Optional

import torch
from mmengine.dist import get_rank
from mmengine.hooks import Hook
from mmengine.logging import print_log

from gfla_mm.registry import HOOKS

__all__ = ['RNGStateHook']

STATE_KEY = 'torch_rng_state'


@HOOKS.register_module()
class RNGStateHook(Hook):
    """Saves torch's global CPU (and CUDA) random state in the checkpoint's
    ``meta['torch_rng_state']``; on ``--resume`` restores it before the first
    resumed training iteration.

    Only a resume restores it: a checkpoint loaded with ``load_from``
    (fine-tuning, testing) starts at iteration 0, not at the checkpoint's,
    and keeps the configured seed's stream. The state is the saving
    process's (rank 0); other ranks keep mmengine's per-rank seeding.
    Exact when nothing between the checkpoint and the next iteration (a
    validation run) draws from torch's generator, as is the case for
    gfla_mm's models.
    """

    priority = 'NORMAL'

    def __init__(self) -> None:
        self._pending: Optional[tuple] = None

    def before_save_checkpoint(self, runner, checkpoint: dict) -> None:
        state = dict(cpu=torch.get_rng_state())
        if torch.cuda.is_available() and torch.cuda.is_initialized():
            state['cuda'] = torch.cuda.get_rng_state_all()
        checkpoint.setdefault('meta', {})[STATE_KEY] = state

    def after_load_checkpoint(self, runner, checkpoint: dict) -> None:
        meta = checkpoint.get('meta') or {}
        self._pending = (meta.get('iter'), meta.get(STATE_KEY))

    def before_train_iter(self,
                          runner,
                          batch_idx: int,
                          data_batch=None) -> None:
        if self._pending is None:
            return
        saved_iter, state = self._pending
        self._pending = None
        if saved_iter is None or runner.iter != saved_iter:
            return  # load_from: a new run, not a continuation
        if state is None:
            print_log(
                f'the checkpoint of iteration {saved_iter} holds no torch '
                f'random state (meta["{STATE_KEY}"], saved by RNGStateHook): '
                'the random draws from here on differ from an uninterrupted '
                'run', logger='current', level=30)
            return
        if get_rank() != 0:
            return
        torch.set_rng_state(state['cpu'].cpu())
        if 'cuda' in state and torch.cuda.is_available():
            cuda = state['cuda'][:torch.cuda.device_count()]
            torch.cuda.set_rng_state_all([s.cpu() for s in cuda])
        print_log(f'restored the torch random state of iteration {saved_iter}',
                  logger='current')
