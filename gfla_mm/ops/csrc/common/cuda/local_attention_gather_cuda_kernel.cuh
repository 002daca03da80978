// Copyright (c) OpenMMLab. All rights reserved.
// CUDA kernels of local_attention_gather. Forward reads scalar_t (incl.
// half/bfloat16) and accumulates in opmath; backward runs in float/double.
#pragma once

#include <climits>

#include "common_cuda_helper.hpp"
#include "sampling_helpers.hpp"

// One thread per output element (b, c, p), for the kernel sizes without a
// folded kernel. The taps are folded into (k+1)^2 cell weights as on the
// CPU, so that 0 * inf shows up where it does there (and only there).
template <typename scalar_t, typename acc_t>
__global__ void local_attention_gather_forward_cuda_kernel(
    int64_t n, const scalar_t* source, const scalar_t* flow,
    const scalar_t* attn, scalar_t* out, int64_t C, int64_t H, int64_t W,
    int k) {
  const int64_t hw = H * W;
  const int cells = (k + 1) * (k + 1);
  GFLA_CUDA_1D_KERNEL_LOOP(index, n) {
    const int64_t p = index % hw, bc = index / hw, b = bc / C;
    acc_t ax, ay;
    const gfla::CellGrid g =
        gfla::pixel_cell_grid<scalar_t, acc_t>(flow, b, p, H, W, k, &ax, &ay);
    acc_t w[gfla::kMaxCells];
    gfla::attention_cell_weights<scalar_t, acc_t>(attn + b * k * k * hw + p,
                                                  hw, k, ax, ay, w);
    const scalar_t* plane = source + bc * hw;
    acc_t acc = acc_t(0);
    for (int i = 0; i < cells; ++i) {
      acc += w[i] * static_cast<acc_t>(
                        plane[g.index(i / (k + 1), i % (k + 1))]);
    }
    out[index] = static_cast<scalar_t>(acc);
  }
}

// grad_source: one thread per (b, c, p), atomic scatter into the cells.
template <typename T>
__global__ void local_attention_gather_backward_source_cuda_kernel(
    int64_t n, const T* grad_out, const T* flow, const T* attn,
    T* grad_source, int64_t C, int64_t H, int64_t W, int k) {
  const int64_t hw = H * W;
  GFLA_CUDA_1D_KERNEL_LOOP(index, n) {
    const T go = grad_out[index];
    if (go == T(0)) continue;
    const int64_t p = index % hw, bc = index / hw, b = bc / C;
    T ax, ay;
    const gfla::CellGrid g =
        gfla::pixel_cell_grid<T, T>(flow, b, p, H, W, k, &ax, &ay);
    const T* a = attn + b * k * k * hw + p;
    T* plane = grad_source + bc * hw;
    for (int iy = 0; iy < k; ++iy) {
      const int64_t r0 = g.row(iy) * W, r1 = g.row(iy + 1) * W;
      for (int ix = 0; ix < k; ++ix) {
        const int64_t c0 = g.col(ix), c1 = g.col(ix + 1);
        const T w = a[(iy * k + ix) * hw] * go;
        atomicAdd(plane + r0 + c0, w * (T(1) - ay) * (T(1) - ax));
        atomicAdd(plane + r0 + c1, w * (T(1) - ay) * ax);
        atomicAdd(plane + r1 + c0, w * ay * (T(1) - ax));
        atomicAdd(plane + r1 + c1, w * ay * ax);
      }
    }
  }
}

// grad_attn: one thread per (b, j, p), summing over channels.
template <typename T>
__global__ void local_attention_gather_backward_attn_cuda_kernel(
    int64_t n, const T* grad_out, const T* source, const T* flow,
    T* grad_attn, int64_t C, int64_t H, int64_t W, int k) {
  const int64_t hw = H * W, k2 = k * k;
  GFLA_CUDA_1D_KERNEL_LOOP(index, n) {
    const int64_t p = index % hw, j = (index / hw) % k2, b = index / (hw * k2);
    const int iy = static_cast<int>(j / k), ix = static_cast<int>(j % k);
    T ax, ay;
    const gfla::CellGrid g =
        gfla::pixel_cell_grid<T, T>(flow, b, p, H, W, k, &ax, &ay);
    const int64_t r0 = g.row(iy) * W, r1 = g.row(iy + 1) * W;
    const int64_t c0 = g.col(ix), c1 = g.col(ix + 1);
    T acc = T(0);
    for (int64_t c = 0; c < C; ++c) {
      const T* plane = source + (b * C + c) * hw;
      acc += grad_out[(b * C + c) * hw + p] *
             gfla::bilinear<T>(plane[r0 + c0], plane[r0 + c1], plane[r1 + c0],
                               plane[r1 + c1], ax, ay);
    }
    grad_attn[index] = acc;
  }
}

