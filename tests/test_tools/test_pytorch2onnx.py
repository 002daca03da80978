# Copyright (c) OpenMMLab. All rights reserved.
"""tools/deployment/pytorch2onnx.py: the synthetic demo generator exported,
run by onnxruntime (standard operators only) and equal to PyTorch."""
import importlib.util
import json
import os.path as osp
import re
import sys

import cv2
import numpy as np
import onnx
import onnxruntime as ort
import pytest
import torch
from mmengine.config import Config
from mmengine.registry import DefaultScope

from gfla_mm.registry import MODELS

REPO_ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
TOOL = osp.join(REPO_ROOT, 'tools', 'deployment', 'pytorch2onnx.py')
CONFIG = osp.join(REPO_ROOT, 'configs', 'gfla', 'gfla_synthetic_demo.py')


@pytest.fixture(scope='module')
def tool():
    spec = importlib.util.spec_from_file_location('pytorch2onnx', TOOL)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope='module')
def trained(tmp_path_factory):
    """A demo GFLA with random (non-initial) weights saved as a checkpoint;
    (checkpoint path, its generator)."""
    cfg = Config.fromfile(CONFIG)
    cfg.model.flow_init = None
    cfg.model.vgg.pretrained = None
    with DefaultScope.overwrite_default_scope('mmagic'):
        torch.manual_seed(0)
        model = MODELS.build(cfg.model)
    model.init_weights()
    with torch.no_grad():
        for p in model.parameters():
            p.add_(torch.randn_like(p) * 0.05)
    path = str(tmp_path_factory.mktemp('ckpt') / 'demo.pth')
    torch.save({'state_dict': model.state_dict(), 'meta': {}}, path)
    return path, model.generator.eval()


def pose_inputs(batch, h, w, seed):
    gen = torch.Generator().manual_seed(seed)
    return (torch.rand(batch, 3, h, w, generator=gen) * 2 - 1,
            torch.rand(batch, 18, h, w, generator=gen),
            torch.rand(batch, 18, h, w, generator=gen))


def test_dynamic_batch_all_outputs(tool, trained, tmp_path, capsys):
    ckpt, generator = trained
    out = str(tmp_path / 'demo.onnx')
    assert tool.main([
        CONFIG, ckpt, out, '--shape', '64', '64', '--dynamic-batch',
        '--outputs', 'all', '--runs', '2'
    ]) == 0
    printed = capsys.readouterr().out
    assert 'standard ONNX operators only' in printed
    assert 'batch 1: max |onnxruntime - PyTorch|' in printed
    assert 'batch 2: max |onnxruntime - PyTorch|' in printed
    assert 'PyTorch' in printed.splitlines()[-1]
    assert 'onnxruntime' in printed.splitlines()[-1]

    model = onnx.load(out)
    domains = {n.domain for n in model.graph.node}
    assert domains <= {'', 'ai.onnx'}, domains
    assert not model.functions
    assert 'GridSample' in {n.op_type for n in model.graph.node}
    assert [o.version for o in model.opset_import if o.domain == ''] == [18]
    assert [i.name for i in model.graph.input] == [
        'source', 'source_pose', 'target_pose'
    ]
    names = ['image', 'flow0', 'flow1', 'flow2', 'mask0', 'mask1', 'mask2']
    assert [o.name for o in model.graph.output] == names
    assert model.graph.input[0].type.tensor_type.shape.dim[0].dim_param

    # A batch size the tool did not check, against the checkpoint's
    # generator with the compiled ops.
    inputs = pose_inputs(3, 64, 64, seed=5)
    session = ort.InferenceSession(out, providers=['CPUExecutionProvider'])
    got = session.run(None, dict(zip(tool.INPUT_NAMES,
                                     (t.numpy() for t in inputs))))
    with torch.no_grad():
        image, flows, masks = generator(*inputs)
    for name, exp, res in zip(names, [image, *flows, *masks], got):
        assert res.shape == tuple(exp.shape), name
        np.testing.assert_allclose(res, exp.numpy(), rtol=0, atol=1e-4,
                                   err_msg=name)
    # The flows are not trivial: the check covers the sampling.
    assert max(f.abs().max().item() for f in flows) > 0.05


def deployment_snippet() -> str:
    with open(osp.join(REPO_ROOT, 'docs', 'deployment.md'),
              encoding='utf-8') as f:
        blocks = re.findall(r'```python\n(.*?)```', f.read(), flags=re.S)
    return next(b for b in blocks if 'ort.InferenceSession' in b)


