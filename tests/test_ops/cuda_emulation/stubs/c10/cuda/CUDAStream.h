// Copyright (c) OpenMMLab. All rights reserved.
// Emulation stub (tests/test_ops/cuda_emulation): one implicit stream; an
// emulated launch is synchronous.
#pragma once

#include <c10/core/Device.h>

namespace c10 {
namespace cuda {

struct CUDAStream {
  operator cudaStream_t() const { return nullptr; }
};

inline CUDAStream getCurrentCUDAStream(c10::DeviceIndex = -1) { return {}; }

}  // namespace cuda
}  // namespace c10
