# Copyright (c) OpenMMLab. All rights reserved.
"""Optional dependencies, imported where they are used, with an error that
says how to install them.

mmpose is optional: only pose extraction from images and
``PoseToHeatmap(method='mmpose')`` need it. Its package declares chumpy
(SMPL only), which cannot be built, so it is installed without its
declared dependencies, and the packages it really imports come from the
``pose`` extra.
"""
import importlib
from types import ModuleType

# The mmpose release gfla_mm is tested with (requirements/constraints.txt).
MMPOSE_VERSION = '1.3.2'
MMPOSE_INSTALL = ('pip install "gfla_mm[pose]" && pip install --no-deps '
                  f'mmpose=={MMPOSE_VERSION}  (from a clone: pip install -r '
                  'requirements/pose.txt && pip install --no-deps -r '
                  'requirements/mmpose.txt)')


def import_mmpose(module: str = 'mmpose', feature: str = 'this') -> ModuleType:
    """Imports ``module`` (``mmpose`` or one of its submodules).

    Args:
        module (str): e.g. ``'mmpose.apis'``.
        feature (str): What needs it, for the error message.

    Raises:
        ImportError: mmpose (or a package it imports) is missing; the
            message names ``feature`` and the install command.
    """
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise ImportError(
            f'{feature} needs mmpose, which cannot be imported ({exc}). '
            f'Install it with: {MMPOSE_INSTALL}') from exc


__all__ = ['MMPOSE_VERSION', 'MMPOSE_INSTALL', 'import_mmpose']
