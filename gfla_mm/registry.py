# Copyright (c) OpenMMLab. All rights reserved.
"""gfla_mm registers straight into mmagic's registries.

This is the registration style of mmagic's own ``projects/``: configs keep
``default_scope='mmagic'`` and add
``custom_imports=dict(imports=['gfla_mm'], allow_failed_imports=False)``; then
bare type names such as ``type='GFLAGenerator'`` resolve from stock
``tools/train.py``, from ``mim train`` and from any other mmagic config.
Class names are prefixed (``GFLA...``) where they could clash with mmagic's.
"""
from mmagic.registry import (
                             DATA_SAMPLERS,
                             DATASETS,
                             EVALUATORS,
                             HOOKS,
                             LOOPS,
                             METRICS,
                             MODEL_WRAPPERS,
                             MODELS,
                             OPTIM_WRAPPER_CONSTRUCTORS,
                             OPTIM_WRAPPERS,
                             OPTIMIZERS,
                             PARAM_SCHEDULERS,
                             RUNNERS,
                             TASK_UTILS,
                             TRANSFORMS,
                             VISBACKENDS,
                             VISUALIZERS,
)

__all__ = [
    'DATA_SAMPLERS', 'DATASETS', 'EVALUATORS', 'HOOKS', 'LOOPS', 'METRICS',
    'MODEL_WRAPPERS', 'MODELS', 'OPTIM_WRAPPER_CONSTRUCTORS', 'OPTIM_WRAPPERS',
    'OPTIMIZERS', 'PARAM_SCHEDULERS', 'RUNNERS', 'TASK_UTILS', 'TRANSFORMS',
    'VISBACKENDS', 'VISUALIZERS'
]
