// Copyright (c) OpenMMLab. All rights reserved.
// Argument checks shared by the C++ entry points. The Python wrappers
// validate (and name) arguments first; these guard direct _ext calls.
#pragma once

// ATen only (not torch/extension.h): the kernels need no Python, and the
// lighter header halves the build time of each translation unit.
#include <ATen/ATen.h>

#define GFLA_CHECK_CONTIGUOUS(x) \
  TORCH_CHECK((x).is_contiguous(), #x " must be contiguous")
#define GFLA_CHECK_DIM(x, d) \
  TORCH_CHECK((x).dim() == (d), #x " must be a " #d "-D tensor, got ", \
              (x).dim(), "-D")
