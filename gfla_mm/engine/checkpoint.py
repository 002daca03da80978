# Copyright (c) OpenMMLab. All rights reserved.
"""Checkpoint loading that works with torch >= 2.6's ``weights_only`` default.

mmengine 0.10.7 calls ``torch.load(filename)`` and its Runner checkpoints
hold a ``HistoryBuffer`` (message hub), numpy arrays, dtypes and scalars, and
``getattr(HistoryBuffer, 'mean')``-style references to its statistics
methods, which torch's weights-only unpickler refuses, so ``--resume`` and
``load_from`` fail. Instead of ``TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD`` (full
unpickling of any file, process-wide), gfla_mm replaces mmengine's *local*
checkpoint loader by one that stays ``weights_only=True`` and allows exactly
the types mmengine writes, only for the duration of that load. ``getattr``
itself is never allowed: the name resolves to :func:`history_buffer_method`,
which hands out nothing but HistoryBuffer's own statistics methods.

Weights that are not Runner checkpoints are loaded with ``weights_only=True``
and no extra allowed types: the official checkpoints in
``tools/model_converters/gfla_official_to_mm.py`` by :func:`load_weights_only`,
the frozen networks (VGG19, the metrics' backbones; a path or a URL,
hash-checked) by :func:`gfla_mm.utils.weights.load_weights`.
"""
import os.path as osp
import pickle
from typing import Any, Callable, List, Optional, Union

import numpy as np
import torch
from mmengine.logging.history_buffer import HistoryBuffer
from mmengine.runner.checkpoint import CheckpointLoader

MapLocation = Optional[Union[str, torch.device, Callable]]


def history_buffer_method(owner: Any, name: str) -> Callable:
    """What ``getattr`` may do inside a Runner checkpoint, and nothing more.

    ``HistoryBuffer.__getstate__`` pickles its statistics methods as
    ``getattr(HistoryBuffer, 'min')`` (pickle protocol 2 has no nested
    names) and ``__setstate__`` registers them on the class, so a free
    ``getattr`` would let a crafted file plant any reachable callable there.

    Raises:
        pickle.UnpicklingError: for any other owner or attribute.
    """
    method = getattr(HistoryBuffer, name, None) if (
        owner is HistoryBuffer and isinstance(name, str)
        and not name.startswith('_')) else None
    if not (callable(method) and getattr(method, '__qualname__', '')
            == f'HistoryBuffer.{name}'):
        raise pickle.UnpicklingError(
            f'checkpoint asks for getattr({owner!r}, {name!r}); only '
            'methods of mmengine HistoryBuffer are allowed')
    return method


def runner_checkpoint_globals() -> List[Any]:
    """The globals found in mmengine Runner checkpoints, for
    :func:`torch.serialization.safe_globals`.

    ``message_hub`` stores ``HistoryBuffer`` objects whose histories are numpy
    arrays; logged scalars are numpy scalars. None of these can run code.
    """
    dtype_classes = {type(np.dtype(code)) for code in np.typecodes['All']}
    return [
        HistoryBuffer,
        (history_buffer_method, 'builtins.getattr'),
        np.ndarray,
        np.dtype,
        np.core.multiarray._reconstruct,
        np.core.multiarray.scalar,
        *sorted(dtype_classes, key=lambda cls: cls.__name__),
    ]


@CheckpointLoader.register_scheme(prefixes='', force=True)
def load_from_local_weights_only(filename: str,
                                 map_location: MapLocation = None) -> Any:
    """mmengine's local-file checkpoint loader, weights-only.

    Registered for the empty prefix, i.e. every local path given to
    ``load_checkpoint``, ``Runner.resume`` and ``load_from``.

    Args:
        filename (str): Local checkpoint path (``~`` is expanded).
        map_location (str | torch.device | callable, optional): Same as
            :func:`torch.load`.

    Returns:
        dict: The checkpoint.
    """
    filename = osp.expanduser(filename)
    if not osp.isfile(filename):
        raise FileNotFoundError(f'checkpoint {filename} can not be found.')
    with torch.serialization.safe_globals(runner_checkpoint_globals()):
        return torch.load(
            filename, map_location=map_location, weights_only=True)


def load_weights_only(filename: str, map_location: MapLocation = 'cpu') -> Any:
    """Load downloaded weights (a local file) with no extra allowed types.

    Args:
        filename (str): Path of a ``.pth``/``.pt`` file of tensors.
        map_location (str | torch.device | callable, optional): Same as
            :func:`torch.load`. Defaults to ``'cpu'``.

    Returns:
        The unpickled object (usually a state dict).
    """
    filename = osp.expanduser(filename)
    if not osp.isfile(filename):
        raise FileNotFoundError(f'weights file {filename} can not be found.')
    try:
        return torch.load(
            filename, map_location=map_location, weights_only=True)
    except Exception as exc:  # pickle.UnpicklingError and friends
        raise RuntimeError(
            f'{filename} is not a plain weights file (it needs more than '
            'tensors to unpickle), refusing to load it') from exc


__all__ = [
    'history_buffer_method', 'load_from_local_weights_only',
    'load_weights_only', 'runner_checkpoint_globals'
]
