# Copyright (c) OpenMMLab. All rights reserved.
"""The Motion Extraction Network: exact official architecture, windows and
sequence inference, and what ADALN is for."""
import pytest
import torch

from gfla_mm.models import MotionExtractionNet
from gfla_mm.models.editors.motion_extractor import (
    ADALN1d,
    channels_to_joints,
    denoise_joints,
    joints_to_channels,
)

# Official KPInput2DGenerator(structure_nc=17, channels=256, layers=4):
# names and shapes of its state dict (reference key list).
OFFICIAL_SHAPES = {
    'kp_input.expand_conv.weight': (256, 34, 3),
    'kp_input.expand_ln.weight': (256, 1),
    'kp_input.expand_ln.bias': (256, 1),
    'kp_input.shrink.weight': (34, 256, 1),
    'kp_input.shrink.bias': (34,),
    'kp_input.layers_conv.0.weight': (256, 256, 3),
    'kp_input.layers_conv.1.weight': (256, 256, 1),
    'kp_input.layers_conv.2.weight': (256, 256, 3),
    'kp_input.layers_conv.3.weight': (256, 256, 1),
    'kp_input.layers_conv.4.weight': (256, 256, 3),
    'kp_input.layers_conv.5.weight': (256, 256, 1),
    'kp_input.feature_conv_1.weight': (256, 34, 3),
    'kp_input.feature_conv_2.weight': (256, 256, 3),
    'kp_input.feature_conv_3.weight': (256, 256, 3),

}
for _i in range(6):
    OFFICIAL_SHAPES.update({
        f'kp_input.layers_ln.{_i}.mlp_shared.0.weight': (128, 256),
        f'kp_input.layers_ln.{_i}.mlp_shared.0.bias': (128, ),
        f'kp_input.layers_ln.{_i}.mlp_gamma.weight': (256, 128),
        f'kp_input.layers_ln.{_i}.mlp_gamma.bias': (256, ),
        f'kp_input.layers_ln.{_i}.mlp_beta.weight': (256, 128),
        f'kp_input.layers_ln.{_i}.mlp_beta.bias': (256, ),
    })


def test_official_architecture():
    net = MotionExtractionNet()
    assert sum(p.numel() for p in net.parameters()) == 1_834_786
    shapes = {k: tuple(v.shape) for k, v in net.state_dict().items()}
    assert len(OFFICIAL_SHAPES) == 50
    assert shapes == OFFICIAL_SHAPES
    assert net.receptive_field == 81
    # An official-layout state dict loads strictly and drives the output.
    official = {k: torch.randn(s) * 0.05 for k, s in OFFICIAL_SHAPES.items()}
    net.load_state_dict(official, strict=True)
    net.eval()
    x = torch.rand(1, 81, 17, 2) * 2 - 1
    out = net(x)
    official['kp_input.shrink.bias'] += 1
    net.load_state_dict(official)
    torch.testing.assert_close(net(x), out + 1)


def test_channel_layout_is_official():
    joints = torch.arange(2 * 3 * 17 * 2, dtype=torch.float32).view(
        2, 3, 17, 2)
    channels = joints_to_channels(joints)
    assert channels.shape == (2, 34, 3)
    # per frame: the 17 y's, then the 17 x's
    torch.testing.assert_close(channels[1, :17, 2], joints[1, 2, :, 1])
    torch.testing.assert_close(channels[1, 17:, 2], joints[1, 2, :, 0])
    torch.testing.assert_close(channels_to_joints(channels), joints)


@pytest.mark.parametrize('length', [81, 82, 120])
def test_raw_window_drops_80_frames(length):
    net = MotionExtractionNet(channels=32).eval()
    assert net(torch.randn(2, length, 17, 2)).shape == (2, length - 80, 17,
                                                        2)


def test_errors_name_the_shape():
    net = MotionExtractionNet(channels=32)
    with pytest.raises(ValueError, match='at least 81 frames, got 80'):
        net(torch.randn(1, 80, 17, 2))
    with pytest.raises(ValueError, match=r'\(B, T, 17, 2\)'):
        net(torch.randn(1, 90, 18, 2))
    with pytest.raises(ValueError, match='NaN/inf'):
        denoise_joints(net, torch.full((5, 17, 2), float('nan')))


@pytest.mark.parametrize('length', [1, 7, 24, 25, 130])
def test_sequence_api_keeps_every_frame(length):
    net = MotionExtractionNet(channels=32)
    joints = torch.rand(length, 17, 2)
    out = denoise_joints(net, joints, chunk=24, batch_size=2)
    assert out.shape == joints.shape and torch.isfinite(out).all()
    assert net.training  # mode restored
    whole = denoise_joints(net, joints, chunk=None)
    assert whole.shape == joints.shape


