# Copyright (c) OpenMMLab. All rights reserved.
"""Loading frozen networks' weights (VGG19 for the losses, Inception, I3D
and LPIPS backbones for the metrics) from a path or a URL, hash-checked.

Nothing here runs at import time. A URL is fetched through ``torch.hub``
into ``$TORCH_HOME/hub/checkpoints`` only when a network is built with it;
a local path never touches the network.
"""
import hashlib
import os
import os.path as osp
import re
import warnings
from typing import Dict, Optional

import torch

__all__ = ['file_sha256', 'hash_prefix_from_name', 'load_weights']


def file_sha256(path: str, chunk: int = 1 << 20) -> str:
    """Hex sha256 of a file."""
    digest = hashlib.sha256()
    with open(path, 'rb') as f:
        for block in iter(lambda: f.read(chunk), b''):
            digest.update(block)
    return digest.hexdigest()


def hash_prefix_from_name(path: str) -> Optional[str]:
    """The sha256 prefix torchvision/torch.hub files carry in their names
    (``vgg19-dcbb9e9d.pth``), or None."""
    match = re.search(r'-([a-f0-9]{8,})\.[a-z]+$', osp.basename(path))
    return match.group(1) if match else None


def _is_url(path: str) -> bool:
    return path.startswith(('http://', 'https://'))


def load_weights(path_or_url: str,
                 sha256: Optional[str] = None,
                 name: str = 'weights') -> Dict[str, torch.Tensor]:
    """A state dict from a local file or a URL, hash-checked.

    Args:
        path_or_url (str): Local ``.pt``/``.pth`` file, or an http(s) URL
            (downloaded once into ``$TORCH_HOME/hub/checkpoints``).
        sha256 (str, optional): Expected hex sha256 (or a prefix of it, at
            least 8 characters) of the file. ``None`` takes the prefix in a
            torch.hub-style file name (``name-<hex>.pth``), else skips the
            check with a warning.
        name (str): What the weights are, for messages.

    Returns:
        dict: The state dict (a ``{'state_dict': ...}`` wrapper is opened).
    """
    if _is_url(path_or_url):
        hub_dir = osp.join(torch.hub.get_dir(), 'checkpoints')
        os.makedirs(hub_dir, exist_ok=True)
        path = osp.join(hub_dir, osp.basename(path_or_url.split('?')[0]))
        if not osp.isfile(path):
            torch.hub.download_url_to_file(path_or_url, path, progress=True)
    else:
        path = osp.expanduser(path_or_url)
        if not osp.isfile(path):
            raise FileNotFoundError(f'{name} not found: {path}')
    if sha256 is None:
        sha256 = hash_prefix_from_name(path)
    if sha256 is None:
        warnings.warn(f'{name}: no sha256 given, {path} is not verified')
    else:
        sha256 = sha256.lower()
        if len(sha256) < 8:
            raise ValueError(f'{name}: sha256 prefix too short: {sha256!r}')
        actual = file_sha256(path)
        if not actual.startswith(sha256):
            raise ValueError(f'{name}: sha256 of {path} is {actual}, '
                             f'expected {sha256}')
    state = torch.load(path, map_location='cpu', weights_only=True)
    if isinstance(state, dict) and isinstance(state.get('state_dict'), dict):
        state = state['state_dict']
    if not isinstance(state, dict):
        raise ValueError(f'{name}: {path} holds a {type(state).__name__}, '
                         'not a state dict')
    return state
