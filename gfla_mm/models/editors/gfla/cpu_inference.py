# Copyright (c) OpenMMLab. All rights reserved.
"""A faster inference form of the GFLA generators on the CPU.

:func:`optimize_for_inference` rewrites a generator in place so that it
computes the same images (up to float rounding) in less time
(``benchmarks/cpu_inference/``: DeepFashion 256x256, batch 1, on the 2-core
CI machine). What it changes, each a regrouping of the same arithmetic:

* local attention: each pixel's k x k flowed source taps are sampled once,
  pixel-major (:func:`gfla_mm.ops.sample_taps_nhwc`); the kernel-prediction
  net's stride-k convolution over the tiled patches becomes one GEMM of
  those rows, its 1x1 convolution another, and the softmax-weighted sum of
  the same taps is the output
  (:func:`gfla_mm.ops.local_attention_shared_taps`). oneDNN runs the
  stride-k convolution several times slower than the same FLOPs as a GEMM;
* up-sampling blocks (:class:`ResBlockDecoder`): the main branch's and the
  shortcut's transposed convolutions, summed, become one over the
  concatenated inputs with the weights stacked;
* the LeakyReLU right after each instance norm runs in place;
* ``channels_last`` (the default of the inferencer): the parameters and so
  the activations take that layout, which oneDNN convolves without
  reordering, and the instance norms normalise in it instead of copying to
  NCHW (:class:`LayoutInstanceNorm2d`).

The modules keep their parameters, names and state-dict keys (each is
re-classed to a subclass that only overrides ``forward``), so a checkpoint
loads into, and saves from, an optimised generator unchanged.
"""
from typing import Dict

import torch
import torch.nn.functional as F
from torch import nn

from gfla_mm.ops import is_exporting, local_attention_shared_taps

from ...layers import LocalAttention
from .gfla_modules import ResBlockDecoder

MARK = '_gfla_optimized_for_inference'


class FastLocalAttention(LocalAttention):
    """:class:`LocalAttention` computed by
    :func:`gfla_mm.ops.local_attention_shared_taps`, ``patch_chunk``
    samples at a time, without activation checkpoint (under autograd it
    keeps the k*k source taps alive; meant for inference)."""

    def forward(self, source: torch.Tensor, target: torch.Tensor,
                flow: torch.Tensor) -> torch.Tensor:
        args = self._op_args(source, target, flow)
        # _op_args: (source, target, flow, weights..., kernel_size,
        # patch_chunk, slope, backend).
        params, chunk = args[3:8] + args[9:], self.patch_chunk
        if not chunk or source.shape[0] <= chunk or is_exporting():
            out = local_attention_shared_taps(source, target, flow,
                                              *params)
        else:
            # patch_chunk samples at a time: the taps of a sample are
            # k*k times its features (DeepFashion, k = 5: 52 MB).
            out = torch.cat([
                local_attention_shared_taps(*(t[i:i + chunk]
                                              for t in (source, target,
                                                        flow)), *params)
                for i in range(0, source.shape[0], chunk)
            ])
        if self.tap_reduction == 'sum':
            out = out * self.kernel_size**2
        return out


class FusedResBlockDecoder(ResBlockDecoder):
    """:class:`ResBlockDecoder` with its two transposed convolutions run
    as one: ``convT(h, W1) + convT(x, W2) = convT([h, x], [W1; W2])``."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        hidden = self.model[:-1](x)
        main, short = self.model[-1], self.shortcut[0]
        weight = torch.cat([main.weight, short.weight], dim=0)
        bias = main.bias + short.bias
        return F.conv_transpose2d(
            torch.cat([hidden, x], dim=1), weight, bias, main.stride,
            main.padding, main.output_padding, main.groups, main.dilation)


class LayoutInstanceNorm2d(nn.InstanceNorm2d):
    """:class:`nn.InstanceNorm2d` (affine, no running statistics) that
    normalises in the input's memory layout: torch's instance norm copies a
    ``channels_last`` input to NCHW first. One sample is a batch norm with
    batch statistics (torch's batch norm has a ``channels_last`` kernel);
    more samples are normalised with ``var_mean`` over (H, W)."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if x.dim() == 4 and x.shape[0] == 1:
            return F.batch_norm(x, None, None, self.weight, self.bias, True,
                                0.0, self.eps)
        var, mean = torch.var_mean(x, dim=(2, 3), keepdim=True,
                                   correction=0)
        scale = torch.rsqrt(var + self.eps)
        if self.weight is not None:
            scale = scale * self.weight.view(1, -1, 1, 1)
        shift = -mean * scale
        if self.bias is not None:
            shift = shift + self.bias.view(1, -1, 1, 1)
        return torch.addcmul(shift, x, scale)


# Exact class -> the subclass that replaces it.
_REPLACEMENTS: Dict[type, type] = {
    LocalAttention: FastLocalAttention,
    ResBlockDecoder: FusedResBlockDecoder,
}


def optimize_for_inference(generator: nn.Module,
                           channels_last: bool = False) -> nn.Module:
    """Rewrites a GFLA generator, in place, for faster inference.

    Every :class:`LocalAttention` and :class:`ResBlockDecoder` (exactly
    those classes, not subclasses) is re-classed to
    :class:`FastLocalAttention` / :class:`FusedResBlockDecoder`; with
    ``channels_last`` the parameters move to that layout and the instance
    norms (affine, no running statistics) become
    :class:`LayoutInstanceNorm2d`. Parameters, buffers and state-dict keys
    do not change, and the outputs equal the original module's up to float
    rounding (``tests/test_models/test_editors/test_gfla/
    test_cpu_inference.py``). Gradients still flow, but the local attention
    no longer checkpoints its patches: train an unmodified generator.

    Args:
        generator (nn.Module): e.g. a :class:`GFLAGenerator`; any module
            built from these blocks works.
        channels_last (bool): Also convert to ``channels_last``.
            Defaults to False.

    Returns:
        nn.Module: ``generator`` itself.
    """
    for module in generator.modules():
        new_class = _REPLACEMENTS.get(type(module))
        if new_class is not None:
            module.__class__ = new_class
        elif (channels_last and type(module) is nn.InstanceNorm2d
              and not module.track_running_stats):
            module.__class__ = LayoutInstanceNorm2d
    for module in generator.modules():
        if isinstance(module, nn.Sequential):
            # The activation right after a norm can overwrite the norm's
            # fresh output (saves an allocation and a pass over memory).
            for norm, act in zip(module, list(module)[1:]):
                if (isinstance(norm, nn.InstanceNorm2d)
                        and type(act) is nn.LeakyReLU):
                    act.inplace = True
    if channels_last:
        generator.to(memory_format=torch.channels_last)
    setattr(generator, MARK, True)
    return generator


def is_optimized_for_inference(generator: nn.Module) -> bool:
    """Whether :func:`optimize_for_inference` rewrote ``generator``."""
    return bool(getattr(generator, MARK, False))


__all__ = [
    'optimize_for_inference', 'is_optimized_for_inference',
    'FastLocalAttention', 'FusedResBlockDecoder', 'LayoutInstanceNorm2d'
]
