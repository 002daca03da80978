# Copyright (c) OpenMMLab. All rights reserved.
"""Export mode: the ops as standard ONNX operators, run by onnxruntime's CPU
provider and equal to the compiled ops (flows reaching outside the image
included)."""
import sys

import numpy as np
import onnx
import onnxruntime as ort
import pytest
import torch
from torch import nn

from gfla_mm.ops import (
    block_extract,
    export_mode,
    is_exporting,
    local_attention,
    local_attention_gather,
    resolve_backend,
)

from .op_utils import make_flow, rand


def test_export_mode_selects_the_reference():
    assert not is_exporting()
    assert resolve_backend(None) == 'ext'
    with export_mode():
        assert is_exporting()
        with export_mode():
            assert resolve_backend('ext') == 'reference'
        assert is_exporting()
    assert not is_exporting()
    assert resolve_backend('ext') == 'ext'
    with pytest.raises(ValueError, match='backend must be one of'):
        with export_mode():
            resolve_backend('cuda')


@pytest.mark.parametrize('k', [3, 5])
def test_export_formulation_equals_the_compiled_block(monkeypatch, k):
    """Export mode's local attention (the taps sampled once, shared by the
    logits and the gather) is the compiled block, in float64."""
    c, m = 3, 4
    source, flow, _ = inputs(2, c, 6, 7, k, seed=k)
    source, flow = source.double(), flow.double()
    target = rand(2, c, 6, 7, seed=11)
    weights = (rand(m, 2 * c, k, k, seed=12), rand(m, seed=13),
               rand(k * k, m, 1, 1, seed=14), rand(k * k, seed=15))
    expected = local_attention(source, target, flow, *weights, k)

    def no_ext():
        raise AssertionError('the compiled op ran in export mode')

    for name in ('block_extract', 'local_attention_gather'):
        monkeypatch.setattr(sys.modules[f'gfla_mm.ops.{name}'], 'load_ext',
                            no_ext)
    with export_mode():
        got = local_attention(source, target, flow, *weights, k)
    torch.testing.assert_close(got, expected, rtol=0, atol=1e-12)


class Op(nn.Module):

    def __init__(self, fn):
        super().__init__()
        self.fn = fn

    def forward(self, x0, x1, x2=None):
        return self.fn(*(x for x in (x0, x1, x2) if x is not None))


def export_and_run(fn, example, inputs, tmp_path, dynamic=False):
    """ONNX export of ``fn`` (dynamo exporter, opset 18) run on ``inputs``
    by onnxruntime; the model's graph for inspection."""
    path = str(tmp_path / 'op.onnx')
    names = [f'x{i}' for i in range(len(example))]
    shapes = None
    if dynamic:
        batch = torch.export.Dim('batch', min=1, max=64)
        shapes = tuple({0: batch} for _ in example)
    with torch.no_grad():
        torch.onnx.export(
            Op(fn).eval(), example, path, dynamo=True, opset_version=18,
            input_names=names, dynamic_shapes=shapes, external_data=False,
            verbose=False)
    model = onnx.load(path)
    session = ort.InferenceSession(path, providers=['CPUExecutionProvider'])
    out = session.run(None, {n: t.numpy() for n, t in zip(names, inputs)})
    return out[0], model


def assert_standard(model, *required):
    ops = {(n.domain, n.op_type) for n in model.graph.node}
    assert {d for d, _ in ops} <= {'', 'ai.onnx'}, ops
    assert not model.functions
    for op in required:
        assert ('', op) in ops, ops


def inputs(b, c, h, w, k, seed):
    source = rand(b, c, h, w, seed=seed, dtype=torch.float32)
    # Up to 2 images' sizes outside, and exact integer sample points.
    flow = make_flow(b, h, w, spread=2 * max(h, w), seed=seed + 1,
                     dtype=torch.float32)
    flow[:, :, ::3] = flow[:, :, ::3].round()
    attn = torch.softmax(rand(b, k * k, h, w, seed=seed + 2), 1).float()
    return source, flow, attn


# The generator's ops: the gather (local attention; k = 1 is the Bi-Sample
# ablation's bilinear warp) and the patch extraction (local attention).
# gaussian_resample serves a training loss only.
@pytest.mark.parametrize('op,k', [('gather', 3), ('gather', 1),
                                  ('block_extract', 3)])
def test_op_runs_in_onnxruntime(tmp_path, op, k):
    source, flow, attn = inputs(2, 4, 7, 9, k, seed=k)
    if op == 'gather':
        def fn(s, f, a):
            return local_attention_gather(s, f, a, k)
        args = (source, flow, attn)
    else:
        def fn(s, f):
            return block_extract(s, f, k)
        args = (source, flow)
    got, model = export_and_run(fn, args, args, tmp_path)
    assert_standard(model, 'GridSample')
    expected = fn(*args)  # the compiled op
    np.testing.assert_allclose(got, expected.numpy(), rtol=0, atol=1e-5)


def test_local_attention_block_dynamic_batch(tmp_path):
    """The whole block with per-sample patch chunks (the default): exported
    at batch 2, run at batch 3."""
    torch.manual_seed(0)
    c, k, m = 4, 5, 6
    hidden = nn.Conv2d(2 * c, m, k, stride=k)
    out = nn.Conv2d(m, k * k, 1)

    def fn(s, t, f):
        return local_attention(s, t, f, hidden.weight, hidden.bias,
                               out.weight, out.bias, k, patch_chunk=1)

    example = inputs(2, c, 6, 5, k, seed=3)[:2]
    example = (example[0], example[0].flip(1), example[1])
    run = inputs(3, c, 6, 5, k, seed=4)[:2]
    run = (run[0], rand(3, c, 6, 5, seed=9, dtype=torch.float32), run[1])
    got, model = export_and_run(fn, example, run, tmp_path, dynamic=True)
    assert_standard(model, 'GridSample', 'Conv', 'Softmax')
    assert model.graph.input[0].type.tensor_type.shape.dim[0].dim_param
    with torch.no_grad():
        expected = fn(*run)
    np.testing.assert_allclose(got, expected.numpy(), rtol=0, atol=1e-5)
