# Copyright (c) OpenMMLab. All rights reserved.
"""GFLA's losses (mmagic's ``MODELS``): sampling correctness, affine
regularisation, and perceptual/style losses over one shared VGG19."""
from .affine_regularization_loss import (
                                         AffineRegularizationLoss,
                                         affine_residual_kernel,
)
from .feature_losses import GFLAPerceptualLoss, GFLAStyleLoss, gram_matrix
from .flow_supervision_loss import FlowSupervisionLoss, downsample_flow
from .sampling_correctness_loss import (
                                         SamplingCorrectnessLoss,
                                         max_cosine_similarity,
)
from .vgg19_features import VGG19_URL, GFLAVGG19Features, vgg19_layer_names

__all__ = [
    'AffineRegularizationLoss', 'affine_residual_kernel',
    'FlowSupervisionLoss', 'downsample_flow',
    'GFLAPerceptualLoss', 'GFLAStyleLoss', 'gram_matrix',
    'SamplingCorrectnessLoss', 'max_cosine_similarity', 'GFLAVGG19Features',
    'VGG19_URL', 'vgg19_layer_names'
]
