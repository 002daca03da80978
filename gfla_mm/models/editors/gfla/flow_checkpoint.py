# Copyright (c) OpenMMLab. All rights reserved.
"""Stage 1 -> stage 2: seeding the generator's flow estimator with the
pre-trained one."""
import os.path as osp

from mmengine.runner.checkpoint import _load_checkpoint
from torch import nn

# Where a flow estimator's weights live in the state dicts we accept:
# GFLAFlowPretrainer / the official PoseFlowNetGenerator ('flow_net.'), a
# whole GFLA model ('generator.flow_net.') or generator ('flow_net.').
FLOW_PREFIXES = ('flow_net.', 'generator.flow_net.', 'module.flow_net.')

STAGE1_HINT = ('Train stage 1 first (python tools/train.py '
               'configs/gfla/gfla_flow-pretrain_*.py; its work dir or '
               'checkpoint is what model.flow_init names), or set '
               '--cfg-options model.flow_init=None to train the flow '
               'estimator from scratch.')


def resolve_checkpoint(path: str) -> str:
    """A checkpoint file, or a work dir whose ``last_checkpoint`` names one.

    Raises:
        FileNotFoundError: naming the path and what to do.
    """
    path = osp.expanduser(path)
    if osp.isdir(path):
        pointer = osp.join(path, 'last_checkpoint')
        if not osp.isfile(pointer):
            raise FileNotFoundError(
                f'model.flow_init: work dir {path} has no last_checkpoint '
                f'(stage 1 has not saved a checkpoint there). {STAGE1_HINT}')
        with open(pointer) as f:
            path = f.read().strip()
    if not osp.isfile(path):
        raise FileNotFoundError(
            f'model.flow_init: no stage-1 checkpoint at {path}. '
            f'{STAGE1_HINT}')
    return path


def load_flow_estimator(flow_net: nn.Module, path: str) -> str:
    """Loads the flow estimator weights of a stage-1 (or any GFLA)
    checkpoint into ``flow_net``, strictly.

    Args:
        flow_net (nn.Module): The generator's ``flow_net``.
        path (str): Checkpoint file or work dir (see
            :func:`resolve_checkpoint`); mmengine checkpoints
            (``state_dict``) and bare state dicts (official
            ``latest_net_G.pth``) are accepted.

    Returns:
        str: The file that was loaded.

    Raises:
        KeyError: if the file holds no flow estimator weights.
        RuntimeError: on missing keys or shape mismatches (torch's message
            names them).
    """
    path = resolve_checkpoint(path)
    ckpt = _load_checkpoint(path, map_location='cpu')
    state = ckpt.get('state_dict', ckpt)
    for prefix in FLOW_PREFIXES:
        sub = {
            k[len(prefix):]: v
            for k, v in state.items() if k.startswith(prefix)
        }
        if sub:
            flow_net.load_state_dict(sub, strict=True)
            return path
    some = sorted(state)[:5]
    raise KeyError(f'model.flow_init: {path} holds no flow estimator '
                   f'weights (keys starting with {FLOW_PREFIXES}); first '
                   f'keys: {some}')


__all__ = ['load_flow_estimator', 'resolve_checkpoint', 'FLOW_PREFIXES']
