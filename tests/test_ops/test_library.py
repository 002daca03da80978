# Copyright (c) OpenMMLab. All rights reserved.
"""The ops as torch custom ops: registered, opcheck-clean, traced by dynamo
without graph breaks, and the same as the torch < 2.4 Function path."""
import pytest
import torch

from gfla_mm.ops import library
from gfla_mm.ops.block_extract import BlockExtractFunction, block_extract
from gfla_mm.ops.gaussian_resample import (
    GaussianResampleFunction,
    gaussian_resample,
)
from gfla_mm.ops.local_attention_gather import (
    LocalAttentionGatherFunction,
    local_attention_gather,
)

from .op_utils import make_flow, rand

pytestmark = pytest.mark.skipif(
    not library.CUSTOM_OPS, reason='torch.library.custom_op needs torch 2.4')


def inputs(dtype=torch.float64, k=3):
    source = rand(2, 5, 6, 7, dtype=dtype).requires_grad_()
    flow = make_flow(2, 6, 7, spread=3, seed=1, dtype=dtype).requires_grad_()
    attn = torch.softmax(rand(2, k * k, 6, 7, seed=2), 1).to(dtype)
    return source, flow, attn.requires_grad_()


def calls():
    source, flow, attn = inputs()
    return {
        'local_attention_gather': (source, flow, attn, 3),
        'block_extract': (source, flow, 3),
        'gaussian_resample': (source, flow, 4, 1, 2.0),
    }


@pytest.mark.parametrize('name', sorted(calls()))
def test_registered_and_opcheck(name):
    op = getattr(torch.ops.gfla_mm, name).default
    # Schema, fake tensors, autograd registration, dispatch consistency.
    torch.library.opcheck(op, calls()[name])
    assert hasattr(torch.ops.gfla_mm, f'{name}_backward')


def test_ops_dispatch_to_the_custom_ops():
    source, flow, attn = inputs()
    graph = torch.fx.experimental.proxy_tensor.make_fx(
        lambda s, f, a: local_attention_gather(s, f, a, 3))(source, flow,
                                                            attn)
    targets = [str(n.target) for n in graph.graph.nodes]
    assert 'gfla_mm.local_attention_gather.default' in targets, targets


def test_no_graph_breaks_at_the_ops():
    def fn(source, flow, attn):
        return (local_attention_gather(source, flow, attn, 3).sum() +
                block_extract(source, flow, 3).sum() +
                gaussian_resample(source, flow).sum())

    explanation = torch._dynamo.explain(fn)(*inputs())
    assert explanation.graph_break_count == 0, explanation.break_reasons
    assert explanation.graph_count == 1


@pytest.mark.parametrize('only', [(True, True, True), (False, True, False)])
def test_same_as_the_function_path(only):
    """The custom ops and the autograd Functions (torch < 2.4) agree on
    outputs and on whichever gradients are asked for."""
    pairs = [
        (lambda s, f, a: local_attention_gather(s, f, a, 3),
         lambda s, f, a: LocalAttentionGatherFunction.apply(s, f, a, 3), 3),
        (lambda s, f: block_extract(s, f, 3),
         lambda s, f: BlockExtractFunction.apply(s, f, 3), 2),
        (lambda s, f: gaussian_resample(s, f),
         lambda s, f: GaussianResampleFunction.apply(s, f, 4, 1, 2.0), 2),
    ]
    for custom, function, n in pairs:
        results = []
        for fn in (custom, function):
            xs = [t.detach().requires_grad_(w)
                  for t, w in zip(inputs(), only)][:n]
            out = fn(*xs)
            wanted = [x for x in xs if x.requires_grad]
            results.append([out] + list(
                torch.autograd.grad(out, wanted, torch.ones_like(out))))
        for a, b in zip(*results):
            torch.testing.assert_close(a, b, rtol=0, atol=0)


def test_half_precision_backward_runs_in_float32():
    """As the Function path: gradients come back in the input dtype."""
    source, flow, attn = inputs(torch.float32)
    xs = [t.detach().bfloat16().requires_grad_() for t in (source, flow,
                                                            attn)]
    with torch.autocast('cpu', dtype=torch.bfloat16):
        out = local_attention_gather(*xs, 3)
    assert out.dtype == torch.float32  # CPU kernels run in float32
    grads = torch.autograd.grad(out.sum(), xs)
    assert [g.dtype for g in grads] == [torch.bfloat16] * 3
