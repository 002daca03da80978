// Copyright (c) OpenMMLab. All rights reserved.
// CPU kernels of block_extract (exact; OpenMP via at::parallel_for).
#include <ATen/Parallel.h>

#include "pytorch_cpp_helper.hpp"
#include "ops_impl.hpp"
#include "pytorch_device_registry.hpp"
#include "sampling_helpers.hpp"

namespace {

using gfla::CellGrid;

// Offset of tap (iy, ix) of pixel p in one (k*H, k*W) output plane.
inline int64_t tile_offset(int64_t p, int64_t w, int k, int iy, int ix) {
  return ((p / w) * k + iy) * (w * k) + (p % w) * k + ix;
}

template <typename T>
void forward_kernel(const T* source, const T* flow, T* out, int64_t B,
                    int64_t C, int64_t H, int64_t W, int k) {
  const int64_t hw = H * W, out_hw = hw * k * k;
  const int n = k + 1;
  at::parallel_for(0, B * hw, 64, [&](int64_t begin, int64_t end) {
    int64_t idx[gfla::kMaxCells];
    for (int64_t bp = begin; bp < end; ++bp) {
      const int64_t b = bp / hw, p = bp % hw;
      T ax, ay;
      const CellGrid g = gfla::pixel_cell_grid(flow, b, p, H, W, k, &ax, &ay);
      g.indices(idx);
      for (int64_t c = 0; c < C; ++c) {
        const T* plane = source + (b * C + c) * hw;
        T* dst = out + (b * C + c) * out_hw;
        for (int iy = 0; iy < k; ++iy) {
          for (int ix = 0; ix < k; ++ix) {
            const int64_t* cell = idx + iy * n + ix;
            dst[tile_offset(p, W, k, iy, ix)] =
                gfla::bilinear(plane[cell[0]], plane[cell[1]], plane[cell[n]],
                               plane[cell[n + 1]], ax, ay);
          }
        }
      }
    }
  });
}

// grad_source (scatter): threads own disjoint channel ranges.
template <typename T>
void backward_source_kernel(const T* grad_out, const T* flow, T* grad_source,
                            int64_t B, int64_t C, int64_t H, int64_t W,
                            int k) {
  const int64_t hw = H * W, out_hw = hw * k * k;
  const int n = k + 1;
  at::parallel_for(0, C, 1, [&](int64_t c0, int64_t c1) {
    int64_t idx[gfla::kMaxCells];
    for (int64_t b = 0; b < B; ++b) {
      for (int64_t p = 0; p < hw; ++p) {
        T ax, ay;
        const CellGrid g = gfla::pixel_cell_grid(flow, b, p, H, W, k, &ax, &ay);
        g.indices(idx);
        const T w00 = (T(1) - ay) * (T(1) - ax), w01 = (T(1) - ay) * ax;
        const T w10 = ay * (T(1) - ax), w11 = ay * ax;
        for (int64_t c = c0; c < c1; ++c) {
          const T* go = grad_out + (b * C + c) * out_hw;
          T* plane = grad_source + (b * C + c) * hw;
          for (int iy = 0; iy < k; ++iy) {
            for (int ix = 0; ix < k; ++ix) {
              const T gv = go[tile_offset(p, W, k, iy, ix)];
              if (gv == T(0)) continue;  // as every scatter (docs/ops.md)
              const int64_t* cell = idx + iy * n + ix;
              plane[cell[0]] += w00 * gv;
              plane[cell[1]] += w01 * gv;
              plane[cell[n]] += w10 * gv;
              plane[cell[n + 1]] += w11 * gv;
            }
          }
        }
      }
    }
  });
}

template <typename T>
void backward_flow_kernel(const T* grad_out, const T* source, const T* flow,
                          T* grad_flow, int64_t B, int64_t C, int64_t H,
                          int64_t W, int k) {
  const int64_t hw = H * W, out_hw = hw * k * k;
  const int n = k + 1;
  at::parallel_for(0, B * hw, 64, [&](int64_t begin, int64_t end) {
    int64_t idx[gfla::kMaxCells];
    for (int64_t bp = begin; bp < end; ++bp) {
      const int64_t b = bp / hw, p = bp % hw;
      T ax, ay;
      const CellGrid g = gfla::pixel_cell_grid(flow, b, p, H, W, k, &ax, &ay);
      g.indices(idx);
      T gx = T(0), gy = T(0);
      for (int64_t c = 0; c < C; ++c) {
        const T* plane = source + (b * C + c) * hw;
        const T* go = grad_out + (b * C + c) * out_hw;
        for (int iy = 0; iy < k; ++iy) {
          for (int ix = 0; ix < k; ++ix) {
            const T gv = go[tile_offset(p, W, k, iy, ix)];
            const int64_t* cell = idx + iy * n + ix;
            const T tl = plane[cell[0]], tr = plane[cell[1]];
            const T bl = plane[cell[n]], br = plane[cell[n + 1]];
            gx += gv * ((T(1) - ay) * (tr - tl) + ay * (br - bl));
            gy += gv * ((T(1) - ax) * (bl - tl) + ax * (br - tr));
          }
        }
      }
      grad_flow[(b * 2) * hw + p] = gx;
      grad_flow[(b * 2 + 1) * hw + p] = gy;
    }
  });
}

void forward_cpu(const at::Tensor source, const at::Tensor flow,
                 at::Tensor out, int64_t kernel_size) {
  AT_DISPATCH_FLOATING_TYPES(source.scalar_type(), "block_forward_cpu", [&] {
    forward_kernel<scalar_t>(source.data_ptr<scalar_t>(),
                             flow.data_ptr<scalar_t>(),
                             out.data_ptr<scalar_t>(), source.size(0),
                             source.size(1), source.size(2), source.size(3),
                             static_cast<int>(kernel_size));
  });
}

void backward_cpu(const at::Tensor grad_out, const at::Tensor source,
                  const at::Tensor flow, at::Tensor grad_source,
                  at::Tensor grad_flow, int64_t kernel_size) {
  const int64_t B = source.size(0), C = source.size(1), H = source.size(2),
                W = source.size(3);
  const int k = static_cast<int>(kernel_size);
  AT_DISPATCH_FLOATING_TYPES(source.scalar_type(), "block_backward_cpu", [&] {
    if (grad_source.numel() > 0) {
      grad_source.zero_();
      backward_source_kernel<scalar_t>(
          grad_out.data_ptr<scalar_t>(), flow.data_ptr<scalar_t>(),
          grad_source.data_ptr<scalar_t>(), B, C, H, W, k);
    }
    if (grad_flow.numel() > 0) {
      backward_flow_kernel<scalar_t>(
          grad_out.data_ptr<scalar_t>(), source.data_ptr<scalar_t>(),
          flow.data_ptr<scalar_t>(), grad_flow.data_ptr<scalar_t>(), B, C, H,
          W, k);
    }
  });
}

}  // namespace

GFLA_REGISTER_DEVICE_IMPL(block_extract_forward_impl, CPU, forward_cpu);
GFLA_REGISTER_DEVICE_IMPL(block_extract_backward_impl, CPU, backward_cpu);
