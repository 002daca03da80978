# Copyright (c) OpenMMLab. All rights reserved.
"""Pieces of a GAN ``train_step`` shared by the image, flow and animation
models: the finiteness check and one LSGAN discriminator update."""
from typing import Callable, Dict

import torch
from torch import nn


def check_finite(losses: Dict[str, torch.Tensor], where: str) -> None:
    """Stops training at the first non-finite loss, naming it (one device
    synchronisation per call while all is well)."""
    sums = torch.stack([v.detach().float().sum() for v in losses.values()])
    if bool(torch.isfinite(sums).all()):
        return
    bad = [k for k, v in losses.items() if not torch.isfinite(v).all()]
    if bad:
        raise FloatingPointError(
            f'non-finite {where} losses {bad}: '
            f'{ {k: losses[k].item() for k in bad} }. Check the inputs '
            '(NaN pixels or pose maps) and the learning rate.')


def discriminator_step(d_optim,
                       disc: nn.Module,
                       gan_loss: Callable,
                       parse_losses: Callable,
                       fake: torch.Tensor,
                       real: torch.Tensor,
                       weight: float = 0.5,
                       name: str = 'd') -> Dict[str, torch.Tensor]:
    """One update of ``disc``: ``weight`` x (its GAN loss on ``real`` as
    real + on ``fake`` as fake) (official: 0.5 each).

    Args:
        d_optim (OptimWrapper): The discriminator's optimiser wrapper.
        disc (nn.Module): The discriminator.
        gan_loss (callable): mmagic's ``GANLoss`` (``is_disc=True`` here).
        parse_losses (callable): The model's ``parse_losses``.
        fake (Tensor): Generated input of ``disc``, already detached.
        real (Tensor): Real input of the same shape.
        weight (float): Weight of each of the two terms.
        name (str): Log prefix: ``loss_{name}_real`` / ``loss_{name}_fake``.

    Returns:
        dict[str, Tensor]: The two logged terms.
    """
    with d_optim.optim_context(disc):
        losses = {
            f'loss_{name}_real':
            weight * gan_loss(disc(real), True, is_disc=True),
            f'loss_{name}_fake':
            weight * gan_loss(disc(fake), False, is_disc=True),
        }
    check_finite(losses, 'discriminator')
    loss, log = parse_losses(losses)
    d_optim.update_params(loss)
    log.pop('loss')
    return log


__all__ = ['check_finite', 'discriminator_step']
