# Copyright (c) OpenMMLab. All rights reserved.
"""gfla_mm: GFLA pose-guided person image generation for mmagic.

Importing this package registers every gfla_mm component in mmagic's
registries (see :mod:`gfla_mm.registry`). It never downloads anything.
"""
from . import apis, datasets, engine, evaluation, models, ops, visualization
from .version import __version__, version_info

__all__ = [
    '__version__', 'version_info', 'apis', 'datasets', 'engine', 'evaluation',
    'models', 'ops', 'visualization'
]
