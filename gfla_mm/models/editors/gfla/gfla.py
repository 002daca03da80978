# Copyright (c) OpenMMLab. All rights reserved.
"""The GFLA pose-transfer model: generator + discriminator trained with
L1, LSGAN, perceptual, style, sampling-correctness and affine-regularisation
losses (paper §III-C; the official ``pose_model``)."""
from typing import Dict, List, Optional, Tuple

import torch
from mmagic.models.base_models import BaseEditModel
from mmagic.models.utils import set_requires_grad
from mmagic.structures import DataSample
from mmengine.logging import print_log
from mmengine.optim import OptimWrapperDict

from gfla_mm.registry import MODELS

from .flow_checkpoint import load_flow_estimator
from .predictions import pack_predictions
from .shared_vgg_losses import SharedVGGLossesMixin
from .training_steps import check_finite, discriminator_step

INPUT_KEYS = ('source', 'source_heatmap', 'target_heatmap')


def unpack_pose_inputs(inputs: dict) -> Tuple[torch.Tensor, ...]:
    """(source, source_heatmap, target_heatmap) from the packed inputs."""
    if not isinstance(inputs, dict):
        raise TypeError('GFLA models take a dict of inputs with keys '
                        f'{INPUT_KEYS} (PackInputs(keys=...)), got '
                        f'{type(inputs).__name__}')
    missing = [k for k in INPUT_KEYS if k not in inputs]
    if missing:
        raise KeyError(f'inputs lack {missing}; got keys {sorted(inputs)}. '
                       "Pack them with PackInputs(keys=['source', "
                       "'source_heatmap', 'target_heatmap'])")
    return tuple(inputs[k] for k in INPUT_KEYS)


