# Copyright (c) OpenMMLab. All rights reserved.
"""Pure-PyTorch references of gfla_mm's compiled ops.

They are the test oracle of ``gfla_mm._ext`` and the "official-style chain"
the benchmarks compare against: like the official BlockExtractor they
materialise every k x k patch (a ``k**2``-times larger intermediate), which
is exactly what the compiled ops avoid. Autograd gives their gradients.

Conventions (shared with the compiled ops): flow in pixels of the tensor's
own grid, channel 0 = dx, channel 1 = dy; target pixel p samples the source
at p + flow(p); bilinear weights come from the unclamped fractional part
while neighbour indices are clamped to the image (border replicate), which
equals ``grid_sample(padding_mode='border', align_corners=True)``.
"""
import torch
import torch.nn.functional as F

__all__ = [
    'local_attention_gather_ref', 'block_extract_ref', 'gaussian_resample_ref',
    'local_attention_block_ref', 'tap_offsets', 'sample_taps'
]


def tap_offsets(kernel_size: int, device=None, dtype=None) -> torch.Tensor:
    """Offsets o_j of the k x k taps, j = iy * k + ix.

    Returns:
        Tensor: (k*k, 2) with columns (dx, dy) = (ix - k//2, iy - k//2).
    """
    r = torch.arange(
        kernel_size, device=device, dtype=dtype) - kernel_size // 2
    oy, ox = torch.meshgrid(r, r, indexing='ij')
    return torch.stack([ox.reshape(-1), oy.reshape(-1)], dim=1)


def sample_taps(source: torch.Tensor, flow: torch.Tensor,
                 kernel_size: int) -> torch.Tensor:
    """Bilinear samples of every tap: (B, C, k*k, H, W), tap j = iy * k + ix
    at p + flow(p) + (ix - k//2, iy - k//2); one ``grid_sample``."""
    b, c, h, w = source.shape
    k2 = kernel_size * kernel_size
    ys, xs = torch.meshgrid(
        torch.arange(h, device=flow.device, dtype=flow.dtype),
        torch.arange(w, device=flow.device, dtype=flow.dtype),
        indexing='ij')
    offsets = tap_offsets(kernel_size, flow.device, flow.dtype)
    # Absolute sample positions in pixels: (B, k*k, H, W) each.
    sx = xs + flow[:, 0:1] + offsets[:, 0].view(1, k2, 1, 1)
    sy = ys + flow[:, 1:2] + offsets[:, 1].view(1, k2, 1, 1)
    # align_corners=True: pixel i <-> -1 + 2 i / (size - 1).
    gx = sx * (2.0 / max(w - 1, 1)) - 1.0
    gy = sy * (2.0 / max(h - 1, 1)) - 1.0
    grid = torch.stack([gx, gy], dim=-1).view(b, k2 * h, w, 2)
    taps = F.grid_sample(
        source, grid, mode='bilinear', padding_mode='border',
        align_corners=True)
    return taps.view(b, c, k2, h, w)


def local_attention_gather_ref(source: torch.Tensor, flow: torch.Tensor,
                               attn: torch.Tensor,
                               kernel_size: int) -> torch.Tensor:
    """out[b,c,p] = sum_j attn[b,j,p] * bilinear(source[b,c], p+flow(p)+o_j).

    Args:
        source (Tensor): (B, C, H, W) features to sample.
        flow (Tensor): (B, 2, H, W) offsets in pixels, channel 0 = dx.
        attn (Tensor): (B, k*k, H, W) weights of the taps, j = iy * k + ix.
        kernel_size (int): k.

    Returns:
        Tensor: (B, C, H, W).
    """
    taps = sample_taps(source, flow, kernel_size)
    return (taps * attn.unsqueeze(1)).sum(dim=2)


def block_extract_ref(source: torch.Tensor, flow: torch.Tensor,
                      kernel_size: int) -> torch.Tensor:
    """The official BlockExtractor: k x k bilinear patches, tiled.

    Args:
        source (Tensor): (B, C, H, W).
        flow (Tensor): (B, 2, H, W) in pixels, channel 0 = dx.
        kernel_size (int): k.

    Returns:
        Tensor: (B, C, k*H, k*W); out[b, c, y*k+iy, x*k+ix] samples the
        source at (x + dx + ix - k//2, y + dy + iy - k//2).
    """
    b, c, h, w = source.shape
    k = kernel_size
    taps = sample_taps(source, flow, k).view(b, c, k, k, h, w)
    return taps.permute(0, 1, 4, 2, 5, 3).reshape(b, c, k * h, k * w)


