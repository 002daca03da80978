// Copyright (c) OpenMMLab. All rights reserved.
// Kernels with known bugs, each of which the emulation or a sanitizer must
// catch (tests/test_ops/test_cuda_emulation.py): proof that a clean run of
// gfla_mm's kernels under the emulation means something. Built without
// torch into a small shared library and called through ctypes:
//   int gfla_canary(const char* name, char* message, int size)
// returns 0 when the launch went through, 1 when it failed (message set),
// and -1 for an unknown name.
#include <cmath>
#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <string>

#include "cuda_emulation.hpp"
#include "common_cuda_helper.hpp"

namespace {

constexpr int kThreads = 64;

// Sum of a block's values through shared memory; `sync` = false drops the
// barrier between the writes and the reads: a race TSan must report.
__global__ void block_sum_kernel(const float* in, float* out, bool sync) {
  GFLA_SHARED_ARRAY(float, partial, kThreads);
  partial[threadIdx.x] = in[blockIdx.x * blockDim.x + threadIdx.x];
  if (sync) __syncthreads();
  if (threadIdx.x == 0) {
    float s = 0.f;
    for (int i = 0; i < kThreads; ++i) s += partial[i];
    out[blockIdx.x] = s;
  }
}

// Half of the threads reach a barrier: the emulation must fail the launch.
__global__ void divergent_barrier_kernel(float* out) {
  if (threadIdx.x < blockDim.x / 2) __syncthreads();
  out[threadIdx.x] = 1.f;
}

// Reads shared memory nobody wrote: the poison (NaN) must come out.
__global__ void uninitialised_shared_kernel(float* out) {
  GFLA_SHARED_ARRAY(float, scratch, kThreads);
  out[threadIdx.x] = scratch[threadIdx.x];
}

// Writes one element before a shared array: ASan must report it.
__global__ void shared_underflow_kernel(float* out, int offset) {
  GFLA_SHARED_ARRAY(float, scratch, kThreads);
  if (threadIdx.x == 0) scratch[offset] = 1.f;
  __syncthreads();
  out[threadIdx.x] = 0.f;
}

// float -> int64 of inf: UBSan's float-cast-overflow must report it.
__global__ void float_cast_kernel(const float* in, int64_t* out) {
  out[threadIdx.x] = static_cast<int64_t>(in[threadIdx.x]);
}

// More static shared memory than CUDA allows (48 KiB).
__global__ void oversized_shared_kernel(float* out) {
  GFLA_SHARED_ARRAY(double, big, 7000);
  big[threadIdx.x] = 0.0;
  out[threadIdx.x] = 0.f;
}

// Atomics from every thread of several blocks: exact counts.
__global__ void atomic_count_kernel(float* sum, int* lo, int* hi) {
  atomicAdd(sum, 1.f);
  const int id = static_cast<int>(blockIdx.x * blockDim.x + threadIdx.x);
  atomicMin(lo, id);
  atomicMax(hi, id);
}

int run(const std::string& name) {
  const int blocks = 4;
  float in[blocks * kThreads], out[blocks * kThreads];
  for (int i = 0; i < blocks * kThreads; ++i) in[i] = 1.f;
  if (name == "block_sum" || name == "missing_barrier") {
    GFLA_LAUNCH_KERNEL((block_sum_kernel), blocks, kThreads, 0, nullptr, in,
                       out, name == "block_sum");
    for (int b = 0; b < blocks; ++b)
      if (out[b] != kThreads) throw std::runtime_error("wrong block sum");
    return 0;
  }
  if (name == "divergent_barrier") {
    GFLA_LAUNCH_KERNEL((divergent_barrier_kernel), 1, kThreads, 0, nullptr,
                       out);
    return 0;
  }
  if (name == "uninitialised_shared") {
    GFLA_LAUNCH_KERNEL((uninitialised_shared_kernel), 1, kThreads, 0,
                       nullptr, out);
    for (int i = 0; i < kThreads; ++i)
      if (!std::isnan(out[i])) throw std::runtime_error("no poison read");
    return 0;
  }
  if (name == "shared_underflow") {
    GFLA_LAUNCH_KERNEL((shared_underflow_kernel), 1, kThreads, 0, nullptr,
                       out, -1);
    return 0;
  }
  if (name == "float_cast") {
    float values[kThreads];
    int64_t result[kThreads];
    for (int i = 0; i < kThreads; ++i) values[i] = i == 7 ? INFINITY : 1.f;
    GFLA_LAUNCH_KERNEL((float_cast_kernel), 1, kThreads, 0, nullptr, values,
                       result);
    return 0;
  }
  if (name == "oversized_shared") {
    GFLA_LAUNCH_KERNEL((oversized_shared_kernel), 1, kThreads, 0, nullptr,
                       out);
    return 0;
  }
  if (name == "too_many_threads") {
    GFLA_LAUNCH_KERNEL((divergent_barrier_kernel), 1, 2048, 0, nullptr, out);
    return 0;
  }
  if (name == "empty_grid") {
    GFLA_LAUNCH_KERNEL((divergent_barrier_kernel), 0, kThreads, 0, nullptr,
                       out);
    return 0;
  }
  if (name == "atomics") {
    float sum = 0.f;
    int lo = 1 << 30, hi = -1;
    GFLA_LAUNCH_KERNEL((atomic_count_kernel), blocks, kThreads, 0, nullptr,
                       &sum, &lo, &hi);
    if (sum != blocks * kThreads || lo != 0 || hi != blocks * kThreads - 1)
      throw std::runtime_error("wrong atomic results");
    return 0;
  }
  return -1;
}

}  // namespace

extern "C" __attribute__((visibility("default"))) int gfla_canary(
    const char* name, char* message, int size) {
  try {
    return run(name);
  } catch (const std::exception& e) {
    std::strncpy(message, e.what(), size - 1);
    message[size - 1] = '\0';
    return 1;
  }
}
