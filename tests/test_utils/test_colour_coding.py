# Copyright (c) OpenMMLab. All rights reserved.
import math

import pytest
import torch

from gfla_mm.utils import flow_to_color, hsv_to_rgb, pose_to_color


def test_flow_colours_follow_direction_and_length():
    flow = torch.zeros(2, 3, 4)
    flow[0, 0, 0] = 2.0  # +x, full length -> red
    flow[1, 0, 1] = 2.0  # +y (down) -> hue 1/4: yellow-green
    flow[0, 0, 2] = -2.0  # -x -> cyan
    flow[0, 0, 3] = 1.0  # +x, half length -> half saturated red
    rgb = flow_to_color(flow)
    assert rgb.shape == (3, 3, 4)
    torch.testing.assert_close(rgb[:, 0, 0], torch.tensor([255., 0., 0.]))
    torch.testing.assert_close(rgb[:, 0, 1],
                               torch.tensor([127.5, 255., 0.]))
    torch.testing.assert_close(rgb[:, 0, 2], torch.tensor([0., 255., 255.]))
    torch.testing.assert_close(rgb[:, 0, 3],
                               torch.tensor([255., 127.5, 127.5]))
    torch.testing.assert_close(rgb[:, 2, 2], torch.full((3, ), 255.))  # 0
    # A fixed scale instead of each field's maximum.
    fixed = flow_to_color(flow, max_magnitude=4.0)
    torch.testing.assert_close(fixed[:, 0, 0],
                               torch.tensor([255., 127.5, 127.5]))


def test_flow_to_color_batches_and_checks_shapes():
    flows = torch.randn(2, 2, 5, 6)
    out = flow_to_color(flows)
    assert out.shape == (2, 3, 5, 6)
    assert out.min() >= 0 and out.max() <= 255
    torch.testing.assert_close(out[1], flow_to_color(flows[1]))
    with pytest.raises(ValueError, match=r'\(B, 2, H, W\)'):
        flow_to_color(torch.zeros(1, 3, 4, 4))


def test_hsv_to_rgb_primaries():
    h = torch.tensor([0.0, 1 / 3, 2 / 3])
    rgb = hsv_to_rgb(h, torch.ones(3), torch.ones(3))
    torch.testing.assert_close(rgb, torch.eye(3), atol=1e-6, rtol=0)
    assert math.isclose(
        hsv_to_rgb(torch.tensor(0.5), torch.tensor(0.0),
                   torch.tensor(0.5))[0].item(), 0.5)


def test_pose_maps_get_one_hue_each():
    heat = torch.zeros(18, 4, 4)
    heat[0, 0, 0] = 1.0  # joint 0: red
    heat[6, 1, 1] = 0.5  # joint 6: hue 1/3 (green), half bright
    img = pose_to_color(heat)
    assert img.shape == (3, 4, 4)
    torch.testing.assert_close(img[:, 0, 0], torch.tensor([255., 0., 0.]))
    torch.testing.assert_close(img[:, 1, 1], torch.tensor([0., 127.5, 0.]),
                               atol=1e-4, rtol=0)
    assert img[:, 3, 3].abs().sum() == 0
    assert pose_to_color(heat[None]).shape == (1, 3, 4, 4)
    with pytest.raises(ValueError, match='heatmap'):
        pose_to_color(torch.zeros(4, 4))
