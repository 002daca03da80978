# Copyright (c) OpenMMLab. All rights reserved.
import shutil

import pytest

from gfla_mm.datasets import make_synthetic_clips

CLIP_SIZE = (48, 40)
CLIP_FRAMES = 13


@pytest.fixture(scope='session')
def clip_root(tmp_path_factory) -> str:
    """Synthetic clips in the official layout: 2 train videos and 1 test
    video of 13 frames, 48x40, with train_C masks. Read-only: copy it
    (:func:`clip_copy`) to break it."""
    root = str(tmp_path_factory.mktemp('clips'))
    make_synthetic_clips(root, (2, 1), num_frames=CLIP_FRAMES,
                         size=CLIP_SIZE, seed=5)
    return root


@pytest.fixture
def clip_copy(clip_root, tmp_path) -> str:
    """A private copy of :func:`clip_root` that a test may damage."""
    dst = str(tmp_path / 'clips')
    shutil.copytree(clip_root, dst)
    return dst
