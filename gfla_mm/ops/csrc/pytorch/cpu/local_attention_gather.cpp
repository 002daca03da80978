// Copyright (c) OpenMMLab. All rights reserved.
// CPU kernels of local_attention_gather (exact; OpenMP via at::parallel_for).
//
// Per pixel, the k^2 bilinear taps touch only (k+1)^2 distinct source cells
// with shared fractional weights, so the kernels fold the attention into
// (k+1)^2 cell weights once and then stream every channel over the cells.
#include <ATen/Parallel.h>

#include "pytorch_cpp_helper.hpp"
#include "ops_impl.hpp"
#include "pytorch_device_registry.hpp"
#include "sampling_helpers.hpp"

namespace {

using gfla::CellGrid;

template <typename T>
void forward_kernel(const T* source, const T* flow, const T* attn, T* out,
                    int64_t B, int64_t C, int64_t H, int64_t W, int k) {
  const int64_t hw = H * W;
  const int ncell = (k + 1) * (k + 1);
  at::parallel_for(0, B * hw, 64, [&](int64_t begin, int64_t end) {
    T weight[gfla::kMaxCells];
    int64_t idx[gfla::kMaxCells];
    for (int64_t bp = begin; bp < end; ++bp) {
      const int64_t b = bp / hw, p = bp % hw;
      T ax, ay;
      const CellGrid g = gfla::pixel_cell_grid(flow, b, p, H, W, k, &ax, &ay);
      gfla::attention_cell_weights(attn + b * k * k * hw + p, hw, k, ax, ay,
                                   weight);
      g.indices(idx);
      const T* src = source + b * C * hw;
      T* dst = out + b * C * hw + p;
      for (int64_t c = 0; c < C; ++c) {
        const T* plane = src + c * hw;
        T acc = T(0);
        for (int i = 0; i < ncell; ++i) acc += weight[i] * plane[idx[i]];
        dst[c * hw] = acc;
      }
    }
  });
}

// grad_source: a scatter. Threads own disjoint channel ranges, so no two
// threads write one cell; each recomputes the per-pixel cell weights.
template <typename T>
void backward_source_kernel(const T* grad_out, const T* flow, const T* attn,
                            T* grad_source, int64_t B, int64_t C, int64_t H,
                            int64_t W, int k) {
  const int64_t hw = H * W;
  const int ncell = (k + 1) * (k + 1);
  at::parallel_for(0, C, 1, [&](int64_t c0, int64_t c1) {
    T weight[gfla::kMaxCells];
    int64_t idx[gfla::kMaxCells];
    for (int64_t b = 0; b < B; ++b) {
      for (int64_t p = 0; p < hw; ++p) {
        T ax, ay;
        const CellGrid g = gfla::pixel_cell_grid(flow, b, p, H, W, k, &ax, &ay);
        gfla::attention_cell_weights(attn + b * k * k * hw + p, hw, k, ax, ay,
                                     weight);
        g.indices(idx);
        for (int64_t c = c0; c < c1; ++c) {
          const T go = grad_out[(b * C + c) * hw + p];
          if (go == T(0)) continue;
          T* plane = grad_source + (b * C + c) * hw;
          for (int i = 0; i < ncell; ++i) plane[idx[i]] += weight[i] * go;
        }
      }
    }
  });
}

// grad_attn and grad_flow per pixel: both are linear in
// s[cell] = sum_c grad_out[c] * source[c, cell].
template <typename T>
void backward_attn_flow_kernel(const T* grad_out, const T* source,
                               const T* flow, const T* attn, T* grad_flow,
                               T* grad_attn, int64_t B, int64_t C, int64_t H,
                               int64_t W, int k) {
  const int64_t hw = H * W;
  const int ncell = (k + 1) * (k + 1);
  at::parallel_for(0, B * hw, 64, [&](int64_t begin, int64_t end) {
    T s[gfla::kMaxCells];
    int64_t idx[gfla::kMaxCells];
    for (int64_t bp = begin; bp < end; ++bp) {
      const int64_t b = bp / hw, p = bp % hw;
      T ax, ay;
      const CellGrid g = gfla::pixel_cell_grid(flow, b, p, H, W, k, &ax, &ay);
      g.indices(idx);
      for (int i = 0; i < ncell; ++i) s[i] = T(0);
      for (int64_t c = 0; c < C; ++c) {
        const T go = grad_out[(b * C + c) * hw + p];
        const T* plane = source + (b * C + c) * hw;
        for (int i = 0; i < ncell; ++i) s[i] += go * plane[idx[i]];
      }
      T gx, gy;
      gfla::attention_backward_from_cells(
          s, attn + b * k * k * hw + p, hw, k, ax, ay,
          grad_attn ? grad_attn + b * k * k * hw + p : nullptr, hw, &gx, &gy);
      if (grad_flow) {
        grad_flow[(b * 2) * hw + p] = gx;
        grad_flow[(b * 2 + 1) * hw + p] = gy;
      }
    }
  });
}

void forward_cpu(const at::Tensor source, const at::Tensor flow,
                 const at::Tensor attn, at::Tensor out, int64_t kernel_size) {
  AT_DISPATCH_FLOATING_TYPES(source.scalar_type(), "gather_forward_cpu", [&] {
    forward_kernel<scalar_t>(
        source.data_ptr<scalar_t>(), flow.data_ptr<scalar_t>(),
        attn.data_ptr<scalar_t>(), out.data_ptr<scalar_t>(), source.size(0),
        source.size(1), source.size(2), source.size(3),
        static_cast<int>(kernel_size));
  });
}

void backward_cpu(const at::Tensor grad_out, const at::Tensor source,
                  const at::Tensor flow, const at::Tensor attn,
                  at::Tensor grad_source, at::Tensor grad_flow,
                  at::Tensor grad_attn, int64_t kernel_size) {
  const int64_t B = source.size(0), C = source.size(1), H = source.size(2),
                W = source.size(3);
  const int k = static_cast<int>(kernel_size);
  AT_DISPATCH_FLOATING_TYPES(source.scalar_type(), "gather_backward_cpu", [&] {
    if (grad_source.numel() > 0) {
      grad_source.zero_();
      backward_source_kernel<scalar_t>(
          grad_out.data_ptr<scalar_t>(), flow.data_ptr<scalar_t>(),
          attn.data_ptr<scalar_t>(), grad_source.data_ptr<scalar_t>(), B, C,
          H, W, k);
    }
    if (grad_flow.numel() > 0 || grad_attn.numel() > 0) {
      backward_attn_flow_kernel<scalar_t>(
          grad_out.data_ptr<scalar_t>(), source.data_ptr<scalar_t>(),
          flow.data_ptr<scalar_t>(), attn.data_ptr<scalar_t>(),
          grad_flow.numel() > 0 ? grad_flow.data_ptr<scalar_t>() : nullptr,
          grad_attn.numel() > 0 ? grad_attn.data_ptr<scalar_t>() : nullptr, B,
          C, H, W, k);
    }
  });
}

}  // namespace

GFLA_REGISTER_DEVICE_IMPL(local_attention_gather_forward_impl, CPU,
                          forward_cpu);
GFLA_REGISTER_DEVICE_IMPL(local_attention_gather_backward_impl, CPU,
                          backward_cpu);
