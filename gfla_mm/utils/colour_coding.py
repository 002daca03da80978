# Copyright (c) OpenMMLab. All rights reserved.
"""Flow fields and pose maps as colour images (sample grids, figures).

A leaf module (torch only): models draw their predictions with it and
the visualisation layer re-exports it."""
import math
from typing import Optional

import torch


def hsv_to_rgb(h: torch.Tensor, s: torch.Tensor,
               v: torch.Tensor) -> torch.Tensor:
    """HSV in [0, 1] (tensors of one shape S) -> (3, *S) RGB in [0, 1]."""
    i = torch.floor(h * 6) % 6
    f = h * 6 - torch.floor(h * 6)
    p, q, t = v * (1 - s), v * (1 - f * s), v * (1 - (1 - f) * s)
    choices = [(v, t, p), (q, v, p), (p, v, t), (p, q, v), (t, p, v),
               (v, p, q)]
    rgb = torch.zeros(3, *h.shape, dtype=h.dtype, device=h.device)
    for idx, channels in enumerate(choices):
        sel = i == idx
        for c in range(3):
            rgb[c] = torch.where(sel, channels[c], rgb[c])
    return rgb


def flow_to_color(flow: torch.Tensor,
                  max_magnitude: Optional[float] = None) -> torch.Tensor:
    """Colour-codes a flow field: hue = direction, saturation = length.

    Zero flow is white; +x is red, +y (down) yellow-green, -x cyan.

    Args:
        flow (Tensor): (B, 2, H, W) or (2, H, W) in pixels, channel 0 = dx.
        max_magnitude (float, optional): Length drawn fully saturated;
            defaults to the largest length in each field.

    Returns:
        Tensor: (B, 3, H, W) or (3, H, W) RGB in [0, 255], float32.
    """
    if flow.dim() not in (3, 4) or flow.shape[-3] != 2:
        raise ValueError('flow must be (B, 2, H, W) or (2, H, W), got shape '
                         f'{tuple(flow.shape)}')
    flow = flow.detach().float()
    dx, dy = flow[..., 0, :, :], flow[..., 1, :, :]
    mag = torch.sqrt(dx * dx + dy * dy)
    if max_magnitude is None:
        scale = mag.flatten(-2).amax(-1)[..., None, None].clamp_min(1e-6)
    else:
        scale = torch.full_like(mag, float(max_magnitude))
    hue = (torch.atan2(dy, dx) / (2 * math.pi)) % 1.0
    sat = (mag / scale).clamp(0, 1)
    rgb = hsv_to_rgb(hue, sat, torch.ones_like(hue))
    return rgb.movedim(0, -3) * 255


def pose_to_color(heatmap: torch.Tensor) -> torch.Tensor:
    """Draws K pose maps in K hues on black (per pixel the strongest joint).

    Args:
        heatmap (Tensor): (B, K, H, W) or (K, H, W), values in [0, 1].

    Returns:
        Tensor: (B, 3, H, W) or (3, H, W) RGB in [0, 255], float32.
    """
    if heatmap.dim() not in (3, 4):
        raise ValueError('heatmap must be (B, K, H, W) or (K, H, W), got '
                         f'shape {tuple(heatmap.shape)}')
    heat = heatmap.detach().float().clamp(0, 1)
    k = heat.shape[-3]
    hues = torch.arange(k, dtype=heat.dtype, device=heat.device) / max(k, 1)
    palette = hsv_to_rgb(hues, torch.ones_like(hues),
                         torch.ones_like(hues))  # (3, K)
    # (..., K, H, W) x (3, K) -> (..., 3, K, H, W), then the max over K.
    colored = heat.unsqueeze(-4) * palette[..., None, None]
    return colored.amax(dim=-3) * 255


__all__ = ['flow_to_color', 'pose_to_color', 'hsv_to_rgb']
