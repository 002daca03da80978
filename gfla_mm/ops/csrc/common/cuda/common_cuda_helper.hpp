// Copyright (c) OpenMMLab. All rights reserved.
// Launch helpers shared by the CUDA kernels.
#pragma once

#include <cstdint>

#define GFLA_CUDA_1D_KERNEL_LOOP(i, n)                                \
  for (int64_t i = blockIdx.x * static_cast<int64_t>(blockDim.x) +    \
                   threadIdx.x;                                       \
       i < (n); i += static_cast<int64_t>(blockDim.x) * gridDim.x)

constexpr int kGflaThreadsPerBlock = 256;

inline int gfla_get_blocks(int64_t n) {
  const int64_t blocks =
      (n + kGflaThreadsPerBlock - 1) / kGflaThreadsPerBlock;
  // The grid-stride loop covers the rest.
  return static_cast<int>(blocks < 65535 * 8 ? (blocks > 0 ? blocks : 1)
                                             : 65535 * 8);
}
