# Copyright (c) OpenMMLab. All rights reserved.
"""Model names of gfla_mm's metafiles (``mim search gfla_mm``) to their
configs and weights, read from the installed package's ``.mim`` folder or,
in a source checkout, from the repository."""
import os.path as osp
from typing import Iterator, Optional, Tuple

from mmengine.config import Config
from mmengine.fileio import load


def model_index_root() -> str:
    """The folder holding ``model-index.yml`` and ``configs/``."""
    pkg = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
    root = osp.join(pkg, '.mim')  # installed; else the source checkout
    if not osp.isfile(osp.join(root, 'model-index.yml')):
        root = osp.dirname(pkg)
    return root


def iter_models(root: str) -> Iterator[dict]:
    """Every ``Models`` entry of the metafiles ``model-index.yml`` imports."""
    index = load(osp.join(root, 'model-index.yml'))
    for metafile in index.get('Import', []):
        yield from load(osp.join(root, metafile)).get('Models', [])


def find_model(name: str) -> Tuple[Config, Optional[str]]:
    """The config and published weights (None where there are none) of a
    model ``Name`` or ``Alias`` (case-insensitive).

    Raises:
        ValueError: no such model; the message lists the names.
    """
    root = model_index_root()
    names = []
    for entry in iter_models(root):
        names.append(entry['Name'])
        aliases = entry.get('Alias') or []
        aliases = [aliases] if isinstance(aliases, str) else aliases
        if name.lower() in [n.lower() for n in [entry['Name'], *aliases]]:
            weights = entry.get('Weights')
            if isinstance(weights, list):
                weights = weights[0]
            return Config.fromfile(osp.join(root, entry['Config'])), weights
    raise ValueError(f'{name!r} is neither a config file nor a gfla_mm '
                     f'model name ({", ".join(names)})')


__all__ = ['find_model', 'iter_models', 'model_index_root']
