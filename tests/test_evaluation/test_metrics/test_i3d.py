# Copyright (c) OpenMMLab. All rights reserved.
import pytest
import torch

from gfla_mm.evaluation import InceptionI3d, build_i3d
from gfla_mm.utils.weights import file_sha256


@pytest.fixture(scope='module')
def i3d():
    torch.manual_seed(0)
    return build_i3d(random_weights=True)


def test_sixteen_frame_clip_gives_400_logits(i3d, monkeypatch):
    # Batch 1, 16x224x224: one trunk pass, 1-5 s on 2 CPU cores.
    clip = torch.rand(1, 3, 16, 224, 224) * 2 - 1
    trunk = i3d._trunk(clip)
    assert trunk.shape == (1, 1024, 1, 1, 1)  # T: 16 -> 8 -> 4 -> 2 -> 1
    monkeypatch.setattr(i3d, '_trunk', lambda x: trunk)  # no second pass
    logits = i3d(clip)
    assert logits.shape == (1, 400) and torch.isfinite(logits).all()
    assert torch.allclose(logits, i3d.logits(trunk).flatten(1))
    assert torch.equal(i3d(clip, feature='pool'), trunk.flatten(1))


def test_short_or_small_clips_raise(i3d):
    with pytest.raises(ValueError, match='at least 9 frames'):
        i3d(torch.zeros(1, 3, 8, 224, 224))
    with pytest.raises(ValueError, match='at least 9 frames'):
        i3d(torch.zeros(1, 3, 16, 112, 112))
    with pytest.raises(ValueError, match=r'\(N, 3, T, H, W\)'):
        i3d(torch.zeros(3, 16, 224, 224))


def test_state_dict_layout_and_hash_checked_loading(tmp_path, i3d):
    keys = set(i3d.state_dict())
    # The names of the TF-Hub conversion (VideoGPT/TATS).
    for key in ('Conv3d_1a_7x7.conv3d.weight', 'Conv3d_1a_7x7.bn.running_var',
                'Mixed_5b.b2b.conv3d.weight', 'Mixed_3c.b3b.bn.bias',
                'logits.conv3d.weight', 'logits.conv3d.bias'):
        assert key in keys
    assert i3d.logits.conv3d.weight.shape == (400, 1024, 1, 1, 1)
    state = {
        k: v
        for k, v in i3d.state_dict().items()
        if not k.endswith('num_batches_tracked')
    }
    path = tmp_path / 'i3d.pt'
    torch.save(state, path)
    loaded = build_i3d(str(path), sha256=file_sha256(str(path)))
    assert torch.equal(loaded.Mixed_4d.b1b.conv3d.weight,
                       i3d.Mixed_4d.b1b.conv3d.weight)
    with pytest.raises(ValueError, match='sha256'):
        build_i3d(str(path), sha256='0' * 64)
    del state['Mixed_4d.b1b.conv3d.weight']
    torch.save(state, path)
    with pytest.raises(ValueError, match='Mixed_4d.b1b'):
        build_i3d(str(path))
    with pytest.raises(FileNotFoundError):
        build_i3d(str(tmp_path / 'missing.pt'))
    assert isinstance(loaded, InceptionI3d) and not loaded.training
