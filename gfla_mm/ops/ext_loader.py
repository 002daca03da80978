# Copyright (c) OpenMMLab. All rights reserved.
"""Loads ``gfla_mm._ext`` (the compiled ops) and picks the op backend.

The compiled extension is the default. The pure-PyTorch references of
:mod:`gfla_mm.ops.reference` are used when asked for explicitly, by the
``backend='reference'`` argument of an op or ``GFLA_MM_OPS_BACKEND=reference``,
and during an ONNX export (:mod:`gfla_mm.ops.export`), which the compiled ops
have no form for.
"""
import importlib
import os
from types import ModuleType
from typing import Optional

from .export import is_exporting

BACKENDS = ('ext', 'reference')
ENV_VAR = 'GFLA_MM_OPS_BACKEND'
BUILD_HINT = (
    'gfla_mm._ext is not built. Build it with `make env` (or '
    '`pip install --no-build-isolation -e .` in the checkout; add '
    'FORCE_CUDA=1 for the CUDA kernels), or choose the pure-PyTorch '
    'reference explicitly: backend="reference" / '
    f'{ENV_VAR}=reference.')

_ext: Optional[ModuleType] = None


def load_ext() -> ModuleType:
    """The compiled ``gfla_mm._ext`` module, imported once.

    Raises:
        ImportError: if it is not built, with how to build it.
    """
    global _ext
    if _ext is None:
        try:
            _ext = importlib.import_module('gfla_mm._ext')
        except ImportError as exc:
            raise ImportError(f'{BUILD_HINT} ({exc})') from exc
    return _ext


def resolve_backend(backend: Optional[str]) -> str:
    """``backend`` if given, else ``$GFLA_MM_OPS_BACKEND``, else ``'ext'``;
    ``'reference'`` in export mode (:func:`gfla_mm.ops.export_mode`, ONNX
    export), where the compiled ops cannot be exported."""
    chosen = backend if backend is not None else os.getenv(ENV_VAR, 'ext')
    if chosen not in BACKENDS:
        source = 'backend' if backend is not None else ENV_VAR
        raise ValueError(f'{source} must be one of {BACKENDS}, got '
                         f'{chosen!r}')
    return 'reference' if is_exporting() else chosen


def ext_has_cuda() -> bool:
    """Whether the compiled extension contains the CUDA kernels."""
    return bool(load_ext().with_cuda())


__all__ = [
    'BACKENDS', 'ENV_VAR', 'load_ext', 'resolve_backend', 'ext_has_cuda'
]
