// Copyright (c) OpenMMLab. All rights reserved.
// CPU kernels of gaussian_resample (exact; OpenMP via at::parallel_for).
// The Gaussian weights are separable: w(t, s) = wy[t] * wx[s], so
// out = sum_ts wy[t] wx[s] v[t, s] / (sum wy * sum wx).
#include <ATen/Parallel.h>

#include "pytorch_cpp_helper.hpp"
#include "ops_impl.hpp"
#include "pytorch_device_registry.hpp"
#include "sampling_helpers.hpp"

namespace {

template <typename T>
void forward_kernel(const T* source, const T* flow, T* out, int64_t B,
                    int64_t C, int64_t H, int64_t W, int K, int dilation,
                    T inv_two_sigma2) {
  const int64_t hw = H * W;
  at::parallel_for(0, B * hw, 64, [&](int64_t begin, int64_t end) {
    gfla::GaussianPixel<T> taps;
    for (int64_t bp = begin; bp < end; ++bp) {
      const int64_t b = bp / hw, p = bp % hw;
      taps.init(flow, b, p, H, W, K, dilation, inv_two_sigma2);
      for (int64_t c = 0; c < C; ++c)
        out[(b * C + c) * hw + p] = taps.sample(source + (b * C + c) * hw, W);
    }
  });
}

template <typename T>
void backward_source_kernel(const T* grad_out, const T* flow, T* grad_source,
                            int64_t B, int64_t C, int64_t H, int64_t W, int K,
                            int dilation, T inv_two_sigma2) {
  const int64_t hw = H * W;
  at::parallel_for(0, C, 1, [&](int64_t c0, int64_t c1) {
    gfla::GaussianPixel<T> taps;
    for (int64_t b = 0; b < B; ++b) {
      for (int64_t p = 0; p < hw; ++p) {
        taps.init(flow, b, p, H, W, K, dilation, inv_two_sigma2);
        const T norm = taps.norm();
        for (int64_t c = c0; c < c1; ++c) {
          const T g0 = grad_out[(b * C + c) * hw + p];
          if (g0 == T(0)) continue;  // as every scatter (docs/ops.md)
          const T go = g0 * norm;
          T* plane = grad_source + (b * C + c) * hw;
          for (int t = 0; t < K; ++t) {
            T* row = plane + taps.y.index[t] * W;
            const T gy = go * taps.y.weight[t];
            for (int s = 0; s < K; ++s) row[taps.x.index[s]] += gy * taps.x.weight[s];
          }
        }
      }
    }
  });
}

template <typename T>
void backward_flow_kernel(const T* grad_out, const T* source, const T* flow,
                          T* grad_flow, int64_t B, int64_t C, int64_t H,
                          int64_t W, int K, int dilation, T inv_two_sigma2) {
  const int64_t hw = H * W;
  at::parallel_for(0, B * hw, 64, [&](int64_t begin, int64_t end) {
    gfla::GaussianPixel<T> taps;
    for (int64_t bp = begin; bp < end; ++bp) {
      const int64_t b = bp / hw, p = bp % hw;
      taps.init(flow, b, p, H, W, K, dilation, inv_two_sigma2);
      T gx = T(0), gy = T(0);
      for (int64_t c = 0; c < C; ++c)
        taps.accumulate_flow_grad(source + (b * C + c) * hw, W,
                                  grad_out[(b * C + c) * hw + p], &gx, &gy);
      grad_flow[(b * 2) * hw + p] = gx;
      grad_flow[(b * 2 + 1) * hw + p] = gy;
    }
  });
}

void forward_cpu(const at::Tensor source, const at::Tensor flow,
                 at::Tensor out, int64_t kernel_size, int64_t dilation,
                 double sigma) {
  AT_DISPATCH_FLOATING_TYPES(source.scalar_type(), "resample_forward_cpu", [&] {
    forward_kernel<scalar_t>(
        source.data_ptr<scalar_t>(), flow.data_ptr<scalar_t>(),
        out.data_ptr<scalar_t>(), source.size(0), source.size(1),
        source.size(2), source.size(3), static_cast<int>(kernel_size),
        static_cast<int>(dilation),
        static_cast<scalar_t>(1.0 / (2.0 * sigma * sigma)));
  });
}

void backward_cpu(const at::Tensor grad_out, const at::Tensor source,
                  const at::Tensor flow, at::Tensor grad_source,
                  at::Tensor grad_flow, int64_t kernel_size, int64_t dilation,
                  double sigma) {
  const int64_t B = source.size(0), C = source.size(1), H = source.size(2),
                W = source.size(3);
  const int K = static_cast<int>(kernel_size), d = static_cast<int>(dilation);
  AT_DISPATCH_FLOATING_TYPES(source.scalar_type(), "resample_backward_cpu", [&] {
    const scalar_t s = static_cast<scalar_t>(1.0 / (2.0 * sigma * sigma));
    if (grad_source.numel() > 0) {
      grad_source.zero_();
      backward_source_kernel<scalar_t>(
          grad_out.data_ptr<scalar_t>(), flow.data_ptr<scalar_t>(),
          grad_source.data_ptr<scalar_t>(), B, C, H, W, K, d, s);
    }
    if (grad_flow.numel() > 0) {
      backward_flow_kernel<scalar_t>(
          grad_out.data_ptr<scalar_t>(), source.data_ptr<scalar_t>(),
          flow.data_ptr<scalar_t>(), grad_flow.data_ptr<scalar_t>(), B, C, H,
          W, K, d, s);
    }
  });
}

}  // namespace

GFLA_REGISTER_DEVICE_IMPL(gaussian_resample_forward_impl, CPU, forward_cpu);
GFLA_REGISTER_DEVICE_IMPL(gaussian_resample_backward_impl, CPU, backward_cpu);
