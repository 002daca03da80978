# Copyright (c) OpenMMLab. All rights reserved.
import importlib
import socket

import mmagic.registry
import pytest
from mmengine.config import Config
from mmengine.registry import DefaultScope, init_default_scope

import gfla_mm
from gfla_mm import registry


def test_registries_are_mmagics():
    # Option A of the conventions: no registry nodes of our own.
    for name in registry.__all__:
        assert getattr(registry, name) is getattr(mmagic.registry, name)
        assert getattr(registry, name).scope == 'mmagic'


def test_version():
    assert isinstance(gfla_mm.__version__, str)
    assert gfla_mm.version_info[:2] == tuple(
        int(p) for p in gfla_mm.__version__.split('.')[:2])


def test_import_never_touches_the_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError(f'network access during import: {args}')

    monkeypatch.setattr(socket.socket, 'connect', refuse)
    monkeypatch.setattr(socket, 'create_connection', refuse)
    for name in ('gfla_mm', 'gfla_mm.registry', 'gfla_mm.engine'):
        importlib.reload(importlib.import_module(name))


CONFIG_TEXT = """
default_scope = 'mmagic'
custom_imports = dict(
    imports=['gfla_mm', 'gfla_toy_plugin'], allow_failed_imports=False)
model = dict(type='GFLAToyRegressor', channels=4)
"""


def test_build_from_config_string_with_custom_imports(toy_plugin_path):
    cfg = Config.fromstring(CONFIG_TEXT, file_format='.py')
    # custom_imports alone made the name resolvable in mmagic's registry.
    assert 'GFLAToyRegressor' in mmagic.registry.MODELS.module_dict
    init_default_scope(cfg.default_scope)
    assert DefaultScope.get_current_instance().scope_name == 'mmagic'
    model = mmagic.registry.MODELS.build(cfg.model)
    assert type(model).__name__ == 'GFLAToyRegressor'
    assert model.conv.in_channels == 4


def test_missing_custom_import_fails_loudly():
    text = CONFIG_TEXT.replace("'gfla_toy_plugin'", "'gfla_no_such_plugin'")
    with pytest.raises(ImportError, match='gfla_no_such_plugin'):
        Config.fromstring(text, file_format='.py')
