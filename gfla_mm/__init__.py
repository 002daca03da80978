# Copyright (c) OpenMMLab. All rights reserved.
"""gfla_mm: GFLA pose-guided person image generation for mmagic.

Importing this package registers every gfla_mm component in mmagic's
registries (see :mod:`gfla_mm.registry`). It never downloads anything.

The layers (docs/architecture.md), lowest first: ``ops`` and ``utils``
(torch only) -> ``models`` -> ``datasets`` / ``evaluation`` /
``visualization`` -> ``apis``. Where the mm* stack is not installed, only
the torch-only layers are imported, so that ``import gfla_mm.ops`` works
with torch alone; the other layers then fail on first use, naming what is
missing. ``utils``, ``apis`` and ``visualization`` register nothing and
are imported on first access.
"""
import importlib
import importlib.util
from typing import Optional

from . import ops
from .version import __version__, version_info

# What the registering layers need; mmdet and mmpose are optional.
STACK = ('mmengine', 'mmcv', 'mmagic')
_REGISTERING = ('models', 'datasets', 'evaluation', 'engine', 'visualization')
_LAZY = ('utils', 'apis')


def missing_stack() -> Optional[str]:
    """The first package of :data:`STACK` that cannot be imported, or
    None. Only looks the packages up; imports nothing."""
    for name in STACK:
        try:
            if importlib.util.find_spec(name) is None:
                return name
        except ValueError:  # sys.modules[name] is None: import blocked
            return name
    return None


_MISSING = missing_stack()
if _MISSING is None:
    # Importing these fills mmagic's registries (custom_imports=['gfla_mm']).
    from . import datasets, engine, evaluation, models, visualization  # noqa: F401,E402


def __getattr__(name: str):
    if name in _LAZY or (name in _REGISTERING and _MISSING is None):
        return importlib.import_module(f'.{name}', __name__)
    if name in _REGISTERING:
        raise ImportError(
            f'gfla_mm.{name} needs {_MISSING}, which is not installed; only '
            'gfla_mm.ops and gfla_mm.utils work without the mm* stack '
            '(install: README.md, "Install into your own environment")')
    raise AttributeError(f'module {__name__!r} has no attribute {name!r}')


__all__ = [
    '__version__', 'version_info', 'missing_stack', 'ops', 'utils', 'models',
    'datasets', 'evaluation', 'engine', 'apis', 'visualization'
]
