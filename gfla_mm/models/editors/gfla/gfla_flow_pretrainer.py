# Copyright (c) OpenMMLab. All rights reserved.
"""Stage 1 of GFLA training: the flow estimator alone, trained with the
sampling-correctness and affine-regularisation losses (the official
``poseflownet`` model)."""
from typing import Dict, List, Optional, Union

import torch
import torch.nn.functional as F
from mmagic.structures import DataSample
from mmengine.model import BaseModel

from gfla_mm.registry import MODELS

from ...layers import bilinear_warp
from .gfla import unpack_pose_inputs
from .predictions import pack_predictions
from .shared_vgg_losses import SharedVGGLossesMixin
from .training_steps import check_finite


def warp_with_flow(image: torch.Tensor, flow: torch.Tensor) -> torch.Tensor:
    """Bilinearly samples ``image`` at p + flow(p), the flow upsampled to
    the image grid (values scaled with it).

    Args:
        image (Tensor): (B, C, H, W).
        flow (Tensor): (B, 2, h, w) in pixels of its own grid, channel 0=dx.

    Returns:
        Tensor: (B, C, H, W).
    """
    h, w = flow.shape[2:]
    size = image.shape[2:]
    scale = flow.new_tensor([size[1] / w, size[0] / h]).view(1, 2, 1, 1)
    flow = F.interpolate(flow, size=size, mode='bilinear',
                         align_corners=False) * scale
    return bilinear_warp(image, flow)


@MODELS.register_module()
class GFLAFlowPretrainer(SharedVGGLossesMixin, BaseModel):
    """Pre-trains :class:`GFLAFlowEstimator` (paper §III-A) before the
    end-to-end stage.

    A plain mmengine model (one optimiser, stock ``train_step``): loss =
    lambda_c * L_c + lambda_r * L_r, defaults 20 and 0.01. Its checkpoint
    keys start with ``flow_net.``, as the official stage-1 checkpoints, so
    :class:`GFLA` (``flow_init``) reads both.

    Args:
        flow_net (dict): :class:`GFLAFlowEstimator` config.
        correctness_loss (dict, optional): :class:`SamplingCorrectnessLoss`
            (weight 20 in stage 1).
        regularization_loss (dict, optional):
            :class:`AffineRegularizationLoss` (weight 0.01 in stage 1).
        flow_supervision_loss (dict, optional):
            :class:`FlowSupervisionLoss` against the data sample field
            ``gt_flow`` (the offline synthetic demo). Defaults to None.
        vgg (dict, optional): :class:`GFLAVGG19Features` config; defaults
            to torchvision's weights URL.
        data_preprocessor (dict, optional): mmagic ``DataPreprocessor``
            (``data_keys='target'``, heatmaps as ``non_image_keys``).
    """

    def __init__(self,
                 flow_net: dict,
                 correctness_loss: Optional[dict] = None,
                 regularization_loss: Optional[dict] = None,
                 flow_supervision_loss: Optional[dict] = None,
                 vgg: Optional[dict] = None,
                 data_preprocessor: Optional[dict] = None,
                 init_cfg: Optional[dict] = None) -> None:
        super().__init__(
            data_preprocessor=data_preprocessor, init_cfg=init_cfg)
        self.flow_net = MODELS.build(flow_net)
        self._build_feature_losses(
            vgg,
            correctness_loss=correctness_loss,
            regularization_loss=regularization_loss,
            flow_supervision_loss=flow_supervision_loss,
            flow_levels=self.flow_net.attn_layers)
        if correctness_loss is None and flow_supervision_loss is None:
            raise ValueError('GFLAFlowPretrainer needs correctness_loss or '
                             'flow_supervision_loss: nothing would train '
                             'the flows')

    def forward(self,
                inputs: dict,
                data_samples: Optional[DataSample] = None,
                mode: str = 'tensor'
                ) -> Union[Dict[str, torch.Tensor], List[DataSample], tuple]:
        """``loss``: the stage-1 losses; ``predict``: DataSamples whose
        ``output.pred_img`` is the source warped by the finest flow (see
        :meth:`GFLA.forward_inference` for the other fields); ``tensor``:
        (flows, masks)."""
        source, source_pose, target_pose = unpack_pose_inputs(inputs)
        flows, masks = self.flow_net(source, source_pose, target_pose)
        if mode == 'tensor':
            return flows, masks
        if mode == 'loss':
            if data_samples is None or 'target' not in data_samples:
                raise KeyError('training needs the target image as data '
                               "sample field 'target' (PackInputs "
                               "data_keys=['target'])")
            feats = self._reference_features(source, data_samples.target)
            losses = self._flow_losses(flows, *(feats or (None, None)),
                                       data_samples.get('gt_flow'))
            check_finite(losses, 'flow estimator')
            return losses
        if mode == 'predict':
            return pack_predictions(self.data_preprocessor.destruct,
                                    warp_with_flow(source, flows[-1]), flows,
                                    masks, source, source_pose, target_pose,
                                    data_samples)
        raise ValueError(f'unknown mode {mode!r}')


__all__ = ['GFLAFlowPretrainer', 'warp_with_flow']