def test_sequence_windows_are_the_padded_track():
    """Each chunk is the net on its slice of the replicate-padded track;
    the last window ends at the track's end."""
    net = MotionExtractionNet(channels=32).eval()
    joints = torch.rand(30, 17, 2)
    padded = torch.cat([joints[:1].expand(40, -1, -1), joints,
                        joints[-1:].expand(40, -1, -1)])
    out = denoise_joints(net, joints, chunk=12)
    for start in (0, 12):
        expected = net(padded[None, start:start + 12 + 80])[0]
        torch.testing.assert_close(out[start:start + 12], expected)
    # the last window, moved back to start at 18, gives only frames 24-29
    last = net(padded[None, 18:18 + 12 + 80])[0]
    torch.testing.assert_close(out[24:], last[6:])
    torch.testing.assert_close(
        denoise_joints(net, joints, chunk=None), net(padded[None])[0])


def test_adaln_modulation():
    ln = ADALN1d(8, 4)
    x = torch.randn(2, 8, 5) * 3 + 7
    with torch.no_grad():
        ln.mlp_gamma.weight.zero_()
        ln.mlp_gamma.bias.fill_(1.0)  # gamma = 1: scale by 2
        ln.mlp_beta.weight.zero_()
        ln.mlp_beta.bias.fill_(0.5)
    out = ln(x, torch.randn(2, 4))
    # normalised over channels and frames of each sequence, then 2 * . + .5
    torch.testing.assert_close(out.mean((1, 2)), torch.full((2, ), 0.5))
    torch.testing.assert_close(
        out.std((1, 2), unbiased=False), torch.full((2, ), 2.0),
        rtol=1e-3, atol=1e-3)


TEMPLATE = torch.rand(1, 1, 17, 2,
                      generator=torch.Generator().manual_seed(3)) - 0.5


def _placed_tracks(num, frames, gen, scale=None):
    """A skeleton moving a little, placed at random scales and shifts."""
    t = torch.linspace(0, 1, frames).view(1, frames, 1, 1)
    phase = torch.rand(num, 1, 17, 2, generator=gen) * 6.28
    motion = TEMPLATE + 0.05 * torch.sin(6.28 * t + phase)
    if scale is None:
        scale = torch.rand(num, 1, 1, 1, generator=gen) * 1.2 + 0.3
    shift = torch.rand(num, 1, 1, 2, generator=gen) - 0.5
    return motion * scale + shift


def _train_identity(control: bool) -> MotionExtractionNet:
    torch.manual_seed(0)
    net = MotionExtractionNet(channels=32, layers=2, dropout=0.0)
    if control:  # ADALN reduced to a plain LayerNorm: gamma, beta constant
        for ln in net.kp_input.layers_ln:
            for lin in (ln.mlp_gamma, ln.mlp_beta):
                lin.weight.data.zero_()
                lin.weight.requires_grad_(False)
    params = [p for p in net.parameters() if p.requires_grad]
    opt = torch.optim.Adam(params, 3e-3)
    gen = torch.Generator().manual_seed(1)
    half = net.receptive_field // 2
    for _ in range(200):
        x = _placed_tracks(32, 24, gen)
        loss = ((net(x) - x[:, half:-half])**2).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
    return net.eval()


def test_adaln_recovers_the_input_statistics():
    """Layer norm removes where and how large the skeleton is; ADALN's
    input-predicted gamma/beta put it back. Trained to reproduce its input
    at random scales and places, the ADALN net follows the scale; the same
    net with gamma/beta fixed cannot: its output is invariant to scaling
    the input."""
    adaln, control = _train_identity(False), _train_identity(True)
    half = adaln.receptive_field // 2
    x = _placed_tracks(64, 24, torch.Generator().manual_seed(7))
    with torch.no_grad():
        torch.testing.assert_close(control(x * 0.5), control(x * 1.5),
                                   atol=1e-3, rtol=1e-3)
        assert not torch.allclose(adaln(x * 0.5), adaln(x * 1.5), atol=0.05)
        for s in (0.4, 1.4):
            xs = _placed_tracks(64, 24, torch.Generator().manual_seed(7), s)
            target = xs[:, half:-half]
            err = (adaln(xs) - target).norm(dim=-1).mean()
            err_control = (control(xs) - target).norm(dim=-1).mean()
            assert err < 0.6 * err_control, (s, err, err_control)
