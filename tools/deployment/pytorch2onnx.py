# Copyright (c) OpenMMLab. All rights reserved.
"""Export a GFLA generator to ONNX and check the export with onnxruntime.

The ONNX model maps (source image, source pose maps, target pose maps) to
the generated image, and with ``--outputs all`` also to the flow fields and
occlusion masks (coarse to fine). The local attention and the other
gfla_mm ops become standard ONNX operators (``GridSample`` and arithmetic,
``gfla_mm.ops.export_mode``): onnxruntime's CPU provider runs the model
with no custom-op library. After the export the tool runs onnxruntime and
PyTorch on the same random inputs, fails if they differ by more than 1e-4
(fp32), and prints both latencies. See docs/deployment.md.

Examples::

    python tools/deployment/pytorch2onnx.py \\
        configs/gfla/gfla_1xb8-1000k_deepfashion-256x256.py gfla.pth \\
        gfla_deepfashion.onnx
    # batch size chosen at run time, flows and masks as outputs too
    python tools/deployment/pytorch2onnx.py CONFIG CHECKPOINT out.onnx \\
        --dynamic-batch --outputs all
    # CHECKPOINT `none`: random weights (to try the export or time it)
    python tools/deployment/pytorch2onnx.py CONFIG none out.onnx
"""
import argparse
import os
import os.path as osp
import statistics
import sys
import time
import warnings
from typing import Dict, List, Optional, Sequence, Tuple

import numpy as np
import torch
from torch import nn

# GridSample (opset 16) with the dynamo exporter's own default opset.
OPSET = 18
TOLERANCE = 1e-4
INPUT_NAMES = ('source', 'source_pose', 'target_pose')
DEPLOY_HINT = ('pip install gfla_mm[deploy] (or: pip install onnxruntime '
               'onnx onnxscript)')
# Packages the export (onnx, onnxscript: torch's dynamo exporter) and the
# check (onnxruntime) import.
DEPLOY_PACKAGES = ('onnxruntime', 'onnx', 'onnxscript')


class ExportError(RuntimeError):
    """A problem the tool reports as ``error: ...`` (exit status 1)."""


