# Copyright (c) OpenMMLab. All rights reserved.
"""Runner-side pieces: checkpoint loading for torch >= 2.6 (importing this
package re-registers mmengine's local checkpoint loader, see
:mod:`gfla_mm.engine.checkpoint`), DDP and bfloat16 autocast on
CPU-only machines, and torch's random state in checkpoints (exact
``--resume``)."""
from .checkpoint import (
                         history_buffer_method,
                         load_from_local_weights_only,
                         load_weights_only,
                         runner_checkpoint_globals,
)
from .cpu_amp import CPUAmpOptimWrapper
from .dist import setup_cpu_distributed
from .rng_state import RNGStateHook

__all__ = [
    'history_buffer_method', 'load_from_local_weights_only',
    'load_weights_only', 'runner_checkpoint_globals', 'setup_cpu_distributed',
    'CPUAmpOptimWrapper', 'RNGStateHook'
]
