# Copyright (c) OpenMMLab. All rights reserved.
"""Where a target region takes its source features from: the attention
coefficients of GFLA's local attention splatted onto the source grid (the
heat maps of paper Fig. 7)."""
from typing import List, Sequence, Tuple

import torch
import torch.nn.functional as F
from torch import nn

from gfla_mm.models.layers import LocalAttention
from gfla_mm.ops import local_attention_gather


def attention_heatmap(attn: torch.Tensor, flow: torch.Tensor,
                      query_mask: torch.Tensor) -> torch.Tensor:
    """Sums, over the query pixels p, the attention A_j(p) of every tap j
    at the source position it samples, p + flow(p) + o_j (bilinear).

    This is the adjoint of the gather, computed as its source gradient, so
    the taps land exactly where the op reads them (border cells included).

    Args:
        attn (Tensor): (B, k*k, H, W) attention coefficients.
        flow (Tensor): (B, 2, H, W) in pixels, channel 0 = dx.
        query_mask (Tensor): (B, 1, H, W) or (H, W) query weights (1 inside
            the region of interest).

    Returns:
        Tensor: (B, 1, H, W) heat on the source grid; its sum is the
        query mask's sum (the coefficients of a pixel sum to 1).
    """
    k = int(round(attn.shape[1]**0.5))
    if k * k != attn.shape[1]:
        raise ValueError('attn must have k*k channels, got shape '
                         f'{tuple(attn.shape)}')
    b, _, h, w = attn.shape
    mask = query_mask.to(attn).expand(b, 1, h, w)
    attn, flow = attn.detach().float(), flow.detach().float()
    canvas = attn.new_zeros(b, 1, h, w, requires_grad=True)
    with torch.enable_grad():
        out = local_attention_gather(canvas, flow, attn, k)
        (heat, ) = torch.autograd.grad(out, canvas, mask.float())
    return heat


@torch.no_grad()
def collect_local_attention(generator: nn.Module, *inputs: torch.Tensor
                            ) -> List[Tuple[torch.Tensor, torch.Tensor]]:
    """Runs ``generator(*inputs)`` and returns, for each
    :class:`LocalAttention` block in call order (coarse to fine), its
    (B, k*k, h, w) attention coefficients and (B, 2, h, w) flow."""
    found = []

    def hook(module, args, output):
        source, target, flow = args
        found.append((module.attention_weights(source, target, flow), flow))

    handles = [
        m.register_forward_hook(hook) for m in generator.modules()
        if isinstance(m, LocalAttention)
    ]
    if not handles:
        raise ValueError(f'{type(generator).__name__} has no LocalAttention '
                         'block')
    try:
        generator(*inputs)
    finally:
        for handle in handles:
            handle.remove()
    return found


def attention_maps(generator: nn.Module, source: torch.Tensor,
                   source_pose: torch.Tensor, target_pose: torch.Tensor,
                   box: Sequence[int]) -> List[torch.Tensor]:
    """Paper Fig. 7: for a box of target pixels, where each local-attention
    block reads the source, as heat maps at the image size.

    Args:
        generator (nn.Module): A :class:`GFLAGenerator`.
        source (Tensor): (B, 3, H, W) in [-1, 1].
        source_pose, target_pose (Tensor): (B, 18, H, W).
        box (Sequence[int]): (x0, y0, x1, y1) in image pixels, x1/y1
            exclusive.

    Returns:
        list[Tensor]: (B, 1, H, W) per block, coarse to fine, each
        normalised to a maximum of 1 (nearest-upsampled from its grid).
    """
    x0, y0, x1, y1 = (int(v) for v in box)
    h, w = source.shape[2:]
    if not (0 <= x0 < x1 <= w and 0 <= y0 < y1 <= h):
        raise ValueError(f'box {tuple(box)} must lie in the {w}x{h} image '
                         'with x0 < x1, y0 < y1')
    maps = []
    for attn, flow in collect_local_attention(generator, source, source_pose,
                                              target_pose):
        gh, gw = attn.shape[2:]
        sy, sx = gh / h, gw / w
        mask = attn.new_zeros(gh, gw)
        # The grid cells the box covers (at least one).
        r0, c0 = int(y0 * sy), int(x0 * sx)
        r1 = max(r0 + 1, int(-(-y1 * sy // 1)))
        c1 = max(c0 + 1, int(-(-x1 * sx // 1)))
        mask[r0:r1, c0:c1] = 1
        heat = attention_heatmap(attn, flow, mask)
        heat = heat / heat.flatten(1).amax(1).clamp_min(1e-12).view(-1, 1, 1,
                                                                     1)
        maps.append(F.interpolate(heat, size=(h, w), mode='nearest'))
    return maps


__all__ = ['attention_heatmap', 'collect_local_attention', 'attention_maps']
