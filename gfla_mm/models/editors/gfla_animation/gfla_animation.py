# Copyright (c) OpenMMLab. All rights reserved.
"""The GFLA person-animation model: the sequential generator, a spatial and
a temporal discriminator, trained on clips in chunks with truncated
back-propagation through time (paper §IV-B; the official ``dance_model``)."""
from typing import Callable, Dict, List, Optional

import torch
from mmagic.models.base_models import BaseEditModel
from mmagic.models.utils import set_requires_grad
from mmagic.structures import DataSample
from mmengine.optim import OptimWrapperDict

from gfla_mm.registry import MODELS

from ..gfla.shared_vgg_losses import SharedVGGLossesMixin
from ..gfla.training_steps import check_finite, discriminator_step
from .animation_generator import AnimationOutput

INPUT_KEYS = ('ref_img', 'ref_skeleton', 'skeletons')


def unpack_clip_inputs(inputs: dict) -> tuple:
    """(ref_img, ref_skeleton, skeletons) from the packed clip inputs."""
    if not isinstance(inputs, dict):
        raise TypeError('GFLAAnimation takes a dict of inputs with keys '
                        f'{INPUT_KEYS} (PackClipInputs), got '
                        f'{type(inputs).__name__}')
    missing = [k for k in INPUT_KEYS if k not in inputs]
    if missing:
        raise KeyError(f'inputs lack {missing}; got keys {sorted(inputs)} '
                       '(pack clips with PackClipInputs)')
    return tuple(inputs[k] for k in INPUT_KEYS)


def pack_videos(destruct: Callable, ref: torch.Tensor, fake: torch.Tensor,
                data_samples: Optional[DataSample]) -> List[DataSample]:
    """One DataSample per generated video.

    Args:
        destruct (callable): The data preprocessor's ``destruct``.
        ref (Tensor): (B, 3, H, W) normalised reference images.
        fake (Tensor): (B, T, 3, H, W) generated frames, normalised.
        data_samples (DataSample, optional): The stacked batch samples.

    Returns:
        list[DataSample]: per video, ``gt_img`` (T, 3, H, W) when given,
        ``ref_img`` (3, H, W) and ``output.pred_img`` (T, 3, H, W), BGR
        floats in [0, 255], cut to the clip's ``num_valid`` frames (the
        padding of the last chunk removed).
    """
    if data_samples is None:
        samples = [DataSample() for _ in range(fake.shape[0])]
    else:
        samples = data_samples.split(allow_nonseq_value=True)
    for b, sample in enumerate(samples):
        valid = int(sample.metainfo.get('num_valid', fake.shape[1]))
        sample.set_data(
            dict(ref_img=destruct(ref[b], sample, 'ref_img').cpu()))
        sample.output = DataSample(
            pred_img=destruct(fake[b, :valid], sample, 'ref_img').cpu())
        if 'gt_img' in sample:
            # The preprocessor leaves data keys in [0, 255] BGR at test.
            sample.gt_img = sample.gt_img[:valid].cpu()
    return samples


def flatten_frames(x: torch.Tensor) -> torch.Tensor:
    """(B, T, ...) -> (B * T, ...), frames of one sample consecutive."""
    return x.reshape(-1, *x.shape[2:])