def test_static_image_only_and_the_docs_snippet(tool, trained, tmp_path):
    ckpt, _ = trained
    out = str(tmp_path / 'static.onnx')
    result = tool.run(tool.parse_args([CONFIG, ckpt, out, '--runs', '1']))
    assert result['shape'] == (64, 64)  # the config's test pipeline
    assert result['outputs'] == ['image']
    assert set(result['max_abs_diff']) == {1}
    assert result['max_abs_diff'][1] <= 1e-4
    assert result['pytorch_ms'] > 0 and result['onnxruntime_ms'] > 0
    session = ort.InferenceSession(out, providers=['CPUExecutionProvider'])
    assert [o.name for o in session.get_outputs()] == ['image']
    assert session.get_inputs()[0].shape == [1, 3, 64, 64]

    # docs/deployment.md's snippet on a photo and two poses, against the
    # inferencer's own result.
    rng = np.random.default_rng(0)
    photo = str(tmp_path / 'person.png')
    cv2.imwrite(photo, rng.integers(0, 256, (96, 80, 3), dtype=np.uint8))
    poses = {}
    for name in ('person', 'pose'):
        kps = np.stack([rng.uniform(5, 75, 18), rng.uniform(5, 90, 18)], 1)
        kps[3] = -1  # a missing joint
        poses[name] = str(tmp_path / f'{name}.json')
        with open(poses[name], 'w') as f:
            json.dump(kps.tolist(), f)
    snippet = deployment_snippet()
    for old, new in [
        ('configs/gfla/gfla_1xb8-1000k_deepfashion-256x256.py', CONFIG),
        ('gfla_deepfashion.pth', ckpt), ('gfla_deepfashion.onnx', out),
        ('person.jpg', photo), ('pose.json', poses['pose']),
        ('person.json', poses['person'])
    ]:
        assert f"'{old}'" in snippet, old
        snippet = snippet.replace(f"'{old}'", repr(new))
    scope = {}
    exec(compile(snippet, 'docs/deployment.md', 'exec'), scope)
    expected = scope['inferencer'](
        photo, poses['pose'],
        source_pose=poses['person'])['predictions'][0]['pred_img']
    assert scope['bgr'].shape == expected.shape == (64, 64, 3)
    assert scope['bgr'].dtype == np.uint8
    diff = np.abs(scope['bgr'].astype(int) - expected.astype(int)).max()
    assert diff <= 1, diff


@pytest.mark.parametrize('case', [
    'config', 'checkpoint', 'onnxruntime', 'shape', 'size'
])
def test_clear_errors(tool, tmp_path, monkeypatch, capsys, case):
    out = str(tmp_path / 'x.onnx')
    args = [CONFIG, 'none', out]
    if case == 'config':
        args[0], expected = 'missing.py', 'config file missing.py does not'
    elif case == 'checkpoint':
        args[1], expected = 'missing.pth', 'checkpoint file missing.pth does'
    elif case == 'onnxruntime':
        monkeypatch.setitem(sys.modules, 'onnxruntime', None)
        expected = 'pip install gfla_mm[deploy]'
    elif case == 'shape':
        args += ['--shape', '0', '8']
        expected = '--shape must be positive'
    else:
        args += ['--shape', '20', '20']
        expected = 'the generator does not run at 20x20'
    assert tool.main(args) == 1
    err = capsys.readouterr().err
    assert err.startswith('error: ') and expected in err, err
    assert not osp.exists(out)


def test_disagreement_fails(tool, capsys):
    assert tool.check_agreement({'image': 3e-6}, 1, 'a.onnx') == 3e-6
    with pytest.raises(tool.ExportError, match='differ by 2.00e-03 at batch '
                       '2, more than the fp32 tolerance 0.0001'):
        tool.check_agreement({'image': 1e-6, 'flow0': 2e-3}, 2, 'a.onnx')
    with pytest.raises(tool.ExportError):
        tool.check_agreement({'image': float('nan')}, 1, 'a.onnx')
    assert 'flow0 2.00e-03' in capsys.readouterr().out


def test_custom_domain_nodes_are_refused(tool, tmp_path):
    helper = onnx.helper
    node = helper.make_node('LocalAttentionGather', ['x'], ['y'],
                            domain='gfla_mm')
    graph = helper.make_graph(
        [node], 'g',
        [helper.make_tensor_value_info('x', onnx.TensorProto.FLOAT, [1])],
        [helper.make_tensor_value_info('y', onnx.TensorProto.FLOAT, [1])])
    model = helper.make_model(graph, opset_imports=[
        helper.make_opsetid('', 18), helper.make_opsetid('gfla_mm', 1)])
    assert tool.custom_domain_nodes(model) == ['gfla_mm::LocalAttentionGather']
    path = str(tmp_path / 'custom.onnx')
    onnx.save(model, path)
    with pytest.raises(tool.ExportError, match='outside the standard ONNX '
                       'domain'):
        tool.check_graph(path, dynamic_batch=False)


def test_checkpoint_none_means_random_weights(tool):
    generator, shape = tool.load_generator(CONFIG, 'none')
    assert shape == (64, 64)
    assert not generator.training
    assert tool.output_names(generator, 'all') == [
        'image', 'flow0', 'flow1', 'flow2', 'mask0', 'mask1', 'mask2'
    ]
    assert tool.pose_channels_of(generator) == 18
