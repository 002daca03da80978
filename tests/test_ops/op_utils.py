# Copyright (c) OpenMMLab. All rights reserved.
"""Input makers and error measure shared by the op tests."""
import torch


def make_flow(b, h, w, *, integer=False, spread=8, seed=0,
              dtype=torch.float64):
    """Flows reaching ``spread`` px outside the image. Fractional parts stay
    in [0.1, 0.9] so finite differences never cross a bilinear kink."""
    gen = torch.Generator().manual_seed(seed)
    whole = torch.randint(-spread, spread + 1, (b, 2, h, w), generator=gen)
    if integer:
        return whole.to(dtype)
    frac = 0.1 + 0.8 * torch.rand(b, 2, h, w, generator=gen,
                                  dtype=torch.float64)
    return (whole + frac).to(dtype)


def rand(*shape, seed=0, dtype=torch.float64):
    gen = torch.Generator().manual_seed(seed)
    return torch.randn(*shape, generator=gen, dtype=torch.float64).to(dtype)


def rel_err(a: torch.Tensor, b: torch.Tensor) -> float:
    return ((a - b).abs().max() / b.abs().max().clamp_min(1e-30)).item()
