# Copyright (c) OpenMMLab. All rights reserved.
"""Inception-I3D (Carreira & Zisserman, CVPR 2017), the video feature network
of FVD and of GFLA's FID-Video and AED (paper §V-A, Tables IV and V).

Parameter names follow the common PyTorch port (``Conv3d_1a_7x7.conv3d``,
``Mixed_3b.b1b.bn``, ``logits.conv3d``, ...), so the TF-Hub
``i3d-kinetics-400`` conversion of VideoGPT/TATS (``i3d_pretrained_400.pt``)
loads as is. Convolutions and max-pools pad as TensorFlow's ``'SAME'``.
"""
from typing import Dict, Optional, Sequence, Tuple

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from gfla_mm.utils.weights import load_weights

__all__ = ['I3D_KINETICS400_URL', 'InceptionI3d', 'build_i3d']

# TF-Hub deepmind/i3d-kinetics-400/1 converted by TATS (FVD-standard
# weights). No sha256 is published: pin the one of your copy.
I3D_KINETICS400_URL = ('https://github.com/songweige/TATS/raw/main/tats/fvd/'
                       'i3d_pretrained_400.pt')

# (b0, b1a, b1b, b2a, b2b, b3b) output channels of each Inception block.
_BLOCKS = {
    'Mixed_3b': (192, (64, 96, 128, 16, 32, 32)),
    'Mixed_3c': (256, (128, 128, 192, 32, 96, 64)),
    'Mixed_4b': (480, (192, 96, 208, 16, 48, 64)),
    'Mixed_4c': (512, (160, 112, 224, 24, 64, 64)),
    'Mixed_4d': (512, (128, 128, 256, 24, 64, 64)),
    'Mixed_4e': (512, (112, 144, 288, 32, 64, 64)),
    'Mixed_4f': (528, (256, 160, 320, 32, 128, 128)),
    'Mixed_5b': (832, (256, 160, 320, 32, 128, 128)),
    'Mixed_5c': (832, (384, 192, 384, 48, 128, 128)),
}
# Smallest input: temporal stride 8 and spatial stride 32 before the
# (2, 7, 7) average pool.
MIN_FRAMES = 9
MIN_SIZE = 193


