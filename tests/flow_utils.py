# Copyright (c) OpenMMLab. All rights reserved.
"""Hand-made ground-truth flows shared by the flow metric and loss tests."""
import torch


def shifted(h=32, w=16, dx=8.0, dy=-4.0):
    """A (2, h, w) flow of one constant shift, undefined on the left half."""
    gt = torch.empty(2, h, w)
    gt[0], gt[1] = dx, dy
    gt[:, :, :w // 2] = float('nan')
    return gt
