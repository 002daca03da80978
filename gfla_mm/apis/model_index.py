# Copyright (c) OpenMMLab. All rights reserved.
"""Model names and aliases of OpenMMLab metafiles (what ``mim search``
lists) to their configs and weights: gfla_mm's own (``gfla_deepfashion``)
and mmpose's (``human``), read from an installed package's ``.mim`` folder
or, for gfla_mm in a source checkout, from the repository."""
import os.path as osp
from typing import Iterator, Optional, Tuple

from mmengine.fileio import load


def model_index_root(package: str = 'gfla_mm') -> str:
    """The folder holding ``package``'s ``model-index.yml`` and configs."""
    if package == 'gfla_mm':
        pkg = osp.dirname(osp.dirname(osp.abspath(__file__)))
    else:
        from mmengine.utils import get_installed_path
        pkg = get_installed_path(package)
    root = osp.join(pkg, '.mim')  # installed
    if package == 'gfla_mm' and not osp.isfile(
            osp.join(root, 'model-index.yml')):
        root = osp.dirname(pkg)  # a source checkout
    return root


def iter_models(root: str) -> Iterator[dict]:
    """Every ``Models`` entry of the metafiles ``model-index.yml`` imports."""
    index = load(osp.join(root, 'model-index.yml'))
    for metafile in index.get('Import', []):
        yield from load(osp.join(root, metafile)).get('Models', [])


def find_model(name: str,
               package: str = 'gfla_mm') -> Tuple[str, Optional[str]]:
    """The config file and the published weights (None where there are
    none) of a model ``Name`` or ``Alias`` (case-insensitive).

    Args:
        name (str): e.g. ``'gfla_deepfashion'`` or, with
            ``package='mmpose'``, ``'human'``.
        package (str): Whose metafiles to search. Defaults to gfla_mm.

    Raises:
        ValueError: no such model; the message lists the names.
    """
    root = model_index_root(package)
    names = []
    for entry in iter_models(root):
        names.append(entry['Name'])
        aliases = entry.get('Alias') or []
        aliases = [aliases] if isinstance(aliases, str) else aliases
        if name.lower() in [n.lower() for n in [entry['Name'], *aliases]]:
            weights = entry.get('Weights')
            if isinstance(weights, list):
                weights = weights[0]
            return osp.join(root, entry['Config']), weights
    shown = ', '.join(names[:12]) + (', ...' if len(names) > 12 else '')
    raise ValueError(f'{name!r} is neither a config file nor a {package} '
                     f'model name ({shown})')


__all__ = ['find_model', 'iter_models', 'model_index_root']