@MODELS.register_module()
class GFLA(SharedVGGLossesMixin, BaseEditModel):
    """GFLA for pose-guided person image generation.

    Base: mmagic's :class:`BaseEditModel` (the SRGAN family), not
    ``BaseGAN``: GFLA is a paired, conditional, noise-free translation
    model, and this family keeps mmengine's ``tensor``/``predict`` modes, the
    ``generator``/``discriminator`` optimiser keys and the predictions
    (``output.pred_img``, ``gt_img``) that mmagic's metrics and
    ``ConcatImageVisualizer`` read. ``train_step`` is GFLA's own: one
    generator forward, the discriminator step on the detached image, then
    the generator step with the discriminator frozen (the official order).

    Inputs (``PackInputs``): ``source`` (B, 3, H, W) image,
    ``source_heatmap``/``target_heatmap`` (B, 18, H, W) pose maps; data
    sample field ``target`` (B, 3, H, W) image. With mmagic's
    ``DataPreprocessor`` (mean = std = 127.5) images are in [-1, 1].

    Args:
        generator (dict): :class:`GFLAGenerator` or
            :class:`GFLABaselineGenerator` config.
        discriminator (dict, optional): :class:`GFLADiscriminator`; None
            trains without the adversarial loss.
        pixel_loss (dict, optional): Defaults to mmagic's ``L1Loss`` with
            weight 5 (lambda_rec).
        gan_loss (dict, optional): mmagic ``GANLoss(gan_type='lsgan')``; its
            ``loss_weight`` (2, lambda_g) applies to the generator only.
        perceptual_loss, style_loss, correctness_loss, regularization_loss
            (dict, optional): :class:`GFLAPerceptualLoss` (0.5),
            :class:`GFLAStyleLoss` (500), :class:`SamplingCorrectnessLoss`
            (5), :class:`AffineRegularizationLoss` (0.0025); None leaves a
            loss out (e.g. the Local-Attn ablation).
        flow_supervision_loss (dict, optional):
            :class:`FlowSupervisionLoss` against the data sample field
            ``gt_flow``; not in the paper (the offline synthetic demo's
            stand-in for a pretrained VGG19). Defaults to None.
        vgg (dict, optional): :class:`GFLAVGG19Features` config
            (``pretrained``: URL, local path or None; defaults to
            torchvision's URL); its layers are set from the losses.
        disc_loss_weight (float): Weight of each of the real/fake
            discriminator terms. Defaults to 0.5 (official).
        flow_init (str, optional): Stage-1 checkpoint (or its work dir)
            whose flow estimator seeds ``generator.flow_net`` when training
            starts (:meth:`init_weights`); a missing file is an error.
        train_cfg, test_cfg, init_cfg, data_preprocessor: as in mmagic.
    """

    def __init__(self,
                 generator: dict,
                 discriminator: Optional[dict] = None,
                 pixel_loss: Optional[dict] = None,
                 gan_loss: Optional[dict] = None,
                 perceptual_loss: Optional[dict] = None,
                 style_loss: Optional[dict] = None,
                 correctness_loss: Optional[dict] = None,
                 regularization_loss: Optional[dict] = None,
                 flow_supervision_loss: Optional[dict] = None,
                 vgg: Optional[dict] = None,
                 disc_loss_weight: float = 0.5,
                 flow_init: Optional[str] = None,
                 train_cfg: Optional[dict] = None,
                 test_cfg: Optional[dict] = None,
                 init_cfg: Optional[dict] = None,
                 data_preprocessor: Optional[dict] = None) -> None:
        super().__init__(
            generator=generator,
            pixel_loss=pixel_loss or dict(type='L1Loss', loss_weight=5.0),
            train_cfg=train_cfg,
            test_cfg=test_cfg,
            init_cfg=init_cfg,
            data_preprocessor=data_preprocessor)
        self.discriminator = (
            MODELS.build(discriminator) if discriminator else None)
        self.gan_loss = MODELS.build(gan_loss) if gan_loss else None
        if (self.discriminator is None) != (self.gan_loss is None):
            raise ValueError('discriminator and gan_loss go together: got '
                             f'discriminator={discriminator}, '
                             f'gan_loss={gan_loss}')
        self.disc_loss_weight = disc_loss_weight
        self.flow_init = flow_init
        flow_net = getattr(self.generator, 'flow_net', None)
        self._build_feature_losses(
            vgg, perceptual_loss, style_loss, correctness_loss,
            regularization_loss, flow_supervision_loss,
            flow_levels=getattr(flow_net, 'attn_layers', ()))

    def init_weights(self) -> None:
        """Every part's own ``init_weights`` (mmengine's ``BaseModule``
        walks the children: the networks' official init, the VGG19
        weights), then the stage-1 flow estimator if ``flow_init`` is
        set."""
        super().init_weights()
        if self.flow_init:
            flow_net = getattr(self.generator, 'flow_net', None)
            if flow_net is None:
                raise ValueError('model.flow_init is set but the generator '
                                 f'{type(self.generator).__name__} has no '
                                 'flow estimator')
            path = load_flow_estimator(flow_net, self.flow_init)
            print_log(f'flow estimator initialised from {path}', 'current')

    # --------------------------------------------------------------- forward
    def forward(self,
                inputs: dict,
                data_samples: Optional[DataSample] = None,
                mode: str = 'tensor'):
        """``tensor``: (image, flows, masks) of the generator;
        ``predict``: a list of :class:`DataSample` (see
        :meth:`forward_inference`). Training goes through
        :meth:`train_step`."""
        if mode == 'tensor':
            return self.generator(*unpack_pose_inputs(inputs))
        if mode == 'predict':
            return self.forward_inference(inputs, data_samples)
        raise ValueError(f'GFLA.forward supports modes "tensor" and '
                         f'"predict" (training uses train_step), got {mode}')

    def forward_inference(self,
                          inputs: dict,
                          data_samples: Optional[DataSample] = None
                          ) -> List[DataSample]:
        """Generates target images and what the visualiser draws.

        Returns:
            list[DataSample]: per sample, ``gt_img`` (the target, when
            given), ``source_img``, ``source_pose_img``, ``target_pose_img``
            and ``output`` with ``pred_img``, ``flows``/``masks`` (lists,
            coarse to fine, flows in pixels of their grid) and
            ``flow_img_<i>``/``mask_img_<i>`` upsampled to the image. Images
            are (3, H, W) BGR floats in [0, 255] (mmagic's convention).
        """
        source, source_pose, target_pose = unpack_pose_inputs(inputs)
        fake, flows, masks = self.generator(source, source_pose, target_pose)
        return pack_predictions(self.data_preprocessor.destruct, fake, flows,
                                masks, source, source_pose, target_pose,
                                data_samples)

    # ------------------------------------------------------------- training
    def train_step(self, data: dict,
                   optim_wrapper: OptimWrapperDict) -> Dict[str, torch.Tensor]:
        """One GFLA iteration: G forward, D step (fake detached), G step."""
        data = self.data_preprocessor(data, True)
        source, source_pose, target_pose = unpack_pose_inputs(data['inputs'])
        target = data['data_samples'].target
        gt_flow = data['data_samples'].get('gt_flow')
        g_optim = optim_wrapper['generator']
        with g_optim.optim_context(self):
            fake, flows, _ = self.generator(source, source_pose, target_pose)
        log_vars = {}
        if self.discriminator is not None:
            log_vars.update(
                self._d_step(optim_wrapper['discriminator'], fake.detach(),
                             target))
            set_requires_grad(self.discriminator, False)
        try:
            with g_optim.optim_context(self):
                losses = self._g_losses(fake, flows, source, target,
                                        gt_flow)
            check_finite(losses, 'generator')
            g_loss, g_log = self.parse_losses(losses)
            g_optim.update_params(g_loss)
        finally:
            if self.discriminator is not None:
                set_requires_grad(self.discriminator, True)
        g_log.pop('loss')
        log_vars.update(g_log)
        return log_vars

    def _d_step(self, d_optim, fake: torch.Tensor,
                real: torch.Tensor) -> Dict[str, torch.Tensor]:
        return discriminator_step(d_optim, self.discriminator, self.gan_loss,
                                  self.parse_losses, fake, real,
                                  self.disc_loss_weight)

    def _g_losses(self,
                  fake: torch.Tensor,
                  flows: List[torch.Tensor],
                  source: torch.Tensor,
                  target: torch.Tensor,
                  gt_flow: Optional[torch.Tensor] = None
                  ) -> Dict[str, torch.Tensor]:
        losses = dict(loss_l1=self.pixel_loss(fake, target))
        source_feats, target_feats = (
            self._reference_features(source, target) or (None, None))
        losses.update(self._image_feature_losses(fake, target_feats))
        losses.update(
            self._flow_losses(flows, source_feats, target_feats, gt_flow))
        if self.discriminator is not None:
            losses['loss_gan'] = self.gan_loss(
                self.discriminator(fake), True, is_disc=False)
        return losses


__all__ = ['GFLA', 'unpack_pose_inputs']
