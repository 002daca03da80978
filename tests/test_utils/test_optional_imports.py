# Copyright (c) OpenMMLab. All rights reserved.
import os.path as osp
import sys

import pytest

from gfla_mm.utils.optional_imports import MMPOSE_VERSION, import_mmpose


def test_mmpose_version_matches_the_constraints():
    root = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
    with open(osp.join(root, 'requirements', 'constraints.txt')) as f:
        pins = dict(line.strip().split('==') for line in f
                    if '==' in line and not line.startswith('#'))
    assert pins['mmpose'] == MMPOSE_VERSION


def test_import_mmpose_says_how_to_install(monkeypatch):
    for name in ('mmpose', 'mmpose.apis'):
        monkeypatch.setitem(sys.modules, name, None)
    with pytest.raises(ImportError, match=r'PoseExtractor needs mmpose.*'
                       r'pip install --no-deps mmpose=='):
        import_mmpose('mmpose.apis', 'PoseExtractor')
