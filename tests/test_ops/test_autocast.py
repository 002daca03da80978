# Copyright (c) OpenMMLab. All rights reserved.
"""The ops under torch.autocast: mixed input dtypes are unified (float32 on
CPU) and the results equal the float32 computation."""
import torch

from gfla_mm.ops import (
    block_extract,
    gaussian_resample,
    local_attention_gather,
)


def inputs():
    gen = torch.Generator().manual_seed(0)
    source = torch.randn(2, 4, 6, 7, generator=gen)
    flow = torch.randn(2, 2, 6, 7, generator=gen) * 2
    attn = torch.softmax(torch.randn(2, 9, 6, 7, generator=gen), 1)
    return source, flow, attn


def test_gather_under_cpu_autocast_matches_float32():
    source, flow, attn = inputs()
    expected = local_attention_gather(source, flow, attn, 3)
    src = source.bfloat16().requires_grad_()
    with torch.autocast('cpu', dtype=torch.bfloat16):
        # bf16 features with a float32 softmax: what a network hands over.
        out = local_attention_gather(src, flow.bfloat16(), attn, 3)
    assert out.dtype == torch.float32
    torch.testing.assert_close(
        out,
        local_attention_gather(src.detach().float(),
                               flow.bfloat16().float(), attn, 3))
    assert (out - expected).abs().max() < 0.1  # bf16 input rounding only
    out.sum().backward()
    assert src.grad.dtype == torch.bfloat16 and src.grad.isfinite().all()


def test_block_extract_and_resample_under_cpu_autocast():
    source, flow, _ = inputs()
    with torch.autocast('cpu', dtype=torch.bfloat16):
        patches = block_extract(source.bfloat16(), flow, 3)
        warped = gaussian_resample(source, flow.bfloat16(), 4)
    assert patches.dtype == warped.dtype == torch.float32
    torch.testing.assert_close(
        patches, block_extract(source.bfloat16().float(), flow, 3))
    torch.testing.assert_close(
        warped, gaussian_resample(source, flow.bfloat16().float(), 4))


def test_outside_autocast_dtypes_must_still_agree():
    source, flow, attn = inputs()
    try:
        local_attention_gather(source, flow.double(), attn, 3)
    except TypeError as err:
        assert 'flow has dtype torch.float64' in str(err)
    else:
        raise AssertionError('mixed dtypes outside autocast must fail')
