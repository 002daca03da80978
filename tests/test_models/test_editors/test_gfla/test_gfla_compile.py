# Copyright (c) OpenMMLab. All rights reserved.
"""The generator under torch.compile and torch.export (issue #13): the ops
are torch custom ops, so dynamo traces the whole generator in one graph."""
import pytest
import torch

from gfla_mm.models.editors.gfla.gfla_generator import GFLAGenerator
from gfla_mm.ops import library

pytestmark = pytest.mark.skipif(
    not library.CUSTOM_OPS, reason='torch.library.custom_op needs torch 2.4')

GFLA_OPS = ('gfla_mm.block_extract.default',
            'gfla_mm.local_attention_gather.default')


def demo_generator():
    """The demo config's narrow generator (three attended levels)."""
    torch.manual_seed(0)
    return GFLAGenerator(
        base_channels=8,
        max_channels=16,
        attn_kernel_sizes={3: 3, 2: 5, 1: 3},
        flow_cfg=dict(base_channels=8, max_channels=16))


def generator_inputs(b=2, size=64):
    gen = torch.Generator().manual_seed(1)
    return (torch.randn(b, 3, size, size, generator=gen),
            torch.randn(b, 18, size, size, generator=gen),
            torch.randn(b, 18, size, size, generator=gen))


def test_one_graph_in_training_and_compiled_gradients_match():
    model = demo_generator()
    x = generator_inputs()
    explanation = torch._dynamo.explain(model)(*x)
    assert explanation.graph_break_count == 0, explanation.break_reasons
    compiled = torch.compile(model, backend='aot_eager', fullgraph=True)
    compiled(*x)[0].square().mean().backward()
    compiled_grads = [p.grad.clone() for p in model.parameters()]
    model.zero_grad()
    model(*x)[0].square().mean().backward()
    for got, exp in zip(compiled_grads, (p.grad for p in model.parameters())):
        torch.testing.assert_close(got, exp, rtol=1e-5, atol=1e-7)


def test_export_captures_the_whole_generator():
    model = demo_generator().eval()
    x = generator_inputs(b=1)
    program = torch.export.export(model, x)
    targets = [str(n.target) for n in program.graph.nodes]
    # One gather and one patch extraction per attended level.
    for op in GFLA_OPS:
        assert targets.count(op) == 3, targets
    image, flows, masks = program.module()(*x)
    ref_image, ref_flows, ref_masks = model(*x)
    torch.testing.assert_close(image, ref_image, rtol=0, atol=1e-6)
    assert len(flows) == len(ref_flows) == 3 and len(masks) == 3