// grad_flow: one thread per (b, p), summing over channels and taps.
template <typename T>
__global__ void local_attention_gather_backward_flow_cuda_kernel(
    int64_t n, const T* grad_out, const T* source, const T* flow,
    const T* attn, T* grad_flow, int64_t C, int64_t H, int64_t W, int k) {
  const int64_t hw = H * W;
  GFLA_CUDA_1D_KERNEL_LOOP(index, n) {
    const int64_t p = index % hw, b = index / hw;
    T ax, ay;
    const gfla::CellGrid g =
        gfla::pixel_cell_grid<T, T>(flow, b, p, H, W, k, &ax, &ay);
    const T* a = attn + b * k * k * hw + p;
    T gx = T(0), gy = T(0);
    for (int64_t c = 0; c < C; ++c) {
      // No zero-gradient skip: 0 * inf must give NaN, as on the CPU.
      const T go = grad_out[(b * C + c) * hw + p];
      const T* plane = source + (b * C + c) * hw;
      for (int iy = 0; iy < k; ++iy) {
        const int64_t r0 = g.row(iy) * W, r1 = g.row(iy + 1) * W;
        for (int ix = 0; ix < k; ++ix) {
          const int64_t c0 = g.col(ix), c1 = g.col(ix + 1);
          const T tl = plane[r0 + c0], tr = plane[r0 + c1];
          const T bl = plane[r1 + c0], br = plane[r1 + c1];
          const T w = go * a[(iy * k + ix) * hw];
          gx += w * ((T(1) - ay) * (tr - tl) + ay * (br - bl));
          gy += w * ((T(1) - ax) * (bl - tl) + ax * (br - tr));
        }
      }
    }
    grad_flow[(b * 2) * hw + p] = gx;
    grad_flow[(b * 2 + 1) * hw + p] = gy;
  }
}

// ---------------------------------------------------------------------------
// Folded kernels for the kernel sizes the models use (K = 1, 3, 5, 7): the
// k^2 taps of a pixel touch only (K+1)^2 source cells with shared fractional
// weights (sampling_helpers.hpp, the helpers the CPU kernels use), so the
// attention is folded into (K+1)^2 cell weights held in registers, and one
// thread streams a group of channels over the cells: (K+1)^2 reads (forward)
// or atomics (source gradient) per channel instead of 4 K^2. Items are
// (b, channel group, p), p fastest, so a warp reads neighbouring pixels.

// Channels per thread: enough parallelism at C = 128..256 (B * C/16 * H * W
// threads) while the per-pixel weights are computed once per 16 channels.
constexpr int kGflaGatherChannelGroup = 16;

// Flat source offsets of the (K+1)^2 cells (int: one H x W plane).
template <int K>
__device__ __forceinline__ void folded_cell_offsets(const gfla::CellGrid& g,
                                                    int* idx) {
#pragma unroll
  for (int v = 0; v <= K; ++v) {
    const int row = static_cast<int>(g.row(v) * g.width);
#pragma unroll
    for (int u = 0; u <= K; ++u)
      idx[v * (K + 1) + u] = row + static_cast<int>(g.col(u));
  }
}

template <int K, typename scalar_t, typename acc_t>
__global__ void local_attention_gather_forward_folded_cuda_kernel(
    int64_t n, const scalar_t* source, const scalar_t* flow,
    const scalar_t* attn, scalar_t* out, int64_t C, int64_t H, int64_t W,
    int64_t groups) {
  constexpr int kCells = (K + 1) * (K + 1);
  const int64_t hw = H * W;
  GFLA_CUDA_1D_KERNEL_LOOP(index, n) {
    const int64_t p = index % hw, bg = index / hw;
    const int64_t b = bg / groups;
    const int64_t c0 = (bg % groups) * kGflaGatherChannelGroup;
    const int64_t c1 =
        c0 + kGflaGatherChannelGroup < C ? c0 + kGflaGatherChannelGroup : C;
    acc_t ax, ay;
    const gfla::CellGrid g =
        gfla::pixel_cell_grid<scalar_t, acc_t>(flow, b, p, H, W, K, &ax, &ay);
    acc_t w[kCells];
    gfla::attention_cell_weights<scalar_t, acc_t>(attn + b * K * K * hw + p,
                                                  hw, K, ax, ay, w);
    int idx[kCells];
    folded_cell_offsets<K>(g, idx);
    for (int64_t c = c0; c < c1; ++c) {
      const scalar_t* plane = source + (b * C + c) * hw;
      acc_t acc = acc_t(0);
#pragma unroll
      for (int i = 0; i < kCells; ++i)
        acc += w[i] * static_cast<acc_t>(plane[idx[i]]);
      out[(b * C + c) * hw + p] = static_cast<scalar_t>(acc);
    }
  }
}

