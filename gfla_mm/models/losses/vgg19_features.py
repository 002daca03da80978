# Copyright (c) OpenMMLab. All rights reserved.
"""One frozen VGG19 for all of GFLA's feature losses."""
from typing import Dict, Optional, Sequence

import torch
from mmengine.model import BaseModule
from torch import nn
from torchvision.models.vgg import cfgs, make_layers

from gfla_mm.registry import MODELS
from gfla_mm.utils.weights import load_weights

# torchvision's ImageNet VGG19 (what the official code used).
VGG19_URL = 'https://download.pytorch.org/models/vgg19-dcbb9e9d.pth'


def vgg19_layer_names() -> list:
    """Names of ``vgg19().features`` layers: conv1_1, relu1_1, ..., pool5."""
    names, block, index = [], 1, 1
    for entry in cfgs['E']:  # torchvision's VGG19 layout
        if entry == 'M':
            names.append(f'pool{block}')
            block, index = block + 1, 1
        else:
            names += [f'conv{block}_{index}', f'relu{block}_{index}']
            index += 1
    return names


@MODELS.register_module()
class GFLAVGG19Features(BaseModule):
    """VGG19 feature maps by layer name, frozen, as GFLA's losses use them.

    Images go in as they are, in [-1, 1], without ImageNet normalisation
    (the official convention). Only the layers up to the deepest requested
    one are kept.

    Args:
        layers (Sequence[str]): e.g. ``('relu1_1', 'relu4_1')``.
        pretrained (str, optional): torchvision's VGG19 weights: a URL
            (downloaded once into torch's hub cache) or a local ``.pth``
            path; None keeps random weights (tests). Loaded with
            ``weights_only=True``. Defaults to torchvision's URL.
    """

    def __init__(self,
                 layers: Sequence[str] = ('relu1_1', 'relu2_1', 'relu3_1',
                                          'relu4_1', 'relu5_1'),
                 pretrained: Optional[str] = VGG19_URL,
                 init_cfg=None) -> None:
        super().__init__(init_cfg=init_cfg)
        names = vgg19_layer_names()
        unknown = [n for n in layers if n not in names]
        if unknown:
            raise ValueError(f'unknown VGG19 layers {unknown}; known: '
                             f'{names}')
        self.layers = list(layers)
        self.pretrained = pretrained
        depth = max(names.index(n) for n in layers) + 1
        # Only the feature layers: building torchvision's whole vgg19()
        # would also initialise its 120M-parameter classifier.
        features = make_layers(cfgs['E'])[:depth]
        for m in features:
            if isinstance(m, nn.ReLU):
                m.inplace = False  # the returned maps must stay intact
        self.features = features
        self.names = names[:depth]
        self.requires_grad_(False)
        self.eval()

    def init_weights(self) -> None:
        if self.pretrained is None:
            return
        state = load_weights(self.pretrained, name='VGG19')
        state = {
            k[len('features.'):]: v
            for k, v in state.items() if k.startswith('features.')
        }
        own = self.features.state_dict()
        self.features.load_state_dict({k: state[k] for k in own})

    def train(self, mode: bool = True) -> 'GFLAVGG19Features':
        return super().train(False)  # always frozen, always eval

    def forward(self, x: torch.Tensor) -> Dict[str, torch.Tensor]:
        """(B, 3, H, W) in [-1, 1] -> {layer name: feature map}."""
        out = {}
        for name, layer in zip(self.names, self.features):
            x = layer(x)
            if name in self.layers:
                out[name] = x
        return out


__all__ = ['GFLAVGG19Features', 'VGG19_URL', 'vgg19_layer_names']
