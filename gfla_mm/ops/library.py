# Copyright (c) OpenMMLab. All rights reserved.
"""gfla_mm's compiled ops as torch custom ops (``torch.library``).

Registered as ``torch.ops.gfla_mm.<op>`` and ``<op>_backward``, each with a
fake (meta) implementation and registered autograd, so that
``torch.compile`` traces through them without graph breaks and
``torch.export`` captures models that use them. Needs
``torch.library.custom_op`` (torch >= 2.4); on older torch
:data:`CUSTOM_OPS` is False and the ops run through their
``torch.autograd.Function`` (eager only), with the same kernels.
"""
from typing import Callable, Sequence, Tuple

import torch

from ._backward import ext_backward

CUSTOM_OPS = hasattr(torch.library, 'custom_op')
NAMESPACE = 'gfla_mm'


def define(name: str, tensors: Sequence[str],
           params: Sequence[Tuple[str, str]], forward: Callable,
           out_shape: Callable, backward: Callable) -> Callable:
    """Registers ``gfla_mm::<name>`` and ``gfla_mm::<name>_backward``.

    Args:
        name (str): The op's name.
        tensors (Sequence[str]): Names of its tensor inputs, all
            differentiable.
        params (Sequence[tuple]): ``(schema type, name)`` of its other
            arguments, e.g. ``[('int', 'kernel_size')]``.
        forward (Callable): ``forward(*tensors, *params) -> Tensor``, the
            ``_ext`` call (contiguous inputs).
        out_shape (Callable): ``out_shape(*tensors, *params)``: the output's
            shape (its dtype and device are the first input's).
        backward (Callable): The ``_ext`` backward entry point, called
            through :func:`ext_backward`.

    Returns:
        Callable: The op, ``op(*tensors, *params) -> Tensor``.
    """
    n = len(tensors)
    args = [f'Tensor {i}' for i in tensors] + [f'{t} {p}' for t, p in params]
    op = torch.library.custom_op(
        f'{NAMESPACE}::{name}',
        lambda *a: forward(*(t.contiguous() for t in a[:n]), *a[n:]),
        mutates_args=(),
        schema=f'({", ".join(args)}) -> Tensor')
    op.register_fake(lambda *a: a[0].new_empty(out_shape(*a)))

    def backward_impl(grad_out, *rest):
        tensors = [t.contiguous() for t in rest[:n]]
        needs, extra = rest[n], rest[n + 1:]
        grads = ext_backward(backward, grad_out, tensors, needs, *extra)
        # Unwanted gradients are empty tensors (a custom op returns tensors).
        return tuple(t.new_empty(0) if g is None else g
                     for g, t in zip(grads, tensors))

    def backward_fake(grad_out, *rest):
        return tuple(
            torch.empty_like(t) if need else t.new_empty(0)
            for t, need in zip(rest[:n], rest[n]))

    outs = ', '.join(['Tensor'] * n)
    backward_op = torch.library.custom_op(
        f'{NAMESPACE}::{name}_backward',
        backward_impl,
        mutates_args=(),
        schema=f'({", ".join(["Tensor grad_out"] + args[:n])}, '
        f'bool[] needs{"".join(", " + a for a in args[n:])}) -> ({outs})')
    backward_op.register_fake(backward_fake)

    def setup_context(ctx, inputs, output):
        ctx.save_for_backward(*inputs[:n])
        ctx.params = inputs[n:]

    def autograd_backward(ctx, grad_out):
        needs = [bool(x) for x in ctx.needs_input_grad[:n]]
        grads = backward_op(grad_out.contiguous(), *ctx.saved_tensors, needs,
                            *ctx.params)
        return tuple(g if need else None
                     for g, need in zip(grads, needs)) + (None, ) * len(
                         params)

    op.register_autograd(autograd_backward, setup_context=setup_context)
    return op


__all__ = ['CUSTOM_OPS', 'NAMESPACE', 'define']
