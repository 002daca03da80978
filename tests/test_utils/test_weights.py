# Copyright (c) OpenMMLab. All rights reserved.
import warnings

import pytest
import torch

from gfla_mm.utils.weights import (
    file_sha256,
    hash_prefix_from_name,
    load_weights,
)


def test_hash_prefix_from_torch_hub_names():
    assert hash_prefix_from_name('/x/vgg19-dcbb9e9d.pth') == 'dcbb9e9d'
    assert hash_prefix_from_name('inception_v3_google-0cc3c7bd.pth') == (
        '0cc3c7bd')
    assert hash_prefix_from_name('my-vgg.pth') is None
    assert hash_prefix_from_name('model-12ab.pth') is None  # too short


def test_load_weights_checks_the_hash(tmp_path):
    state = {'features.0.weight': torch.ones(2)}
    plain = tmp_path / 'weights.pth'
    torch.save({'state_dict': state}, plain)
    digest = file_sha256(str(plain))
    with pytest.warns(UserWarning, match='not verified'):
        assert load_weights(str(plain), name='VGG19').keys() == state.keys()
    with warnings.catch_warnings():
        warnings.simplefilter('error')
        load_weights(str(plain), sha256=digest[:8])
    # A torch.hub-style name carries its hash: checked without sha256.
    named = tmp_path / f'vgg19-{digest[:8]}.pth'
    plain.rename(named)
    with warnings.catch_warnings():
        warnings.simplefilter('error')
        load_weights(str(named))
    wrong = tmp_path / 'vgg19-00000000.pth'
    named.rename(wrong)
    with pytest.raises(ValueError, match='sha256 of .*vgg19-00000000.pth'):
        load_weights(str(wrong), name='VGG19')
    with pytest.raises(FileNotFoundError, match='VGG19 not found'):
        load_weights(str(tmp_path / 'none.pth'), name='VGG19')
