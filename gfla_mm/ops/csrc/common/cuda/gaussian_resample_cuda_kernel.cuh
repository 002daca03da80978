// Copyright (c) OpenMMLab. All rights reserved.
// CUDA kernels of gaussian_resample (the official Resample2d).
#pragma once

#include "common_cuda_helper.hpp"
#include "sampling_helpers.hpp"

// One thread per output element (b, c, p).
template <typename scalar_t, typename acc_t>
__global__ void gaussian_resample_forward_cuda_kernel(
    int64_t n, const scalar_t* source, const scalar_t* flow, scalar_t* out,
    int64_t C, int64_t H, int64_t W, int K, int dilation,
    acc_t inv_two_sigma2) {
  const int64_t hw = H * W;
  GFLA_CUDA_1D_KERNEL_LOOP(index, n) {
    const int64_t p = index % hw, bc = index / hw;
    gfla::GaussianPixel<acc_t> taps;
    taps.init(flow, bc / C, p, H, W, K, dilation, inv_two_sigma2);
    out[index] = static_cast<scalar_t>(taps.sample(source + bc * hw, W));
  }
}

// grad_source: one thread per (b, c, p), atomic scatter.
template <typename T>
__global__ void gaussian_resample_backward_source_cuda_kernel(
    int64_t n, const T* grad_out, const T* flow, T* grad_source, int64_t C,
    int64_t H, int64_t W, int K, int dilation, T inv_two_sigma2) {
  const int64_t hw = H * W;
  GFLA_CUDA_1D_KERNEL_LOOP(index, n) {
    const T g0 = grad_out[index];
    if (g0 == T(0)) continue;
    const int64_t p = index % hw, bc = index / hw;
    gfla::GaussianPixel<T> taps;
    taps.init(flow, bc / C, p, H, W, K, dilation, inv_two_sigma2);
    const T go = g0 * taps.norm();
    T* plane = grad_source + bc * hw;
    for (int t = 0; t < K; ++t) {
      T* row = plane + taps.y.index[t] * W;
      const T gy = go * taps.y.weight[t];
      for (int s = 0; s < K; ++s)
        atomicAdd(row + taps.x.index[s], gy * taps.x.weight[s]);
    }
  }
}

// grad_flow: one thread per (b, p); quotient rule over channels.
template <typename T>
__global__ void gaussian_resample_backward_flow_cuda_kernel(
    int64_t n, const T* grad_out, const T* source, const T* flow,
    T* grad_flow, int64_t C, int64_t H, int64_t W, int K, int dilation,
    T inv_two_sigma2) {
  const int64_t hw = H * W;
  GFLA_CUDA_1D_KERNEL_LOOP(index, n) {
    const int64_t p = index % hw, b = index / hw;
    gfla::GaussianPixel<T> taps;
    taps.init(flow, b, p, H, W, K, dilation, inv_two_sigma2);
    T gx = T(0), gy = T(0);
    for (int64_t c = 0; c < C; ++c) {
      // No zero-gradient skip: 0 * inf must give NaN, as on the CPU.
      taps.accumulate_flow_grad(source + (b * C + c) * hw, W,
                                grad_out[(b * C + c) * hw + p], &gx, &gy);
    }
    grad_flow[(b * 2) * hw + p] = gx;
    grad_flow[(b * 2 + 1) * hw + p] = gy;
  }
}
