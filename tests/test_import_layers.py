# Copyright (c) OpenMMLab. All rights reserved.
"""The one-way import graph of docs/architecture.md, enforced.

Two checks: a static one over every ``import`` statement in the package
(function-level ones too), and a dynamic one that imports each layer in a
fresh interpreter with every layer above it blocked.
"""
import ast
import os.path as osp
import pkgutil
import subprocess
import sys
from typing import Iterator, Optional, Tuple

import pytest

import gfla_mm

PKG = osp.dirname(gfla_mm.__file__)
ROOT = osp.dirname(PKG)
# Lower numbers lie lower; a module may import from a strictly lower layer
# and from its own subpackage only.
LAYERS = {
    'ops': 0,
    'utils': 0,
    'version': 0,
    'registry': 1,
    'engine': 2,
    'models': 3,
    'datasets': 4,
    'evaluation': 4,
    'visualization': 4,
    'apis': 5,
}
MM_STACK = ('mmcv', 'mmengine', 'mmagic', 'mmpose', 'mmdet')
TORCH_ONLY = ('ops', 'utils')


def _modules() -> Iterator[Tuple[str, str]]:
    """(dotted name, file) of every module of the package."""
    for info in pkgutil.walk_packages([PKG], 'gfla_mm.'):
        spec = info.module_finder.find_spec(info.name)
        if spec is not None and spec.origin and spec.origin.endswith('.py'):
            yield info.name, spec.origin


def _imports(name: str, path: str) -> Iterator[Tuple[str, int]]:
    """(absolute module imported, line) of every import in a file."""
    is_pkg = path.endswith('__init__.py')
    package = name if is_pkg else name.rpartition('.')[0]
    with open(path, encoding='utf-8') as f:
        tree = ast.parse(f.read(), path)
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split('.')
                base = base[:len(base) - node.level + 1]
                target = '.'.join(base + ([node.module] if node.module else
                                          []))
            else:
                target = node.module or ''
            yield target, node.lineno
            for alias in node.names:  # `from gfla_mm import models`
                if target == 'gfla_mm':
                    yield f'gfla_mm.{alias.name}', node.lineno


def _layer(module: str) -> Optional[str]:
    parts = module.split('.')
    return parts[1] if parts[0] == 'gfla_mm' and len(parts) > 1 else None


def test_every_subpackage_has_a_layer():
    names = {_layer(n) for n, _ in _modules()} - {'_ext'}
    assert names <= set(LAYERS), sorted(names - set(LAYERS))


def test_no_upward_or_sideways_import():
    found = []
    for name, path in _modules():
        src = _layer(name)
        if src is None:  # gfla_mm/__init__ sits on top of every layer
            continue
        for target, line in _imports(name, path):
            dst = _layer(target)
            if dst is None or dst == src or dst == '_ext':
                continue
            if LAYERS[dst] >= LAYERS[src]:
                found.append(f'{osp.relpath(path, ROOT)}:{line} ({src}, '
                             f'layer {LAYERS[src]}) imports {target} '
                             f'(layer {LAYERS[dst]})')
    assert not found, 'imports against the layers:\n' + '\n'.join(found)


def test_torch_only_layers_import_no_mm_package():
    found = [
        f'{osp.relpath(path, ROOT)}:{line} imports {target}'
        for name, path in _modules() if _layer(name) in TORCH_ONLY
        for target, line in _imports(name, path)
        if target.split('.')[0] in MM_STACK
    ]
    assert not found, '\n'.join(found)


def test_mmpose_is_imported_where_used_only():
    # At module level anywhere, mmpose would be needed by `import gfla_mm`.
    found = []
    for name, path in _modules():
        with open(path, encoding='utf-8') as f:
            tree = ast.parse(f.read(), path)
        for node in tree.body:
            mods = ([a.name for a in node.names] if isinstance(
                node, ast.Import) else [node.module or ''] if isinstance(
                    node, ast.ImportFrom) else [])
            found += [f'{osp.relpath(path, ROOT)}:{node.lineno}'
                      for m in mods if m.split('.')[0] == 'mmpose']
    assert not found, found


def _run(code: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, '-c', code], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)


# Imports a layer and all its modules without running gfla_mm/__init__ (it
# imports every registering layer), with the layers above it blocked.
LAYER_PROBE = """
import importlib, pkgutil, sys, types
pkg = types.ModuleType('gfla_mm')
pkg.__path__ = [{pkg!r}]
sys.modules['gfla_mm'] = pkg
for name in {blocked!r}:
    sys.modules[name] = None
root = importlib.import_module('gfla_mm.{layer}')
for info in pkgutil.walk_packages(getattr(root, '__path__', []),
                                  'gfla_mm.{layer}.'):
    importlib.import_module(info.name)
"""


@pytest.mark.parametrize('layer', sorted(LAYERS))
def test_layer_imports_with_the_layers_above_blocked(layer):
    blocked = [f'gfla_mm.{n}' for n, lv in LAYERS.items()
               if lv >= LAYERS[layer] and n != layer]
    if layer in TORCH_ONLY:
        blocked += [*MM_STACK, 'cv2']
    proc = _run(LAYER_PROBE.format(pkg=PKG, blocked=blocked, layer=layer))
    assert proc.returncode == 0, proc.stderr[-3000:]


def test_ops_and_utils_work_with_torch_alone():
    """``import gfla_mm.ops`` runs the real gfla_mm/__init__; with the mm*
    stack and OpenCV absent (the GPU benchmark machines) the torch-only
    layers import and the package says what the others need."""
    code = (
        'import sys\n'
        f'sys.modules.update(dict.fromkeys({(*MM_STACK, "cv2")!r}))\n'
        'import torch\nimport gfla_mm.ops as ops\nimport gfla_mm\n'
        'from gfla_mm.utils import flow_to_color, rescale_keypoints\n'
        'x = torch.randn(1, 2, 4, 4)\n'
        'w = torch.ones(1, 1, 4, 4)\n'
        'out = ops.local_attention_gather(x, torch.zeros(1, 2, 4, 4), w, 1)\n'
        'assert torch.equal(out, x)\n'
        'assert gfla_mm.missing_stack() == "mmengine"\n'
        'try:\n    gfla_mm.models\n'
        'except ImportError as exc:\n    print(exc)\n'
        'else:\n    raise SystemExit("gfla_mm.models did not fail")\n')
    proc = _run(code)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert 'gfla_mm.models needs mmengine' in proc.stdout


def test_package_import_registers_without_mmpose():
    code = ('import sys\nsys.modules["mmpose"] = None\nimport gfla_mm\n'
            'from mmagic.registry import MODELS, TRANSFORMS\n'
            'assert MODELS.get("GFLA") is not None\n'
            'assert TRANSFORMS.get("PoseToHeatmap") is not None\n'
            'import gfla_mm.apis\n'
            'from gfla_mm.datasets.transforms import mmpose_pose_heatmaps\n'
            'try:\n    mmpose_pose_heatmaps([[1, 1]] * 18, (8, 8))\n'
            'except ImportError as exc:\n    print(exc)\n'
            'else:\n    raise SystemExit("no ImportError")\n')
    proc = _run(code)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert 'needs mmpose' in proc.stdout
    assert 'pip install --no-deps mmpose==' in proc.stdout
