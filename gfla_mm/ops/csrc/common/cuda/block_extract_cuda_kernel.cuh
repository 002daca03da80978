// Copyright (c) OpenMMLab. All rights reserved.
// CUDA kernels of block_extract (the official BlockExtractor layout).
#pragma once

#include "common_cuda_helper.hpp"
#include "sampling_helpers.hpp"

// Decomposes an output index of a (B, C, k*H, k*W) tensor.
struct BlockTap {
  int64_t bc, p;
  int iy, ix;
  __device__ __forceinline__ BlockTap(int64_t index, int64_t H, int64_t W,
                                      int k) {
    const int64_t kw = W * k, kh = H * k;
    const int64_t X = index % kw, Y = (index / kw) % kh;
    bc = index / (kw * kh);
    p = (Y / k) * W + X / k;
    iy = static_cast<int>(Y % k);
    ix = static_cast<int>(X % k);
  }
};

// One thread per output element.
template <typename scalar_t, typename acc_t>
__global__ void block_extract_forward_cuda_kernel(int64_t n,
                                                  const scalar_t* source,
                                                  const scalar_t* flow,
                                                  scalar_t* out, int64_t C,
                                                  int64_t H, int64_t W, int k) {
  const int64_t hw = H * W;
  GFLA_CUDA_1D_KERNEL_LOOP(index, n) {
    const BlockTap t(index, H, W, k);
    acc_t ax, ay;
    const gfla::CellGrid g = gfla::pixel_cell_grid<scalar_t, acc_t>(
        flow, t.bc / C, t.p, H, W, k, &ax, &ay);
    const scalar_t* plane = source + t.bc * hw;
    const int64_t r0 = g.row(t.iy) * W, r1 = g.row(t.iy + 1) * W;
    const int64_t c0 = g.col(t.ix), c1 = g.col(t.ix + 1);
    out[index] = static_cast<scalar_t>(gfla::bilinear<acc_t>(
        static_cast<acc_t>(plane[r0 + c0]), static_cast<acc_t>(plane[r0 + c1]),
        static_cast<acc_t>(plane[r1 + c0]), static_cast<acc_t>(plane[r1 + c1]),
        ax, ay));
  }
}

// grad_source: one thread per output element, atomic scatter.
template <typename T>
__global__ void block_extract_backward_source_cuda_kernel(
    int64_t n, const T* grad_out, const T* flow, T* grad_source, int64_t C,
    int64_t H, int64_t W, int k) {
  const int64_t hw = H * W;
  GFLA_CUDA_1D_KERNEL_LOOP(index, n) {
    const T go = grad_out[index];
    if (go == T(0)) continue;
    const BlockTap t(index, H, W, k);
    T ax, ay;
    const gfla::CellGrid g =
        gfla::pixel_cell_grid<T, T>(flow, t.bc / C, t.p, H, W, k, &ax, &ay);
    T* plane = grad_source + t.bc * hw;
    const int64_t r0 = g.row(t.iy) * W, r1 = g.row(t.iy + 1) * W;
    const int64_t c0 = g.col(t.ix), c1 = g.col(t.ix + 1);
    atomicAdd(plane + r0 + c0, go * (T(1) - ay) * (T(1) - ax));
    atomicAdd(plane + r0 + c1, go * (T(1) - ay) * ax);
    atomicAdd(plane + r1 + c0, go * ay * (T(1) - ax));
    atomicAdd(plane + r1 + c1, go * ay * ax);
  }
}

// grad_flow: one thread per (b, p), summing over channels and taps.
template <typename T>
__global__ void block_extract_backward_flow_cuda_kernel(
    int64_t n, const T* grad_out, const T* source, const T* flow,
    T* grad_flow, int64_t C, int64_t H, int64_t W, int k) {
  const int64_t hw = H * W, kw = W * k;
  GFLA_CUDA_1D_KERNEL_LOOP(index, n) {
    const int64_t p = index % hw, b = index / hw;
    const int64_t y = p / W, x = p % W;
    T ax, ay;
    const gfla::CellGrid g =
        gfla::pixel_cell_grid<T, T>(flow, b, p, H, W, k, &ax, &ay);
    T gx = T(0), gy = T(0);
    for (int64_t c = 0; c < C; ++c) {
      const T* plane = source + (b * C + c) * hw;
      const T* go = grad_out + (b * C + c) * hw * k * k;
      for (int iy = 0; iy < k; ++iy) {
        const int64_t r0 = g.row(iy) * W, r1 = g.row(iy + 1) * W;
        for (int ix = 0; ix < k; ++ix) {
          const T gv = go[(y * k + iy) * kw + x * k + ix];
          const int64_t c0 = g.col(ix), c1 = g.col(ix + 1);
          const T tl = plane[r0 + c0], tr = plane[r0 + c1];
          const T bl = plane[r1 + c0], br = plane[r1 + c1];
          gx += gv * ((T(1) - ay) * (tr - tl) + ay * (br - bl));
          gy += gv * ((T(1) - ax) * (bl - tl) + ax * (br - tr));
        }
      }
    }
    grad_flow[(b * 2) * hw + p] = gx;
    grad_flow[(b * 2 + 1) * hw + p] = gy;
  }
}