def parse_args(argv: Optional[Sequence[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description='Export the generator of a GFLA config to ONNX and '
        'check it against PyTorch with onnxruntime.')
    parser.add_argument('config', help='GFLA config file')
    parser.add_argument(
        'checkpoint',
        help="checkpoint file, or 'none' for random weights")
    parser.add_argument('out', help='the .onnx file to write')
    parser.add_argument(
        '--shape', type=int, nargs=2, metavar=('H', 'W'),
        help="input size (default: the size of the config's test "
        'pipeline)')
    parser.add_argument(
        '--dynamic-batch', action='store_true',
        help='a batch dimension chosen at run time (checked at batch 1 and '
        '2); default: batch 1')
    parser.add_argument(
        '--outputs', choices=('image', 'all'), default='image',
        help="'image' (default), or 'all': the image, then the flows "
        '(flow0, ...) and masks (mask0, ...), coarse to fine')
    parser.add_argument(
        '--runs', type=int, default=5,
        help='timed runs per latency (the median is printed; default 5)')
    parser.add_argument('--seed', type=int, default=0,
                        help='seed of the random check inputs')
    parser.add_argument(
        '--threads', type=int,
        help="CPU threads of PyTorch and of onnxruntime's session (default: "
        "PyTorch's, i.e. $OMP_NUM_THREADS or the cores)")
    return parser.parse_args(argv)


def require_deploy_packages() -> None:
    """Fails with the install command when a deploy package is missing."""
    for name in DEPLOY_PACKAGES:
        try:
            __import__(name)
        except ImportError as exc:
            raise ExportError(
                f'{name} is not installed; the ONNX export and its check '
                f'need it: {DEPLOY_HINT}') from exc


def config_shape(cfg) -> Optional[Tuple[int, int]]:
    """(H, W) of the test pipeline's ``Resize`` (mmcv's scale is (W, H))."""
    try:
        pipeline = cfg.test_dataloader.dataset.pipeline
    except AttributeError:
        return None
    for step in pipeline:
        if step.get('type') == 'Resize' and step.get('scale'):
            w, h = step['scale']
            return int(h), int(w)
    return None


def load_generator(config: str,
                   checkpoint: str) -> Tuple[nn.Module, Optional[tuple]]:
    """The config's generator with the checkpoint's weights, on the CPU in
    eval mode (built as :class:`PoseTransferInferencer` builds the model),
    and the config's (H, W)."""
    if not osp.isfile(config):
        raise ExportError(f'config file {config} does not exist')
    weights = None if checkpoint.lower() == 'none' else checkpoint
    if weights is not None and not osp.isfile(weights):
        raise ExportError(f"checkpoint file {weights} does not exist (give "
                          "'none' for random weights)")
    from gfla_mm.apis import PoseTransferInferencer
    try:
        inferencer = PoseTransferInferencer(
            config, weights, device='cpu', show_progress=False)
    except (TypeError, ValueError, KeyError) as exc:
        raise ExportError(f'cannot build a GFLA model from {config}: '
                          f'{exc}') from exc
    return inferencer.model.generator.eval(), config_shape(inferencer.cfg)


class ExportableGenerator(nn.Module):
    """The generator with a flat tuple of outputs (ONNX has no lists): the
    image, then (``outputs='all'``) the flows and the masks."""

    def __init__(self, generator: nn.Module, outputs: str = 'image') -> None:
        super().__init__()
        self.generator = generator
        self.outputs = outputs

    def forward(self, source: torch.Tensor, source_pose: torch.Tensor,
                target_pose: torch.Tensor) -> Tuple[torch.Tensor, ...]:
        image, flows, masks = self.generator(source, source_pose,
                                             target_pose)
        if self.outputs == 'image':
            return (image, )
        return (image, *flows, *masks)


def output_names(generator: nn.Module, outputs: str) -> List[str]:
    """``image`` [, ``flow0``.., ``mask0``..] for ``outputs='all'``."""
    if outputs == 'image':
        return ['image']
    flow_net = getattr(generator, 'flow_net', None)
    levels = len(flow_net.attn_layers) if flow_net is not None else 0
    return (['image'] + [f'flow{i}' for i in range(levels)] +
            [f'mask{i}' for i in range(levels)])


def random_inputs(batch: int, shape: Tuple[int, int], pose_channels: int,
                  seed: int) -> Tuple[torch.Tensor, ...]:
    """A source image in [-1, 1] and pose maps in [0, 1]."""
    gen = torch.Generator().manual_seed(seed)
    h, w = shape
    return (torch.rand(batch, 3, h, w, generator=gen) * 2 - 1,
            torch.rand(batch, pose_channels, h, w, generator=gen),
            torch.rand(batch, pose_channels, h, w, generator=gen))


def pose_channels_of(generator: nn.Module) -> int:
    """Channels of one pose map: the target encoder's first conv sees them
    (the Baseline's, which has no source encoder, sees image + both)."""
    first = generator.target.block0.model[2]
    if hasattr(generator, 'source'):
        return first.in_channels
    return (first.in_channels - 3) // 2


def export_onnx(model: ExportableGenerator, example: Tuple[torch.Tensor, ...],
                out: str, names: List[str], dynamic_batch: bool) -> None:
    """``torch.onnx.export`` with the dynamo exporter, opset :data:`OPSET`,
    one self-contained file."""
    dynamic_shapes = None
    if dynamic_batch:
        batch = torch.export.Dim('batch', min=1, max=1024)
        dynamic_shapes = tuple({0: batch} for _ in INPUT_NAMES)
    os.makedirs(osp.dirname(osp.abspath(out)), exist_ok=True)
    with torch.no_grad(), warnings.catch_warnings():
        # torch.export's and onnxscript's notes about the traced code.
        warnings.simplefilter('ignore')
        torch.onnx.export(
            model,
            example,
            out,
            dynamo=True,
            opset_version=OPSET,
            input_names=list(INPUT_NAMES),
            output_names=names,
            dynamic_shapes=dynamic_shapes,
            external_data=False,
            verbose=False)


def custom_domain_nodes(model) -> List[str]:
    """``domain::op`` of every node outside the default ONNX domain, in the
    graph, its subgraphs and its local functions."""
    found = []

    def visit(nodes):
        for node in nodes:
            if node.domain not in ('', 'ai.onnx'):
                found.append(f'{node.domain}::{node.op_type}')
            for attr in node.attribute:
                for graph in [attr.g] + list(attr.graphs):
                    visit(graph.node)

    visit(model.graph.node)
    for function in model.functions:
        found.append(f'{function.domain}::{function.name} (function)')
        visit(function.node)
    return found


def check_graph(path: str, dynamic_batch: bool) -> dict:
    """Loads the ONNX file: standard operators only, the batch axis as
    asked. Returns counts for the summary."""
    import onnx
    model = onnx.load(path)
    onnx.checker.check_model(model)
    custom = custom_domain_nodes(model)
    if custom:
        raise ExportError(
            f'{path} has nodes outside the standard ONNX domain, which '
            f'onnxruntime cannot run without a custom-op library: '
            f'{sorted(set(custom))}')
    for value in model.graph.input:
        dim = value.type.tensor_type.shape.dim[0]
        if dynamic_batch and not dim.dim_param:
            raise ExportError(
                f'input {value.name} has a fixed batch size '
                f'({dim.dim_value}) although --dynamic-batch was given: '
                'the exported code fixed it')
    opset = {o.domain: o.version for o in model.opset_import}.get('')
    return dict(
        nodes=len(model.graph.node),
        op_types=sorted({n.op_type for n in model.graph.node}),
        opset=opset)


def median_ms(fn, runs: int) -> float:
    fn()  # warm-up
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def compare(session, model: nn.Module, inputs: Tuple[torch.Tensor, ...],
            names: List[str]) -> Dict[str, float]:
    """max |onnxruntime - PyTorch| per output (PyTorch: the compiled
    ops)."""
    with torch.no_grad():
        expected = model(*inputs)
    feed = {n: t.numpy() for n, t in zip(INPUT_NAMES, inputs)}
    got = session.run(names, feed)
    diffs = {}
    for name, exp, out in zip(names, expected, got):
        if tuple(out.shape) != tuple(exp.shape):
            raise ExportError(f'onnxruntime output {name} has shape '
                              f'{tuple(out.shape)}, PyTorch '
                              f'{tuple(exp.shape)}')
        diffs[name] = float(np.abs(out - exp.numpy()).max())
    return diffs


def check_agreement(per_output: Dict[str, float], batch: int,
                    path: str) -> float:
    """Prints the differences; fails above :data:`TOLERANCE`. Returns the
    largest."""
    worst = max(per_output.values())
    detail = ', '.join(f'{k} {v:.2e}' for k, v in per_output.items())
    print(f'batch {batch}: max |onnxruntime - PyTorch| = {worst:.2e} '
          f'({detail}; tolerance {TOLERANCE:g})')
    if not worst <= TOLERANCE:  # NaN fails too
        raise ExportError(
            f'onnxruntime and PyTorch differ by {worst:.2e} at batch '
            f'{batch}, more than the fp32 tolerance {TOLERANCE:g} '
            f'({detail}): {path} does not compute what the PyTorch '
            'generator computes')
    return worst


def run(args: argparse.Namespace) -> dict:
    """Export, check and time; returns what it printed, as numbers."""
    require_deploy_packages()
    import onnxruntime as ort
    if args.runs < 1:
        raise ExportError(f'--runs must be >= 1, got {args.runs}')
    if args.threads is not None:
        if args.threads < 1:
            raise ExportError(f'--threads must be >= 1, got {args.threads}')
        torch.set_num_threads(args.threads)
    generator, default_shape = load_generator(args.config, args.checkpoint)
    shape = tuple(args.shape) if args.shape else default_shape
    if shape is None:
        raise ExportError(f'{args.config} has no Resize in its test '
                          'pipeline to take the input size from: give '
                          '--shape H W')
    if min(shape) < 1:
        raise ExportError(f'--shape must be positive, got {shape}')
    model = ExportableGenerator(generator, args.outputs).eval()
    names = output_names(generator, args.outputs)
    channels = pose_channels_of(generator)
    # A batch of 1 would be specialised by torch.export even with a
    # dynamic dimension: a dynamic export traces batch 2.
    example = random_inputs(2 if args.dynamic_batch else 1, shape, channels,
                            args.seed)
    try:
        with torch.no_grad():
            model(*example)
    except (RuntimeError, ValueError) as exc:
        raise ExportError(f'the generator does not run at {shape[0]}x'
                          f'{shape[1]}: {exc}') from exc

    start = time.perf_counter()
    export_onnx(model, example, args.out, names, args.dynamic_batch)
    export_s = time.perf_counter() - start
    graph = check_graph(args.out, args.dynamic_batch)
    size_mb = osp.getsize(args.out) / 2**20
    print(f'exported {type(generator).__name__} at {shape[0]}x{shape[1]} '
          f'to {args.out} ({size_mb:.1f} MiB, opset {graph["opset"]}, '
          f'{graph["nodes"]} nodes, standard ONNX operators only; '
          f'{export_s:.1f} s)')
    print(f'inputs: {", ".join(INPUT_NAMES)}; outputs: {", ".join(names)}'
          f'; batch: {"dynamic" if args.dynamic_batch else 1}')

    threads = torch.get_num_threads()
    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    session = ort.InferenceSession(
        args.out, options, providers=['CPUExecutionProvider'])
    batches = (1, 2) if args.dynamic_batch else (1, )
    diffs = {}
    for batch in batches:
        inputs = random_inputs(batch, shape, channels, args.seed + batch)
        diffs[batch] = check_agreement(
            compare(session, model, inputs, names), batch, args.out)

    inputs = random_inputs(1, shape, channels, args.seed + 1)
    feed = {n: t.numpy() for n, t in zip(INPUT_NAMES, inputs)}
    with torch.no_grad():
        torch_ms = median_ms(lambda: model(*inputs), args.runs)
    ort_ms = median_ms(lambda: session.run(names, feed), args.runs)
    print(f'latency at batch 1, fp32, {threads} CPU thread(s), median of '
          f'{args.runs}: PyTorch {torch_ms:.1f} ms, onnxruntime '
          f'{ort_ms:.1f} ms')
    return dict(
        out=args.out,
        shape=shape,
        outputs=names,
        max_abs_diff=diffs,
        pytorch_ms=torch_ms,
        onnxruntime_ms=ort_ms,
        export_s=export_s,
        threads=threads,
        **graph)


def main(argv: Optional[Sequence[str]] = None) -> int:
    args = parse_args(argv)
    try:
        run(args)
    except ExportError as exc:
        print(f'error: {exc}', file=sys.stderr)
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main())
