// Copyright (c) OpenMMLab. All rights reserved.
// Launch helpers shared by the CUDA kernels.
#pragma once

#include <cstdint>

#define GFLA_CUDA_1D_KERNEL_LOOP(i, n)                                \
  for (int64_t i = blockIdx.x * static_cast<int64_t>(blockDim.x) +    \
                   threadIdx.x;                                       \
       i < (n); i += static_cast<int64_t>(blockDim.x) * gridDim.x)

// Every launch and every shared array goes through these two macros, so
// that the host emulation of tests/test_ops/cuda_emulation (which defines
// GFLA_CUDA_EMULATION) runs these very launchers and kernels on the CPU.
// The kernel goes in parentheses (template arguments have commas):
//   GFLA_LAUNCH_KERNEL((kernel<K, T>), blocks, threads, 0, stream, args...);
#define GFLA_UNPAREN(...) __VA_ARGS__
#ifdef GFLA_CUDA_EMULATION
#define GFLA_LAUNCH_KERNEL(kernel, blocks, threads, shared, stream, ...)    \
  ::gfla_emu::launch(#kernel, GFLA_UNPAREN kernel, blocks, threads, shared, \
                     stream, __VA_ARGS__)
#define GFLA_SHARED_ARRAY(T, name, count) \
  T* const name = ::gfla_emu::shared_array<T>(count)
#else
#define GFLA_LAUNCH_KERNEL(kernel, blocks, threads, shared, stream, ...) \
  GFLA_UNPAREN kernel<<<blocks, threads, shared, stream>>>(__VA_ARGS__)
#define GFLA_SHARED_ARRAY(T, name, count) __shared__ T name[count]
#endif

constexpr int kGflaThreadsPerBlock = 256;

inline int gfla_get_blocks(int64_t n) {
  const int64_t blocks =
      (n + kGflaThreadsPerBlock - 1) / kGflaThreadsPerBlock;
  // The grid-stride loop covers the rest.
  return static_cast<int>(blocks < 65535 * 8 ? (blocks > 0 ? blocks : 1)
                                             : 65535 * 8);
}
