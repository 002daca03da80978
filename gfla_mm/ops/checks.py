# Copyright (c) OpenMMLab. All rights reserved.
"""Argument validation shared by the ops: errors name the argument, its
shape/dtype/device and what was expected."""
import torch

MAX_KERNEL_SIZE = 15  # kMaxKernelSize in csrc/common/sampling_helpers.hpp
CPU_DTYPES = (torch.float32, torch.float64)
CUDA_DTYPES = (torch.float16, torch.bfloat16, torch.float32, torch.float64)


def check_tensor(name: str, tensor, ndim: int) -> None:
    if not isinstance(tensor, torch.Tensor):
        raise TypeError(f'{name} must be a torch.Tensor, got '
                        f'{type(tensor).__name__}')
    if tensor.dim() != ndim:
        raise ValueError(f'{name} must be {ndim}-D, got shape '
                         f'{tuple(tensor.shape)}')
    allowed = CUDA_DTYPES if tensor.is_cuda else CPU_DTYPES
    if tensor.dtype not in allowed:
        raise TypeError(f'{name} has dtype {tensor.dtype}; on '
                        f'{tensor.device.type} the ops take '
                        f'{[str(d) for d in allowed]}')


def check_kernel_size(kernel_size) -> None:
    if isinstance(kernel_size, bool) or not isinstance(kernel_size, int):
        raise TypeError(f'kernel_size must be an int, got {kernel_size!r}')
    if not 1 <= kernel_size <= MAX_KERNEL_SIZE:
        raise ValueError(f'kernel_size must be in [1, {MAX_KERNEL_SIZE}], '
                         f'got {kernel_size}')


def check_source_flow(source, flow) -> None:
    """source (B, C, H, W) and flow (B, 2, H, W) on one device and dtype."""
    check_tensor('source', source, 4)
    check_tensor('flow', flow, 4)
    if flow.shape[1] != 2:
        raise ValueError('flow must have 2 channels (dx, dy), got shape '
                         f'{tuple(flow.shape)}')
    check_same('flow', flow, 'source', source)


def check_same(name, tensor, ref_name, ref) -> None:
    """Same batch, spatial size, device and dtype as ``ref``."""
    if tensor.device != ref.device:
        raise ValueError(f'{name} is on {tensor.device} but {ref_name} is on '
                         f'{ref.device}')
    if tensor.dtype != ref.dtype:
        raise TypeError(f'{name} has dtype {tensor.dtype} but {ref_name} has '
                        f'{ref.dtype}')
    if (tensor.shape[0] != ref.shape[0]
            or tensor.shape[2:] != ref.shape[2:]):
        raise ValueError(
            f'{name} of shape {tuple(tensor.shape)} does not match '
            f'{ref_name} of shape {tuple(ref.shape)} in batch or spatial '
            'size')


__all__ = [
    'MAX_KERNEL_SIZE', 'check_tensor', 'check_kernel_size',
    'check_source_flow', 'check_same'
]
