# Copyright (c) OpenMMLab. All rights reserved.
"""torchvision's ImageNet Inception-v3 as the feature extractor of the GFLA
paper's FID (not the TF-FID weights; see :class:`PaperFID`)."""
from typing import Optional

import torch
import torch.nn.functional as F
from torch import Tensor, nn
from torchvision.models.inception import Inception3

from gfla_mm.utils.weights import load_weights

__all__ = [
    'TORCHVISION_INCEPTION_URL', 'TORCHVISION_INCEPTION_SHA256',
    'TorchvisionInceptionFeatures'
]

TORCHVISION_INCEPTION_URL = (
    'https://download.pytorch.org/models/inception_v3_google-0cc3c7bd.pth')
# torchvision names its files after the first hex digits of their sha256.
TORCHVISION_INCEPTION_SHA256 = '0cc3c7bd'


class TorchvisionInceptionFeatures(nn.Module):
    """2048-d pool3 features of torchvision's Inception-v3, as GFLA's FID.

    Args:
        weights (str, optional): Path or URL of torchvision's
            ``inception_v3`` ImageNet state dict. Defaults to
            :data:`TORCHVISION_INCEPTION_URL` (downloaded on first use).
        sha256 (str, optional): Expected sha256 (prefix) of the file.
            Defaults to the prefix in torchvision's file name.
        random_weights (bool): Random init instead (tests only). Defaults
            to False.
        input_size (int): Side images are resized to. Defaults to 299 (the
            protocol; smaller sizes, >= 75, only make tests fast).
    """

    def __init__(self,
                 weights: Optional[str] = TORCHVISION_INCEPTION_URL,
                 sha256: Optional[str] = TORCHVISION_INCEPTION_SHA256,
                 random_weights: bool = False,
                 input_size: int = 299) -> None:
        super().__init__()
        if input_size < 75:
            raise ValueError(f'Inception-v3 needs input_size >= 75, got '
                             f'{input_size}')
        self.input_size = input_size
        # transform_input=False: the official feeds [-1, 1] straight to the
        # convolutions, skipping torchvision's ImageNet re-normalisation.
        self.net = Inception3(
            aux_logits=True, transform_input=False, init_weights=False)
        if random_weights:
            # PyTorch's default init makes the features vanish (~1e-8)
            # through the eval-mode BNs; He init keeps them O(1).
            for m in self.net.modules():
                if isinstance(m, nn.Conv2d):
                    nn.init.kaiming_normal_(m.weight, nonlinearity='relu')
        else:
            if weights is None:
                raise ValueError('Inception weights needed (or '
                                 'random_weights=True for tests)')
            self.net.load_state_dict(
                load_weights(weights, sha256, 'Inception-v3'))
        self.net.fc = nn.Identity()
        self.net.AuxLogits = None
        self.eval().requires_grad_(False)

    def train(self, mode: bool = True) -> 'TorchvisionInceptionFeatures':
        return super().train(False)  # always frozen, BN in eval mode

    @torch.no_grad()
    def forward(self, x: Tensor) -> Tensor:
        """Features of RGB images.

        Args:
            x (Tensor): (N, 3, H, W) RGB in [-1, 1], any size.

        Returns:
            Tensor: (N, 2048) float32.
        """
        if x.ndim != 4 or x.shape[1] != 3:
            raise ValueError(f'expected (N, 3, H, W), got {tuple(x.shape)}')
        device = next(self.parameters()).device
        x = F.interpolate(
            x.float().to(device), (self.input_size, self.input_size),
            mode='bilinear',
            align_corners=False)
        return self.net(x)
