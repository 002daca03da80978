# Copyright (c) OpenMMLab. All rights reserved.
"""Export mode: the ops as standard torch operators, for ONNX.

The compiled ops have no ONNX form. While exporting, every op runs its
pure-PyTorch reference (:mod:`gfla_mm.ops.reference`: ``grid_sample`` with
border padding and ``align_corners=True``, which ONNX has as ``GridSample``
from opset 16; sums, products, reshapes), whatever backend was asked for,
and :func:`gfla_mm.ops.local_attention` builds the source patches for the
whole batch at once (its per-sample chunk loop would fix the batch size in
the graph). Outside export nothing changes: the compiled op stays the
PyTorch path.

Export mode is on inside :func:`export_mode` and, automatically, while
``torch.onnx.export`` runs (``torch.onnx.is_in_onnx_export()``, both the
dynamo and the TorchScript exporter). Use :func:`export_mode` around
``torch.export.export`` when the ONNX conversion of the exported program
comes later.
"""
from contextlib import contextmanager
from typing import Iterator

import torch

_depth = 0


@contextmanager
def export_mode() -> Iterator[None]:
    """Runs the ops as standard torch operators inside the block.

    Example::

        >>> with gfla_mm.ops.export_mode():
        ...     program = torch.export.export(generator, args)
    """
    global _depth
    _depth += 1
    try:
        yield
    finally:
        _depth -= 1


def is_exporting() -> bool:
    """Whether the ops run in export mode (see the module docstring)."""
    return _depth > 0 or torch.onnx.is_in_onnx_export()


__all__ = ['export_mode', 'is_exporting']
