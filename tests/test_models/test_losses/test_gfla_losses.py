# Copyright (c) OpenMMLab. All rights reserved.

import pytest
import torch
from mmagic.registry import MODELS
from torchvision.models import vgg19

from gfla_mm.models.losses import (
    AffineRegularizationLoss,
    GFLAPerceptualLoss,
    GFLAStyleLoss,
    GFLAVGG19Features,
    SamplingCorrectnessLoss,
    gram_matrix,
    max_cosine_similarity,
)


def test_vgg_features_shapes_frozen_and_local_weights(tmp_path):
    torch.manual_seed(0)
    vgg = GFLAVGG19Features(('relu1_1', 'relu3_1', 'relu4_1'),
                            pretrained=None)
    x = torch.rand(2, 3, 64, 64, requires_grad=True)
    feats = vgg(x)
    assert {k: tuple(v.shape[1:]) for k, v in feats.items()} == {
        'relu1_1': (64, 64, 64),
        'relu3_1': (256, 16, 16),
        'relu4_1': (512, 8, 8)
    }
    assert len(vgg.features) == 21  # stops at relu4_1
    feats['relu4_1'].sum().backward()
    assert x.grad is not None
    assert all(p.grad is None and not p.requires_grad
               for p in vgg.parameters())
    vgg.train()
    assert not vgg.training
    # A local torchvision-format file is loaded (weights_only).
    ref = vgg19(weights=None)
    path = tmp_path / 'vgg19.pth'
    torch.save(ref.state_dict(), path)
    local = GFLAVGG19Features(('relu1_1', ), pretrained=str(path))
    local.init_weights()
    assert torch.equal(local.features[0].weight, ref.features[0].weight)
    with pytest.raises(ValueError, match='relu9_9'):
        GFLAVGG19Features(('relu9_9', ), pretrained=None)


def test_perceptual_and_style():
    torch.manual_seed(1)
    a = {n: torch.rand(2, 8, 6, 6) for n in ('relu1_1', 'relu2_2')}
    b = {n: v + 0.5 for n, v in a.items()}
    perc = MODELS.build(
        dict(type='GFLAPerceptualLoss', layer_weights={'relu1_1': 1.0}))
    assert perc(a, a) == 0
    assert perc(a, b).item() == pytest.approx(0.5 * 0.5)
    style = GFLAStyleLoss({'relu2_2': 1.0}, loss_weight=1.0)
    assert style(a, a) == 0 and style(a, b) > 0
    f = torch.ones(1, 2, 3, 3)
    torch.testing.assert_close(gram_matrix(f), torch.full((1, 2, 2), 1 / 2))
    assert isinstance(GFLAPerceptualLoss(), torch.nn.Module)


def test_max_cosine_similarity_brute_force():
    torch.manual_seed(2)
    src, tgt = torch.randn(2, 5, 4, 3), torch.randn(2, 5, 4, 3)
    got = max_cosine_similarity(src, tgt, chunk=5)
    s = src.flatten(2)
    t = tgt.flatten(2)
    cos = torch.nn.functional.cosine_similarity(
        s[:, :, :, None], t[:, :, None, :], dim=1)
    torch.testing.assert_close(got, cos.amax(1).view(2, 4, 3))


def test_sampling_correctness_identity_flow_is_best():
    torch.manual_seed(3)
    feats = {'relu3_1': torch.rand(2, 16, 12, 12) + 0.1}
    loss = SamplingCorrectnessLoss(('relu3_1', ), loss_weight=1.0)
    zero = torch.zeros(2, 2, 12, 12, requires_grad=True)
    identity = loss([zero], feats, feats)
    shuffled = loss([torch.randn(2, 2, 12, 12) * 4], feats, feats)
    assert 0 <= identity < shuffled
    assert identity < 0.05  # mu ~ mu_max = 1 up to the Gaussian blur
    identity.backward()
    assert zero.grad is not None and torch.isfinite(zero.grad).all()
    mask = torch.zeros(2, 1, 24, 24)
    mask[..., :12, :] = 1
    assert torch.isfinite(loss([zero], feats, feats, mask=mask))
    with pytest.raises(ValueError, match='2 flows for 1 layers'):
        loss([zero, zero], feats, feats)


def affine_flow(h, w, matrix, shift):
    ys, xs = torch.meshgrid(
        torch.arange(h, dtype=torch.float64),
        torch.arange(w, dtype=torch.float64),
        indexing='ij')
    p = torch.stack([xs, ys])
    g = torch.einsum('ij,jhw->ihw', torch.tensor(matrix, dtype=torch.float64),
                     p) + torch.tensor(shift, dtype=torch.float64)[:, None,
                                                                    None]
    return (g - p)[None]


def test_affine_regularization():
    loss = AffineRegularizationLoss((3, 5), loss_weight=1.0)
    flows = [
        affine_flow(8, 8, [[1.1, 0.2], [-0.3, 0.9]], [2.0, -1.0]),
        affine_flow(16, 12, [[0.5, 0.0], [0.0, 2.0]], [0.0, 3.0])
    ]
    assert loss(flows).abs() < 1e-9  # any affine flow: zero
    bumpy = [f.clone() for f in flows]
    bumpy[1][0, 0, 5, 5] += 1.0
    assert loss(bumpy) > 0.1
    big = [torch.full_like(f, 1e6) for f in flows]
    assert torch.isfinite(loss(big))
    flow = torch.randn(1, 2, 6, 6, requires_grad=True)
    AffineRegularizationLoss((1, ), 1.0)([flow]).backward()  # kz=1: finite
    assert torch.isfinite(flow.grad).all()
