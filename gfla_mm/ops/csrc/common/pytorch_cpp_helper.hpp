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
// Same shape as a reference tensor.
#define GFLA_CHECK_SHAPE(x, ref)                                        \
  TORCH_CHECK((x).sizes() == (ref).sizes(), #x " of shape ", (x).sizes(), \
              " must match " #ref " of shape ", (ref).sizes())
// A gradient buffer: empty (not wanted) or contiguous, shaped like ref.
#define GFLA_CHECK_GRAD(g, ref)                                         \
  TORCH_CHECK((g).numel() == 0 || ((g).sizes() == (ref).sizes() &&     \
                                   (g).is_contiguous()),                \
              #g " must be empty or a contiguous tensor of shape ",     \
              (ref).sizes(), ", got ", (g).sizes())

// source (B, C, H, W) and flow (B, 2, H, W) on one device, of one dtype,
// contiguous; kernel_size in [lo, hi].
inline void gfla_check_source_flow(const at::Tensor& source,
                                   const at::Tensor& flow, int64_t kernel_size,
                                   int64_t lo, int64_t hi) {
  GFLA_CHECK_DIM(source, 4);
  GFLA_CHECK_DIM(flow, 4);
  GFLA_CHECK_CONTIGUOUS(source);
  GFLA_CHECK_CONTIGUOUS(flow);
  TORCH_CHECK(flow.size(0) == source.size(0) && flow.size(1) == 2 &&
                  flow.size(2) == source.size(2) &&
                  flow.size(3) == source.size(3),
              "flow of shape ", flow.sizes(), " does not fit source of shape ",
              source.sizes());
  TORCH_CHECK(flow.device() == source.device() &&
                  flow.scalar_type() == source.scalar_type(),
              "flow and source must share device and dtype");
  TORCH_CHECK(kernel_size >= lo && kernel_size <= hi, "kernel_size must be in [",
              lo, ", ", hi, "], got ", kernel_size);
}
