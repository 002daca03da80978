// Copyright (c) OpenMMLab. All rights reserved.
// sample_taps_nhwc (CPU, inference): the k x k bilinear taps of every pixel
// written pixel-major, out[b, p, j, c] = bilinear(source[b, :, :, c],
// p + flow(p) + (ix - k/2, iy - k/2)), j = iy * k + ix, for a channels-last
// source (B, H, W, C). A row of out is then one GEMM row of the local
// attention's kernel-prediction net, and the loop over c reads and writes
// contiguous memory (the tiled block_extract layout scatters both).
#include <ATen/Parallel.h>

#include "ops_impl.hpp"
#include "pytorch_cpp_helper.hpp"
#include "pytorch_device_registry.hpp"
#include "sampling_helpers.hpp"

namespace {

template <typename T>
void forward_kernel(const T* source, const T* flow, T* out, int64_t B,
                    int64_t H, int64_t W, int64_t C, int k) {
  const int64_t hw = H * W, row = int64_t(k) * k * C;
  const int n = k + 1;
  at::parallel_for(0, B * hw, 16, [&](int64_t begin, int64_t end) {
    int64_t idx[gfla::kMaxCells];
    for (int64_t bp = begin; bp < end; ++bp) {
      const int64_t b = bp / hw, p = bp % hw;
      T ax, ay;
      const gfla::CellGrid g =
          gfla::pixel_cell_grid(flow, b, p, H, W, k, &ax, &ay);
      g.indices(idx);
      const T* image = source + b * hw * C;
      T* dst = out + bp * row;
      for (int iy = 0; iy < k; ++iy) {
        for (int ix = 0; ix < k; ++ix) {
          const int64_t* cell = idx + iy * n + ix;
          const T* tl = image + cell[0] * C;
          const T* tr = image + cell[1] * C;
          const T* bl = image + cell[n] * C;
          const T* br = image + cell[n + 1] * C;
          T* tap = dst + (iy * k + ix) * C;
          for (int64_t c = 0; c < C; ++c) {
            // block_extract's arithmetic: the same values, bit for bit.
            tap[c] = gfla::bilinear(tl[c], tr[c], bl[c], br[c], ax, ay);
          }
        }
      }
    }
  });
}

void forward_cpu(const at::Tensor source, const at::Tensor flow,
                 at::Tensor out, int64_t kernel_size) {
  const int64_t B = source.size(0), H = source.size(1), W = source.size(2),
                C = source.size(3);
  AT_DISPATCH_FLOATING_TYPES(source.scalar_type(), "sample_taps_nhwc", [&] {
    forward_kernel<scalar_t>(source.data_ptr<scalar_t>(),
                             flow.data_ptr<scalar_t>(),
                             out.data_ptr<scalar_t>(), B, H, W, C,
                             static_cast<int>(kernel_size));
  });
}

}  // namespace

GFLA_REGISTER_DEVICE_IMPL(sample_taps_nhwc_forward_impl, CPU, forward_cpu);