// All three gradients in one pass over the channels of a group. grad_source
// is a scatter (atomics); grad_attn and grad_flow are linear in
// s[cell] = sum_c grad_out_c * source_c[cell], so each group adds its part
// atomically. Every output must be zeroed first; a null pointer skips it.
template <int K, typename T>
__global__ void local_attention_gather_backward_folded_cuda_kernel(
    int64_t n, const T* grad_out, const T* source, const T* flow,
    const T* attn, T* grad_source, T* grad_flow, T* grad_attn, int64_t C,
    int64_t H, int64_t W, int64_t groups) {
  constexpr int kCells = (K + 1) * (K + 1);
  const int64_t hw = H * W;
  const bool need_cells = grad_flow != nullptr || grad_attn != nullptr;
  GFLA_CUDA_1D_KERNEL_LOOP(index, n) {
    const int64_t p = index % hw, bg = index / hw;
    const int64_t b = bg / groups;
    const int64_t c0 = (bg % groups) * kGflaGatherChannelGroup;
    const int64_t c1 =
        c0 + kGflaGatherChannelGroup < C ? c0 + kGflaGatherChannelGroup : C;
    T ax, ay;
    const gfla::CellGrid g =
        gfla::pixel_cell_grid<T, T>(flow, b, p, H, W, K, &ax, &ay);
    const T* a = attn + b * K * K * hw + p;
    T w[kCells];
    if (grad_source != nullptr)
      gfla::attention_cell_weights<T, T>(a, hw, K, ax, ay, w);
    int idx[kCells];
    folded_cell_offsets<K>(g, idx);
    T s[kCells];
#pragma unroll
    for (int i = 0; i < kCells; ++i) s[i] = T(0);
    for (int64_t c = c0; c < c1; ++c) {
      const T go = grad_out[(b * C + c) * hw + p];
      // Skipping a zero gradient only in the scatter: the cell sums must
      // still see 0 * inf = NaN in the source, as the CPU kernels do.
      if (grad_source != nullptr && go != T(0)) {
        T* plane = grad_source + (b * C + c) * hw;
#pragma unroll
        for (int i = 0; i < kCells; ++i) atomicAdd(plane + idx[i], w[i] * go);
      }
      if (need_cells) {
        const T* plane = source + (b * C + c) * hw;
#pragma unroll
        for (int i = 0; i < kCells; ++i) s[i] += go * plane[idx[i]];
      }
    }
    if (!need_cells) continue;
    T ga[K * K];
    T gx, gy;
    gfla::attention_backward_from_cells<T, T>(s, a, hw, K, ax, ay, ga, 1,
                                              &gx, &gy);
    if (grad_attn != nullptr) {
      T* dst = grad_attn + b * K * K * hw + p;
#pragma unroll
      for (int j = 0; j < K * K; ++j) atomicAdd(dst + j * hw, ga[j]);
    }
    if (grad_flow != nullptr) {
      atomicAdd(grad_flow + (b * 2) * hw + p, gx);
      atomicAdd(grad_flow + (b * 2 + 1) * hw + p, gy);
    }
  }
}

// ---------------------------------------------------------------------------
// Tiled source gradient (opt-in: GFLA_MM_CUDA_TILED_SCATTER=1; not yet
// measured). Flows are smooth over most of an image, so the 16 x 16 target
// pixels of a block scatter into a compact source window: the block
// accumulates one channel at a time in shared memory and flushes the window
// with one global atomic per touched cell, instead of (K+1)^2 per pixel.
// Blocks whose window exceeds kGflaMaxScatterWindow cells (occlusion
// boundaries, wild flows) scatter straight to global memory.
constexpr int kGflaScatterTile = 16;
constexpr int kGflaMaxScatterWindow = 48 * 48;

