# Copyright (c) OpenMMLab. All rights reserved.
"""Official GFLA checkpoints (``latest_net_G.pth`` / ``latest_net_D.pth``,
and the animation model's ``latest_net_D_V.pth``) as gfla_mm checkpoints.

Our networks keep the official module names, so the mapping is: strip the
``module.`` of DataParallel saves, prefix ``generator.`` /
``discriminator.`` / ``temporal_discriminator.``, and check every key and
shape against the model.
"""
from typing import Dict, Optional

import torch
from torch import nn

StateDict = Dict[str, torch.Tensor]


def strip_data_parallel(state: StateDict) -> StateDict:
    """Drops the ``module.`` prefix that ``nn.DataParallel`` saves add."""
    if state and all(k.startswith('module.') for k in state):
        return {k[len('module.'):]: v for k, v in state.items()}
    return dict(state)


def check_against(state: StateDict, module: nn.Module, name: str) -> None:
    """Raises KeyError/ValueError naming every missing, unexpected or
    mis-shaped key of ``state`` for ``module``."""
    own = module.state_dict()
    missing = sorted(set(own) - set(state))
    unexpected = sorted(set(state) - set(own))
    shapes = [
        f'{k}: checkpoint {tuple(state[k].shape)} vs model '
        f'{tuple(own[k].shape)}' for k in sorted(set(own) & set(state))
        if state[k].shape != own[k].shape
    ]
    if missing or unexpected:
        raise KeyError(f'{name}: {len(missing)} missing keys '
                       f'{missing[:8]}, {len(unexpected)} unexpected keys '
                       f'{unexpected[:8]} (is the config the one the '
                       'checkpoint was trained with: DeepFashion, Market or '
                       'the animation model?)')
    if shapes:
        raise ValueError(f'{name}: shape mismatches: {shapes[:8]}')


def is_market_generator(state: StateDict) -> bool:
    """Official Market generators attend at 1/4 only (no ``attn0``)."""
    state = strip_data_parallel(state)
    return not any(k.startswith('target.attn0.') for k in state)


def is_animation_generator(state: StateDict) -> bool:
    """Official ``dance`` generators have two source encoders."""
    state = strip_data_parallel(state)
    return any(k.startswith('source_previous.') for k in state)


def convert_official_checkpoint(
        generator_state: StateDict,
        model: nn.Module,
        discriminator_state: Optional[StateDict] = None,
        temporal_discriminator_state: Optional[StateDict] = None) -> dict:
    """Maps official state dicts onto a :class:`GFLA` or
    :class:`GFLAAnimation` model's keys.

    Args:
        generator_state (dict): ``latest_net_G.pth`` contents.
        model (nn.Module): The model the result is for (built from the
            matching config); used to check keys and shapes.
        discriminator_state (dict, optional): ``latest_net_D.pth`` contents.
        temporal_discriminator_state (dict, optional): The animation
            model's ``latest_net_D_V.pth`` contents.

    Returns:
        dict: an mmengine checkpoint, ``{'meta': ..., 'state_dict': ...}``
        with ``generator.*`` (and ``discriminator.*``,
        ``temporal_discriminator.*``) entries, loadable with ``load_from``
        / ``tools/test.py``.
    """
    g_state = strip_data_parallel(generator_state)
    check_against(g_state, model.generator, 'generator')
    state = {f'generator.{k}': v for k, v in g_state.items()}
    for name, part in (('discriminator', discriminator_state),
                       ('temporal_discriminator',
                        temporal_discriminator_state)):
        if part is None:
            continue
        if getattr(model, name, None) is None:
            raise ValueError(f'a {name} checkpoint was given but the model '
                             f'has no {name}')
        part = strip_data_parallel(part)
        check_against(part, getattr(model, name), name)
        state.update({f'{name}.{k}': v for k, v in part.items()})
    return dict(
        meta=dict(converted_from='official GFLA'), state_dict=state)


__all__ = [
    'convert_official_checkpoint', 'strip_data_parallel', 'check_against',
    'is_market_generator', 'is_animation_generator'
]
