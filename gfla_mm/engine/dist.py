# Copyright (c) OpenMMLab. All rights reserved.
"""Distributed launch on machines without CUDA."""
import torch
import torch.distributed as dist
from mmengine.config import Config


def setup_cpu_distributed(cfg: Config) -> bool:
    """Makes ``--launcher pytorch`` work on a machine without CUDA.

    mmengine 0.10.7's pytorch launcher always calls
    ``torch.cuda.set_device`` and its DDP wrapper passes the local rank as
    ``device_ids``; both fail without CUDA. This starts a gloo process group
    (the Runner then skips its own initialisation) and sets
    ``model_wrapper_cfg.device_ids = None`` (CPU DDP). Call it before
    building the Runner; it does nothing with CUDA or without a launcher.

    Returns:
        bool: Whether it set anything up.
    """
    if (cfg.get('launcher', 'none') != 'pytorch' or torch.cuda.is_available()
            or not dist.is_available()):
        return False
    if not dist.is_initialized():
        dist.init_process_group(backend='gloo')
    wrapper = cfg.get('model_wrapper_cfg') or dict(
        type='MMDistributedDataParallel')
    wrapper['device_ids'] = None
    cfg.model_wrapper_cfg = wrapper
    return True


__all__ = ['setup_cpu_distributed']