template <int K, typename T>
__global__ void local_attention_gather_backward_source_tiled_cuda_kernel(
    const T* grad_out, const T* flow, const T* attn, T* grad_source,
    int64_t C, int64_t H, int64_t W, int64_t tiles_x, int64_t tiles_y,
    int64_t groups) {
  constexpr int kCells = (K + 1) * (K + 1);
  GFLA_SHARED_ARRAY(T, window, kGflaMaxScatterWindow);
  GFLA_SHARED_ARRAY(int, bounds, 4);  // min row, max row, min col, max col
  const int64_t hw = H * W;
  int64_t block = blockIdx.x;
  const int64_t tx = block % tiles_x;
  block /= tiles_x;
  const int64_t ty = block % tiles_y;
  block /= tiles_y;
  const int64_t group = block % groups, b = block / groups;
  const int64_t x = tx * kGflaScatterTile + threadIdx.x % kGflaScatterTile;
  const int64_t y = ty * kGflaScatterTile + threadIdx.x / kGflaScatterTile;
  const bool inside = x < W && y < H;
  const int64_t p = y * W + x;
  if (threadIdx.x == 0) {
    bounds[0] = INT_MAX;
    bounds[1] = -1;
    bounds[2] = INT_MAX;
    bounds[3] = -1;
  }
  __syncthreads();
  T w[kCells];
  int rows[K + 1], cols[K + 1];
  if (inside) {
    T ax, ay;
    const gfla::CellGrid g =
        gfla::pixel_cell_grid<T, T>(flow, b, p, H, W, K, &ax, &ay);
    gfla::attention_cell_weights<T, T>(attn + b * K * K * hw + p, hw, K, ax,
                                       ay, w);
#pragma unroll
    for (int v = 0; v <= K; ++v) {
      rows[v] = static_cast<int>(g.row(v));
      cols[v] = static_cast<int>(g.col(v));
    }
    // The extremes over all cells, not rows[0]/rows[K]: then every cell is
    // inside the window whatever the flow (the cells of one pixel are
    // ordered only while its coordinates are; split_coordinate keeps them
    // so even for inf/NaN, and this does not rely on it).
    int lo_row = rows[0], hi_row = rows[0], lo_col = cols[0],
        hi_col = cols[0];
#pragma unroll
    for (int v = 1; v <= K; ++v) {
      lo_row = rows[v] < lo_row ? rows[v] : lo_row;
      hi_row = rows[v] > hi_row ? rows[v] : hi_row;
      lo_col = cols[v] < lo_col ? cols[v] : lo_col;
      hi_col = cols[v] > hi_col ? cols[v] : hi_col;
    }
    atomicMin(&bounds[0], lo_row);
    atomicMax(&bounds[1], hi_row);
    atomicMin(&bounds[2], lo_col);
    atomicMax(&bounds[3], hi_col);
  }
  __syncthreads();
  const int r0 = bounds[0], c0 = bounds[2];
  const int wh = bounds[1] - r0 + 1, ww = bounds[3] - c0 + 1;
  // int64: a block whose pixels flow far apart spans a huge window.
  const int64_t cells = static_cast<int64_t>(wh) * ww;
  const bool tiled = cells <= kGflaMaxScatterWindow;  // block-uniform
  const int64_t c_begin = group * kGflaGatherChannelGroup;
  const int64_t c_end = c_begin + kGflaGatherChannelGroup < C
                            ? c_begin + kGflaGatherChannelGroup
                            : C;
  for (int64_t c = c_begin; c < c_end; ++c) {
    T* plane = grad_source + (b * C + c) * hw;
    const T go = inside ? grad_out[(b * C + c) * hw + p] : T(0);
    if (!tiled) {
      if (go != T(0)) {
#pragma unroll
        for (int v = 0; v <= K; ++v)
#pragma unroll
          for (int u = 0; u <= K; ++u)
            atomicAdd(plane + static_cast<int64_t>(rows[v]) * W + cols[u],
                      w[v * (K + 1) + u] * go);
      }
      continue;
    }
    for (int i = threadIdx.x; i < cells; i += blockDim.x) window[i] = T(0);
    __syncthreads();
    if (go != T(0)) {
#pragma unroll
      for (int v = 0; v <= K; ++v)
#pragma unroll
        for (int u = 0; u <= K; ++u)
          atomicAdd(&window[(rows[v] - r0) * ww + (cols[u] - c0)],
                    w[v * (K + 1) + u] * go);
    }
    __syncthreads();
    for (int i = threadIdx.x; i < cells; i += blockDim.x) {
      const T value = window[i];
      if (value != T(0))
        atomicAdd(plane + static_cast<int64_t>(r0 + i / ww) * W + c0 + i % ww,
                  value);
    }
    __syncthreads();
  }
}