@MODELS.register_module()
class GFLAAnimation(SharedVGGLossesMixin, BaseEditModel):
    """GFLA for pose-guided person image animation.

    One ``train_step`` is one clip of T frames (T a multiple of
    ``train_cfg['chunk_size']``, official 30 and 6). The clip is generated
    ``chunk_size`` frames at a time, recurrently (the first frame uses the
    reference as its previous frame); after each chunk the discriminators
    and then the generator take one optimiser step, and the last generated
    frame is **detached** before it seeds the next chunk (truncated BPTT, as
    the official): one iteration makes T / chunk_size updates of each
    network.

    Generator losses per chunk, summed over its frames (official): L1,
    perceptual, style, sampling correctness of both branches (the reference
    branch against the reference image, the previous-frame branch against
    the *ground-truth* previous frame), affine regularisation of both, the
    spatial LSGAN on one random frame and the temporal LSGAN on a random
    window of ``temporal_discriminator.num_frames`` frames (eq. 21-22). With
    ``correctness_mask=True`` the correctness losses weight target pixels by
    the data sample's ``gt_mask`` (iPER, with ``loss_weight=2``).

    Inputs (:class:`~gfla_mm.datasets.transforms.PackClipInputs`):
    ``ref_img`` (B, 3, H, W), ``ref_skeleton`` (B, 20, H, W),
    ``skeletons`` (B, T, 20, H, W); data sample ``gt_img`` (B, T, 3, H, W)
    (normalised to [-1, 1] in training by the preprocessor), optional
    ``gt_mask`` (B, T, 1, H, W) in [0, 1].

    ``predict`` generates each whole video recurrently in chunks of
    ``test_cfg['chunk_size']`` (state carried across chunks) and returns per
    video ``output.pred_img`` (T, 3, H, W) BGR in [0, 255] with ``gt_img``,
    the padding frames of the last chunk removed, which the frame metrics
    (``PaperFID``, ``LPIPS``) and the video metrics (``FIDVideo``, ``AED``)
    score.

    Args:
        generator (dict): :class:`GFLAAnimationGenerator` config.
        discriminator (dict, optional): Spatial
            :class:`~gfla_mm.models.GFLADiscriminator`.
        temporal_discriminator (dict, optional):
            :class:`GFLATemporalDiscriminator`.
        pixel_loss (dict, optional): Defaults to ``L1Loss`` x 5.
        gan_loss (dict, optional): ``GANLoss(gan_type='lsgan')``, x 2
            (lambda_g) for the generator; used by both discriminators.
        temporal_gan_weight (float): lambda_v, relative to ``gan_loss``'s
            weight for the temporal term. Defaults to 1 (official: the same
            lambda_g for both).
        perceptual_loss, style_loss, correctness_loss, regularization_loss
            (dict, optional): as :class:`~gfla_mm.models.GFLA`.
        flow_supervision_loss (dict, optional):
            :class:`FlowSupervisionLoss` of both branches' flows against the
            data sample fields ``gt_flow_p`` / ``gt_flow_r`` (B, T, 2, H, W)
            (synthetic clips, ``LoadClipFlows``); not in the paper: the
            offline demo's stand-in for a pretrained VGG19. Defaults to
            None.
        correctness_mask (bool): Weight the correctness losses by
            ``gt_mask``. Defaults to False.
        vgg (dict, optional): :class:`GFLAVGG19Features` config.
        disc_loss_weight (float): Weight of each real/fake discriminator
            term. Defaults to 0.5 (official).
        train_cfg (dict, optional): ``chunk_size`` (default 6).
        test_cfg (dict, optional): ``chunk_size`` (default 6).
        init_cfg, data_preprocessor: as in mmagic.
    """

    def __init__(self,
                 generator: dict,
                 discriminator: Optional[dict] = None,
                 temporal_discriminator: Optional[dict] = None,
                 pixel_loss: Optional[dict] = None,
                 gan_loss: Optional[dict] = None,
                 temporal_gan_weight: float = 1.0,
                 perceptual_loss: Optional[dict] = None,
                 style_loss: Optional[dict] = None,
                 correctness_loss: Optional[dict] = None,
                 regularization_loss: Optional[dict] = None,
                 flow_supervision_loss: Optional[dict] = None,
                 correctness_mask: bool = False,
                 vgg: Optional[dict] = None,
                 disc_loss_weight: float = 0.5,
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

        def build(cfg):
            return MODELS.build(cfg) if cfg else None

        self.discriminator = build(discriminator)
        self.temporal_discriminator = build(temporal_discriminator)
        self.gan_loss = build(gan_loss)
        has_d = (self.discriminator is not None
                 or self.temporal_discriminator is not None)
        if has_d != (self.gan_loss is not None):
            raise ValueError('the discriminators and gan_loss go together: '
                             f'got discriminator={discriminator}, '
                             f'temporal_discriminator='
                             f'{temporal_discriminator}, gan_loss={gan_loss}')
        self.temporal_gan_weight = temporal_gan_weight
        self.correctness_mask = correctness_mask
        self.disc_loss_weight = disc_loss_weight
        self.train_chunk = int((train_cfg or {}).get('chunk_size', 6))
        self.test_chunk = int((test_cfg or {}).get('chunk_size', 6))
        for name, size in (('train_cfg', self.train_chunk),
                           ('test_cfg', self.test_chunk)):
            if size < 1:
                raise ValueError(f'{name}.chunk_size must be >= 1, got {size}')
        window = getattr(self.temporal_discriminator, 'num_frames', 0)
        if window > self.train_chunk:
            raise ValueError(
                f'temporal_discriminator.num_frames = {window} frames do not '
                f'fit in a training chunk of train_cfg.chunk_size = '
                f'{self.train_chunk}')
        self._build_feature_losses(
            vgg,
            perceptual_loss,
            style_loss,
            correctness_loss,
            regularization_loss,
            flow_supervision_loss,
            flow_levels=self.generator.flow_net_reference.attn_layers)

    # --------------------------------------------------------------- forward
    def forward(self,
                inputs: dict,
                data_samples: Optional[DataSample] = None,
                mode: str = 'tensor'):
        """``tensor``: the generator's :class:`AnimationOutput` for the
        clip (one recurrent pass, no chunks); ``predict``: a list of
        :class:`DataSample`, one per video (see :meth:`forward_inference`).
        Training goes through :meth:`train_step`."""
        if mode == 'tensor':
            ref, ref_skeleton, skeletons = unpack_clip_inputs(inputs)
            return self.generator(skeletons, ref, ref_skeleton)
        if mode == 'predict':
            return self.forward_inference(inputs, data_samples)
        raise ValueError('GFLAAnimation.forward supports modes "tensor" and '
                         f'"predict" (training uses train_step), got {mode}')

    @torch.no_grad()
    def animate(self,
                ref_img: torch.Tensor,
                ref_structure: torch.Tensor,
                structures: torch.Tensor,
                chunk_size: Optional[int] = None,
                callback: Optional[Callable[[int], None]] = None
                ) -> torch.Tensor:
        """Generates whole videos, ``chunk_size`` frames at a time, the
        last frame of each chunk seeding the next (official test).

        Args:
            ref_img (Tensor): (B, 3, H, W) reference RGB in [-1, 1].
            ref_structure (Tensor): (B, 20, H, W) its structure.
            structures (Tensor): (B, T, 20, H, W) the frames' structures.
            chunk_size (int, optional): Frames per generator call. Defaults
                to ``test_cfg['chunk_size']`` (the same result for any
                size: chunks only bound the memory).
            callback (callable, optional): Called with the number of frames
                done after each chunk (e.g. a tqdm update).

        Returns:
            Tensor: (B, T, 3, H, W) RGB in [-1, 1].
        """
        chunk = chunk_size or self.test_chunk
        frames, previous, previous_structure = [], None, None
        for start in range(0, structures.shape[1], chunk):
            step = structures[:, start:start + chunk]
            out = self.generator(step, ref_img, ref_structure, previous,
                                 previous_structure)
            frames.append(out.images)
            previous, previous_structure = out.images[:, -1], step[:, -1]
            if callback is not None:
                callback(start + step.shape[1])
        return torch.cat(frames, 1)

    def forward_inference(self,
                          inputs: dict,
                          data_samples: Optional[DataSample] = None
                          ) -> List[DataSample]:
        """Generates the videos of a batch.

        Returns:
            list[DataSample]: see :func:`pack_videos`.
        """
        ref, ref_skeleton, skeletons = unpack_clip_inputs(inputs)
        fake = self.animate(ref, ref_skeleton, skeletons)
        return pack_videos(self.data_preprocessor.destruct, ref, fake,
                           data_samples)

    # ------------------------------------------------------------- training
    def train_step(self, data: dict,
                   optim_wrapper: OptimWrapperDict) -> Dict[str, torch.Tensor]:
        """One clip: per chunk, G forward, D and D_V steps on the detached
        frames, G step with both frozen; the last frame is detached before
        it seeds the next chunk. Logs are the means over the chunks."""
        data = self.data_preprocessor(data, True)
        ref, ref_skeleton, skeletons = unpack_clip_inputs(data['inputs'])
        samples = data['data_samples']
        frames = samples.gt_img
        masks = samples.get('gt_mask') if self.correctness_mask else None
        if self.correctness_mask and masks is None:
            raise KeyError('correctness_mask=True needs the data sample field '
                           "gt_mask (PoseVideoDataset(mask_dir='train_C'))")
        gt_flows = None
        if self.flow_supervision_loss is not None:
            gt_flows = [samples.get(k) for k in ('gt_flow_p', 'gt_flow_r')]
            if any(f is None for f in gt_flows):
                raise KeyError(
                    'flow_supervision_loss needs the data sample fields '
                    'gt_flow_p and gt_flow_r (LoadClipFlows + PackClipInputs('
                    "data_keys=dict(flows_previous='gt_flow_p', "
                    "flows_reference='gt_flow_r', ...)))")
        num_frames, chunk = skeletons.shape[1], self.train_chunk
        if frames.shape[:2] != skeletons.shape[:2] or num_frames % chunk:
            raise ValueError(
                f'clip of {num_frames} skeletons and frames of shape '
                f'{tuple(frames.shape)}: need as many frames as skeletons, '
                f'a multiple of train_cfg.chunk_size = {chunk} '
                '(TemporalClipSample(chunk_size=...))')
        previous = previous_structure = None
        previous_gt = ref
        logs: Dict[str, torch.Tensor] = {}
        for start in range(0, num_frames, chunk):
            part = slice(start, start + chunk)
            gt = frames[:, part]
            gt_previous = torch.cat([previous_gt[:, None], gt[:, :-1]], 1)
            g_optim = optim_wrapper['generator']
            with g_optim.optim_context(self):
                out = self.generator(skeletons[:, part], ref, ref_skeleton,
                                     previous, previous_structure)
            step_logs = self._d_steps(optim_wrapper, out.images.detach(), gt)
            step_logs.update(
                self._g_step(
                    g_optim, out, gt, gt_previous, ref,
                    None if masks is None else masks[:, part],
                    None if gt_flows is None else
                    [f[:, part] for f in gt_flows]))
            for k, v in step_logs.items():
                logs[k] = logs.get(k, 0) + v.detach() / (num_frames // chunk)
            # Truncated BPTT: the next chunk starts from a constant.
            previous = out.images[:, -1].detach()
            previous_structure = skeletons[:, start + chunk - 1]
            previous_gt = gt[:, -1]
        return logs

    def _d_steps(self, optim_wrapper: OptimWrapperDict, fake: torch.Tensor,
                 real: torch.Tensor) -> Dict[str, torch.Tensor]:
        """The spatial D on one random frame, D_V on a random window."""
        logs = {}
        if self.discriminator is not None:
            t = int(torch.randint(fake.shape[1], ()))
            logs.update(
                discriminator_step(optim_wrapper['discriminator'],
                                   self.discriminator, self.gan_loss,
                                   self.parse_losses, fake[:, t], real[:, t],
                                   self.disc_loss_weight, 'd'))
        if self.temporal_discriminator is not None:
            n = self.temporal_discriminator.num_frames
            t = int(torch.randint(fake.shape[1] - n + 1, ()))
            logs.update(
                discriminator_step(optim_wrapper['temporal_discriminator'],
                                   self.temporal_discriminator,
                                   self.gan_loss, self.parse_losses,
                                   fake[:, t:t + n], real[:, t:t + n],
                                   self.disc_loss_weight, 'dv'))
        return logs

    def _g_step(self,
                g_optim,
                out: AnimationOutput,
                gt: torch.Tensor,
                gt_previous: torch.Tensor,
                ref: torch.Tensor,
                masks: Optional[torch.Tensor],
                gt_flows: Optional[List[torch.Tensor]] = None
                ) -> Dict[str, torch.Tensor]:
        discs = [
            d for d in (self.discriminator, self.temporal_discriminator)
            if d is not None
        ]
        for disc in discs:
            set_requires_grad(disc, False)
        try:
            with g_optim.optim_context(self):
                losses = self._g_losses(out, gt, gt_previous, ref, masks,
                                        gt_flows)
            check_finite(losses, 'generator')
            loss, log = self.parse_losses(losses)
            g_optim.update_params(loss)
        finally:
            for disc in discs:
                set_requires_grad(disc, True)
        log.pop('loss')
        return log

    def _g_losses(self,
                  out: AnimationOutput,
                  gt: torch.Tensor,
                  gt_previous: torch.Tensor,
                  ref: torch.Tensor,
                  masks: Optional[torch.Tensor],
                  gt_flows: Optional[List[torch.Tensor]] = None
                  ) -> Dict[str, torch.Tensor]:
        """The chunk's generator losses, each summed over its frames."""
        b, t = gt.shape[:2]
        fake = flatten_frames(out.images)
        target = flatten_frames(gt)
        # Batch means over B * t frames, times t: the sum over the frames.
        losses = dict(loss_l1=t * self.pixel_loss(fake, target))
        if self.vgg is not None:
            with torch.no_grad():
                feats = self.vgg(
                    torch.cat([target, flatten_frames(gt_previous), ref]))
            for k, v in self._image_feature_losses(
                    fake, {k: v[:b * t]
                           for k, v in feats.items()}).items():
                losses[k] = t * v

            def frames_of(part: slice, per_sample: bool = False) -> dict:
                """(B, t, C, h, w) features of a slice of the VGG batch."""
                if per_sample:  # one reference per sample, for every frame
                    return {
                        k: v[part][:, None].expand(-1, t, *v.shape[1:])
                        for k, v in feats.items()
                    }
                return {
                    k: v[part].unflatten(0, (b, t))
                    for k, v in feats.items()
                }

            targets = frames_of(slice(0, b * t))
            sources = dict(
                p=frames_of(slice(b * t, 2 * b * t)),
                r=frames_of(slice(2 * b * t, None), per_sample=True))
        for j, (branch, flows) in enumerate(
            (('p', out.previous_flows), ('r', out.reference_flows))):
            if self.correctness_loss is not None:
                # Per frame, as the official (masks normalise per frame).
                losses[f'loss_correctness_{branch}'] = sum(
                    self.correctness_loss(
                        [f[:, i] for f in flows],
                        {k: v[:, i]
                         for k, v in sources[branch].items()},
                        {k: v[:, i]
                         for k, v in targets.items()},
                        None if masks is None else masks[:, i])
                    for i in range(t))
            if self.regularization_loss is not None:
                losses[f'loss_regularization_{branch}'] = sum(
                    self.regularization_loss([f[:, i] for f in flows])
                    for i in range(t))
            if self.flow_supervision_loss is not None:
                losses[f'loss_flow_{branch}'] = sum(
                    self.flow_supervision_loss([f[:, i] for f in flows],
                                               gt_flows[j][:, i])
                    for i in range(t))
        if self.discriminator is not None:
            i = int(torch.randint(t, ()))
            losses['loss_gan'] = self.gan_loss(
                self.discriminator(out.images[:, i]), True, is_disc=False)
        if self.temporal_discriminator is not None:
            n = self.temporal_discriminator.num_frames
            i = int(torch.randint(t - n + 1, ()))
            losses['loss_gan_v'] = self.temporal_gan_weight * self.gan_loss(
                self.temporal_discriminator(out.images[:, i:i + n]),
                True,
                is_disc=False)
        return losses


__all__ = [
    'GFLAAnimation', 'unpack_clip_inputs', 'flatten_frames', 'pack_videos'
]
