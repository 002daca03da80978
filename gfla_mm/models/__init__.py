# Copyright (c) OpenMMLab. All rights reserved.
"""GFLA networks, losses and editors, registered in ``mmagic.registry.MODELS``.

Layout (mmagic's): ``editors/<algorithm>/`` holds one algorithm per folder,
``losses/`` and ``layers/`` the shared building blocks. Empty until the model
issue lands.
"""

__all__: list = []
