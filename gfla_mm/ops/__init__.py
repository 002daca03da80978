# Copyright (c) OpenMMLab. All rights reserved.
"""Compiled ops (``gfla_mm._ext``, mmcv's csrc layout) and their pure-PyTorch
references. The local-attention ops arrive with the op issue; nothing is
exported yet."""

__all__: list = []