def gaussian_resample_ref(source: torch.Tensor,
                          flow: torch.Tensor,
                          kernel_size: int = 4,
                          dilation: int = 1,
                          sigma: float = 2.0) -> torch.Tensor:
    """The official Resample2d: Gaussian-weighted sampling at p + flow(p).

    With f = floor(p + flow) and a = (p + flow) - f per axis, the taps are
    f - i*d (distance i*d + a) and f + (i+1)*d (distance (i+1)*d - a) for
    i in [0, K/2); indices are clamped to the image. The weight of a tap is
    exp(-(dx^2 + dy^2) / (2 sigma^2)); the output is the weighted mean.
    ``floor`` is used for negative coordinates as well (the official backward
    truncated with ``int()``, which is wrong there).

    Args:
        source (Tensor): (B, C, H, W).
        flow (Tensor): (B, 2, H, W) in pixels, channel 0 = dx.
        kernel_size (int): K, even. Defaults to 4.
        dilation (int): d. Defaults to 1.
        sigma (float): Gaussian sigma in pixels. Defaults to 2.0.

    Returns:
        Tensor: (B, C, H, W).
    """
    b, c, h, w = source.shape
    ys, xs = torch.meshgrid(
        torch.arange(h, device=flow.device, dtype=flow.dtype),
        torch.arange(w, device=flow.device, dtype=flow.dtype),
        indexing='ij')
    px = xs + flow[:, 0]
    py = ys + flow[:, 1]
    fx, fy = torch.floor(px), torch.floor(py)
    ax, ay = px - fx, py - fy

    def axis_taps(base, frac, size):
        taps = []
        for i in range(kernel_size // 2):
            taps.append(((base - i * dilation).clamp(0, size - 1),
                         i * dilation + frac))
            taps.append(((base + (i + 1) * dilation).clamp(0, size - 1),
                         (i + 1) * dilation - frac))
        return taps

    inv = 1.0 / (2.0 * sigma * sigma)
    flat = source.reshape(b, c, h * w)
    num = source.new_zeros(b, c, h * w)
    den = flow.new_zeros(b, h * w)
    for yi, dy in axis_taps(fy, ay, h):
        for xi, dx in axis_taps(fx, ax, w):
            weight = torch.exp(-(dx * dx + dy * dy) * inv).view(b, h * w)
            index = (yi * w + xi).long().view(b, 1, h * w).expand(b, c, -1)
            num = num + weight.unsqueeze(1) * flat.gather(2, index)
            den = den + weight
    return (num / den.unsqueeze(1)).view(b, c, h, w)


def local_attention_block_ref(source: torch.Tensor, target: torch.Tensor,
                              flow: torch.Tensor, kernel_net: torch.nn.Module,
                              kernel_size: int) -> torch.Tensor:
    """The official ExtractorAttn chain, op for op.

    BlockExtractor on source (at the flow) and target (zero flow), the
    kernel-prediction net on their concatenation (target first), softmax
    weights pixel-shuffled to the tile layout, multiplied with the source
    patches and average-pooled (hence the 1 / k**2 factor).

    Args:
        source (Tensor): (B, C, H, W).
        target (Tensor): (B, C, H, W).
        flow (Tensor): (B, 2, H, W) in pixels.
        kernel_net (nn.Module): (B, 2C, kH, kW) -> (B, k*k, H, W), e.g.
            ``LocalAttention.fully_connect_layer``.
        kernel_size (int): k.

    Returns:
        Tensor: (B, C, H, W).
    """
    k = kernel_size
    source_patches = block_extract_ref(source, flow, k)
    target_patches = block_extract_ref(target, torch.zeros_like(flow), k)
    attn = kernel_net(torch.cat([target_patches, source_patches], dim=1))
    weights = F.pixel_shuffle(attn, k)
    return F.avg_pool2d(weights * source_patches, k, stride=k)
