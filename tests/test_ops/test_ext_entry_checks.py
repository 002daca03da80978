# Copyright (c) OpenMMLab. All rights reserved.
"""The compiled entry points check what they are given, so that a direct
``_ext`` call with bad arguments raises instead of reading out of bounds."""
import pytest
import torch

from gfla_mm.ops import local_attention_gather
from gfla_mm.ops.ext_loader import load_ext

B, C, H, W, K = 2, 3, 5, 6, 3


def gather_args():
    source = torch.randn(B, C, H, W)
    flow = torch.randn(B, 2, H, W)
    attn = torch.rand(B, K * K, H, W)
    return source, flow, attn


def test_gather_entry_checks():
    ext = load_ext()
    source, flow, attn = gather_args()
    out = torch.empty_like(source)
    with pytest.raises(RuntimeError, match=r'kernel_size must be in \[1, 15'):
        ext.local_attention_gather_forward(source, flow,
                                           torch.rand(B, 256, H, W), out, 16)
    with pytest.raises(RuntimeError, match='attn of shape'):
        ext.local_attention_gather_forward(source, flow, attn[:1], out, K)
    with pytest.raises(RuntimeError, match='flow of shape'):
        ext.local_attention_gather_forward(
            source, flow[..., :4].contiguous(), attn, out, K)
    with pytest.raises(RuntimeError, match='out of shape'):
        ext.local_attention_gather_forward(source, flow, attn, out[:1], K)
    grads = [torch.empty_like(t) for t in (source, flow, attn)]
    with pytest.raises(RuntimeError, match='grad_out of shape'):
        ext.local_attention_gather_backward(out[:, :1].contiguous(),
                                            source, flow, attn, *grads, K)
    with pytest.raises(RuntimeError, match='grad_attn must be empty or'):
        ext.local_attention_gather_backward(out, source, flow, attn,
                                            grads[0], grads[1], grads[2][:1],
                                            K)
    with pytest.raises(RuntimeError, match='share device and dtype'):
        ext.local_attention_gather_forward(source, flow.double(), attn, out,
                                           K)


def test_block_extract_and_gaussian_entry_checks():
    ext = load_ext()
    source, flow, _ = gather_args()
    with pytest.raises(RuntimeError, match=r'must be \(B, C, kH, kW\)'):
        ext.block_extract_forward(source, flow,
                                  torch.empty(B, C, H * 2, W * 2), K)
    with pytest.raises(RuntimeError, match='grad_out of shape'):
        ext.block_extract_backward(source, source, flow,
                                   torch.empty_like(source),
                                   torch.empty_like(flow), K)
    out = torch.empty_like(source)
    with pytest.raises(RuntimeError, match='kernel_size must be even'):
        ext.gaussian_resample_forward(source, flow, out, 3, 1, 2.0)
    with pytest.raises(RuntimeError, match='dilation must be >= 1'):
        ext.gaussian_resample_forward(source, flow, out, 4, 0, 2.0)
    with pytest.raises(RuntimeError, match='grad_flow must be empty or'):
        ext.gaussian_resample_backward(out, source, flow,
                                       torch.empty_like(source),
                                       torch.empty(B, 2, H, 1), 4, 1, 2.0)


def test_no_channels_gives_zero_flow_and_attention_gradients():
    source = torch.randn(B, 0, H, W, requires_grad=True)
    flow = torch.randn(B, 2, H, W, requires_grad=True)
    attn = torch.rand(B, K * K, H, W, requires_grad=True)
    out = local_attention_gather(source, flow, attn, K)
    assert out.shape == (B, 0, H, W)
    grads = torch.autograd.grad(out.sum(), [flow, attn])
    for grad in grads:
        assert torch.equal(grad, torch.zeros_like(grad))