def _same_pad(sizes: Sequence[int], kernel: Sequence[int],
              stride: Sequence[int]) -> Tuple[int, ...]:
    """``F.pad`` amounts reproducing TF 'SAME' padding (extra at the end)."""
    pad = []
    for n, k, s in zip(sizes, kernel, stride):
        total = max(k - (s if n % s == 0 else n % s), 0)
        pad.append((total // 2, total - total // 2))
    return tuple(v for before_after in reversed(pad) for v in before_after)


class _Unit3D(nn.Module):
    """'SAME' Conv3d, then (optionally) BatchNorm and ReLU."""

    def __init__(self,
                 in_channels: int,
                 out_channels: int,
                 kernel: Sequence[int] = (1, 1, 1),
                 stride: Sequence[int] = (1, 1, 1),
                 norm_act: bool = True) -> None:
        super().__init__()
        self.kernel, self.stride = tuple(kernel), tuple(stride)
        self.norm_act = norm_act
        self.conv3d = nn.Conv3d(
            in_channels, out_channels, self.kernel, self.stride,
            bias=not norm_act)
        # TF defaults: epsilon 1e-3; BN has no learnt scale in the TF model
        # (the converted weight is all ones).
        self.bn = nn.BatchNorm3d(
            out_channels, eps=1e-3, momentum=0.01) if norm_act else None

    def forward(self, x: Tensor) -> Tensor:
        x = self.conv3d(
            F.pad(x, _same_pad(x.shape[2:], self.kernel, self.stride)))
        if self.norm_act:
            x = F.relu(self.bn(x))
        return x


class _MaxPoolSame(nn.Module):
    """Max-pool with TF 'SAME' padding. Inputs follow a ReLU (>= 0), so
    zero padding never wins the max, as TF's implicit -inf padding."""

    def __init__(self, kernel: Sequence[int], stride: Sequence[int]) -> None:
        super().__init__()
        self.kernel, self.stride = tuple(kernel), tuple(stride)

    def forward(self, x: Tensor) -> Tensor:
        x = F.pad(x, _same_pad(x.shape[2:], self.kernel, self.stride))
        return F.max_pool3d(x, self.kernel, self.stride)


class _InceptionBlock(nn.Module):
    """Four branches: 1x1; 1x1 -> 3x3; 1x1 -> 3x3; 3x3 max-pool -> 1x1."""

    def __init__(self, in_channels: int, widths: Sequence[int]) -> None:
        super().__init__()
        c0, c1a, c1b, c2a, c2b, c3b = widths
        self.b0 = _Unit3D(in_channels, c0)
        self.b1a = _Unit3D(in_channels, c1a)
        self.b1b = _Unit3D(c1a, c1b, (3, 3, 3))
        self.b2a = _Unit3D(in_channels, c2a)
        self.b2b = _Unit3D(c2a, c2b, (3, 3, 3))
        self.b3a = _MaxPoolSame((3, 3, 3), (1, 1, 1))
        self.b3b = _Unit3D(in_channels, c3b)
        self.out_channels = c0 + c1b + c2b + c3b

    def forward(self, x: Tensor) -> Tensor:
        return torch.cat([
            self.b0(x),
            self.b1b(self.b1a(x)),
            self.b2b(self.b2a(x)),
            self.b3b(self.b3a(x))
        ], 1)


class InceptionI3d(nn.Module):
    """Inception-I3D up to its class logits.

    Args:
        num_classes (int): Logits. Defaults to 400 (Kinetics-400).
    """

    def __init__(self, num_classes: int = 400) -> None:
        super().__init__()
        self.num_classes = num_classes
        self.Conv3d_1a_7x7 = _Unit3D(3, 64, (7, 7, 7), (2, 2, 2))
        self.MaxPool3d_2a_3x3 = _MaxPoolSame((1, 3, 3), (1, 2, 2))
        self.Conv3d_2b_1x1 = _Unit3D(64, 64)
        self.Conv3d_2c_3x3 = _Unit3D(64, 192, (3, 3, 3))
        self.MaxPool3d_3a_3x3 = _MaxPoolSame((1, 3, 3), (1, 2, 2))
        self.MaxPool3d_4a_3x3 = _MaxPoolSame((3, 3, 3), (2, 2, 2))
        self.MaxPool3d_5a_2x2 = _MaxPoolSame((2, 2, 2), (2, 2, 2))
        for name, (in_channels, widths) in _BLOCKS.items():
            self.add_module(name, _InceptionBlock(in_channels, widths))
        self.logits = _Unit3D(1024, num_classes, norm_act=False)

    def _trunk(self, x: Tensor) -> Tensor:
        order = ('Conv3d_1a_7x7', 'MaxPool3d_2a_3x3', 'Conv3d_2b_1x1',
                 'Conv3d_2c_3x3', 'MaxPool3d_3a_3x3', 'Mixed_3b', 'Mixed_3c',
                 'MaxPool3d_4a_3x3', 'Mixed_4b', 'Mixed_4c', 'Mixed_4d',
                 'Mixed_4e', 'Mixed_4f', 'MaxPool3d_5a_2x2', 'Mixed_5b',
                 'Mixed_5c')
        for name in order:
            x = getattr(self, name)(x)
        # TF's (2, 7, 7) VALID average pool, stride 1.
        return F.avg_pool3d(x, (2, 7, 7), stride=1)

    def forward(self, x: Tensor, feature: str = 'logits') -> Tensor:
        """Clip features, averaged over the remaining time steps.

        Args:
            x (Tensor): (N, 3, T, H, W) RGB in [-1, 1], T >= 9 and
                H, W >= 193 (FVD feeds T = 16, 224x224).
            feature (str): ``'logits'`` (N, num_classes), the FVD embedding,
                or ``'pool'`` (N, 1024), the average-pooled features.

        Returns:
            Tensor: (N, D) features.
        """
        if x.ndim != 5 or x.shape[1] != 3:
            raise ValueError('I3D expects (N, 3, T, H, W) clips, got '
                             f'{tuple(x.shape)}')
        t, h, w = x.shape[2:]
        if t < MIN_FRAMES or min(h, w) < MIN_SIZE:
            raise ValueError(
                f'I3D needs clips of at least {MIN_FRAMES} frames of '
                f'{MIN_SIZE}x{MIN_SIZE}, got T={t}, {h}x{w} '
                f'(input {tuple(x.shape)})')
        if feature not in ('logits', 'pool'):
            raise ValueError(f"feature must be 'logits' or 'pool', got "
                             f'{feature!r}')
        pooled = self._trunk(x)
        if feature == 'pool':
            return pooled.mean(dim=(2, 3, 4))
        # Dropout is identity at test time; logits per time step, averaged.
        return self.logits(pooled).mean(dim=(2, 3, 4))


def _check_keys(model: nn.Module, state: Dict[str, Tensor],
                source: str) -> None:
    expected = {
        k
        for k in model.state_dict() if not k.endswith('num_batches_tracked')
    }
    missing = sorted(expected - set(state))
    unexpected = sorted(k for k in set(state) - set(model.state_dict()))
    if missing or unexpected:
        raise ValueError(f'{source} is not an Inception-I3D state dict: '
                         f'missing {missing[:5]} ({len(missing)}), '
                         f'unexpected {unexpected[:5]} ({len(unexpected)})')


def build_i3d(weights: Optional[str] = I3D_KINETICS400_URL,
              sha256: Optional[str] = None,
              random_weights: bool = False,
              num_classes: int = 400) -> InceptionI3d:
    """A frozen :class:`InceptionI3d` in eval mode.

    Args:
        weights (str, optional): Path or URL of the state dict. Defaults to
            :data:`I3D_KINETICS400_URL` (downloaded on first use, into
            ``$TORCH_HOME/hub/checkpoints``).
        sha256 (str, optional): Expected sha256 (prefix) of the file; None
            warns that it is unchecked.
        random_weights (bool): Random init (tests only). Defaults to False.
        num_classes (int): Defaults to 400.

    Returns:
        InceptionI3d: The network.
    """
    model = InceptionI3d(num_classes)
    if not random_weights:
        if weights is None:
            raise ValueError('I3D weights needed (or random_weights=True for '
                             'tests)')
        state = load_weights(weights, sha256, 'I3D')
        _check_keys(model, state, weights)
        model.load_state_dict(state, strict=False)
    else:
        # He init keeps random features O(1) through the eval-mode BNs
        # (PyTorch's default init makes them vanish).
        for m in model.modules():
            if isinstance(m, nn.Conv3d):
                nn.init.kaiming_normal_(m.weight, nonlinearity='relu')
    model.eval()
    model.requires_grad_(False)
    return model
