// Copyright (c) OpenMMLab. All rights reserved.
// Emulation stub (tests/test_ops/cuda_emulation): the emulated kernels run
// on CPU tensors, so there is no device to switch to.
#pragma once

#include <c10/core/Device.h>

namespace c10 {
namespace cuda {

struct CUDAGuard {
  explicit CUDAGuard(c10::Device) {}
};

}  // namespace cuda
}  // namespace c10
