# Copyright (c) OpenMMLab. All rights reserved.
"""GFLA's training step with torch alone, for machines without mmagic/mmcv
(the lent GPU machine has torch and torchvision only).

:func:`import_networks` imports gfla_mm's networks and losses where the mm*
stack is missing: ``gfla_mm`` then imports its torch-only layers only, and
the ``models`` layer's two mm* dependencies, ``gfla_mm.registry`` (mmagic's
registries) and, where mmengine is missing, ``mmengine.model.BaseModule``,
are replaced by stand-ins, as are the ``models`` package ``__init__`` files
(they import mmagic's base models). :func:`train_step` is
``GFLA.train_step`` written out with plain optimisers (same order, same
losses and weights: mmagic's ``L1Loss`` is a mean absolute error, its LSGAN
``GANLoss`` a mean squared error);
``tests/test_benchmarks/test_bench_train_step.py`` checks it against
``GFLA.train_step`` step for step.
"""
import os.path as osp
import sys
import types
from contextlib import nullcontext
from typing import Dict

import torch
import torch.nn.functional as F
from torch import nn

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))


class _Registry:
    """Accepts ``@MODELS.register_module(...)`` and does nothing."""

    def register_module(self, name=None, force=False, module=None):
        if module is not None:
            return module
        return lambda cls: cls


class _BaseModule(nn.Module):
    """mmengine's BaseModule, as far as the networks use it."""

    def __init__(self, init_cfg=None) -> None:
        super().__init__()
        self.init_cfg = init_cfg

    def init_weights(self) -> None:
        for child in self.children():
            if hasattr(child, 'init_weights'):
                child.init_weights()


def _install(name: str, module: types.ModuleType) -> None:
    # ``is None`` also replaces the None that blocks an import.
    if sys.modules.get(name) is None:
        sys.modules[name] = module


def _package(name: str, path: str) -> None:
    module = types.ModuleType(name)
    module.__path__ = [path]
    _install(name, module)


def import_networks() -> types.SimpleNamespace:
    """The classes the step needs, with or without mmagic installed."""
    try:
        import mmagic  # noqa: F401
    except ImportError:
        sys.path.insert(0, ROOT)
        import gfla_mm  # noqa: F401  (without mm*: the torch-only layers)
        pkg = osp.dirname(gfla_mm.__file__)
        registry = types.ModuleType('gfla_mm.registry')
        registry.MODELS = _Registry()
        _install('gfla_mm.registry', registry)
        for sub in ('models', 'models/editors', 'models/editors/gfla'):
            _package('gfla_mm.' + sub.replace('/', '.'), osp.join(pkg, sub))
        try:
            import mmengine.model  # noqa: F401
        except ImportError:
            _package('mmengine', osp.join(ROOT, '.no-mmengine'))
            model = types.ModuleType('mmengine.model')
            model.BaseModule = _BaseModule
            _install('mmengine.model', model)
    from gfla_mm.models.editors.gfla.gfla_discriminator import (
        GFLADiscriminator,
    )
    from gfla_mm.models.editors.gfla.gfla_generator import GFLAGenerator
    from gfla_mm.models.losses import (
        AffineRegularizationLoss,
        GFLAPerceptualLoss,
        GFLAStyleLoss,
        GFLAVGG19Features,
        SamplingCorrectnessLoss,
    )
    return types.SimpleNamespace(**{
        c.__name__: c
        for c in (GFLAGenerator, GFLADiscriminator, GFLAVGG19Features,
                  GFLAPerceptualLoss, GFLAStyleLoss,
                  SamplingCorrectnessLoss, AffineRegularizationLoss)
    })


def build_deepfashion(device: str) -> Dict[str, nn.Module]:
    """The DeepFashion model of the configs, random VGG19, official init."""
    n = import_networks()
    torch.manual_seed(0)
    parts = dict(
        generator=n.GFLAGenerator(attn_kernel_sizes={3: 3, 2: 5}),
        discriminator=n.GFLADiscriminator(layers=4),
        perceptual=n.GFLAPerceptualLoss(loss_weight=0.5),
        style=n.GFLAStyleLoss(loss_weight=500.0),
        correctness=n.SamplingCorrectnessLoss(
            layers=('relu4_1', 'relu3_1'), loss_weight=5.0),
        regularization=n.AffineRegularizationLoss(
            kernel_sizes=(3, 5), loss_weight=0.0025))
    layers = sorted(
        set(parts['perceptual'].layer_weights)
        | set(parts['style'].layer_weights)
        | set(parts['correctness'].layers))
    parts['vgg'] = n.GFLAVGG19Features(layers=layers, pretrained=None)
    parts['generator'].init_weights()
    parts['discriminator'].init_weights()
    return {k: v.to(device) for k, v in parts.items()}


def optimizers(parts: Dict[str, nn.Module]) -> Dict[str, torch.optim.Adam]:
    """Adam, betas (0, 0.999), lr 1e-4 (G) / 1e-5 (D), as the configs."""
    return dict(
        generator=torch.optim.Adam(
            parts['generator'].parameters(), lr=1e-4, betas=(0.0, 0.999)),
        discriminator=torch.optim.Adam(
            parts['discriminator'].parameters(), lr=1e-5,
            betas=(0.0, 0.999)))


def train_step(parts: Dict[str, nn.Module], optims: Dict[str, object],
               source: torch.Tensor, source_pose: torch.Tensor,
               target_pose: torch.Tensor, target: torch.Tensor,
               autocast_dtype=None) -> Dict[str, float]:
    """One GFLA iteration on normalised inputs (images in [-1, 1]).

    Returns:
        dict: the loss values, named as ``GFLA.train_step`` logs them.
    """
    G, D = parts['generator'], parts['discriminator']
    ctx = (
        torch.autocast(source.device.type, dtype=autocast_dtype)
        if autocast_dtype is not None else nullcontext())
    with ctx:
        fake, flows, _ = G(source, source_pose, target_pose)
    with ctx:
        d_real, d_fake = D(target), D(fake.detach())
        d_losses = dict(
            loss_d_real=0.5 * F.mse_loss(d_real, torch.ones_like(d_real)),
            loss_d_fake=0.5 * F.mse_loss(d_fake, torch.zeros_like(d_fake)))
    optims['discriminator'].zero_grad()
    sum(d_losses.values()).backward()
    optims['discriminator'].step()
    D.requires_grad_(False)
    with ctx:
        with torch.no_grad():
            feats = parts['vgg'](torch.cat([source, target]))
        b = source.shape[0]
        src_f = {k: v[:b] for k, v in feats.items()}
        tgt_f = {k: v[b:] for k, v in feats.items()}
        fake_f = parts['vgg'](fake)
        d_gen = D(fake)
        g_losses = dict(
            loss_l1=5.0 * F.l1_loss(fake, target),
            loss_perceptual=parts['perceptual'](fake_f, tgt_f),
            loss_style=parts['style'](fake_f, tgt_f),
            loss_correctness=parts['correctness'](flows, src_f, tgt_f),
            loss_regularization=parts['regularization'](flows),
            loss_gan=2.0 * F.mse_loss(d_gen, torch.ones_like(d_gen)))
    optims['generator'].zero_grad()
    sum(g_losses.values()).backward()
    optims['generator'].step()
    D.requires_grad_(True)
    return {k: v.item() for k, v in {**d_losses, **g_losses}.items()}


__all__ = ['import_networks', 'build_deepfashion', 'optimizers', 'train_step']
