// Copyright (c) OpenMMLab. All rights reserved.
// gaussian_resample (the official Resample2d): Gaussian-weighted mean of a
// K x K (dilated) neighbourhood around p + flow(p).
#include "ops_impl.hpp"
#include "pytorch_cpp_helper.hpp"
#include "pytorch_device_registry.hpp"

void gaussian_resample_forward_impl(const at::Tensor source,
                                    const at::Tensor flow, at::Tensor out,
                                    int64_t kernel_size, int64_t dilation,
                                    double sigma) {
  GFLA_DISPATCH_DEVICE_IMPL(gaussian_resample_forward_impl, source, flow, out,
                            kernel_size, dilation, sigma);
}

void gaussian_resample_backward_impl(const at::Tensor grad_out,
                                     const at::Tensor source,
                                     const at::Tensor flow,
                                     at::Tensor grad_source,
                                     at::Tensor grad_flow,
                                     int64_t kernel_size, int64_t dilation,
                                     double sigma) {
  GFLA_DISPATCH_DEVICE_IMPL(gaussian_resample_backward_impl, grad_out, source,
                            flow, grad_source, grad_flow, kernel_size,
                            dilation, sigma);
}

void gaussian_resample_forward(const at::Tensor source,
                               const at::Tensor flow, at::Tensor out,
                               int64_t kernel_size, int64_t dilation,
                               double sigma) {
  GFLA_CHECK_DIM(source, 4);
  GFLA_CHECK_DIM(flow, 4);
  GFLA_CHECK_CONTIGUOUS(source);
  GFLA_CHECK_CONTIGUOUS(flow);
  GFLA_CHECK_CONTIGUOUS(out);
  gaussian_resample_forward_impl(source, flow, out, kernel_size, dilation,
                                 sigma);
}

void gaussian_resample_backward(const at::Tensor grad_out,
                                const at::Tensor source,
                                const at::Tensor flow, at::Tensor grad_source,
                                at::Tensor grad_flow, int64_t kernel_size,
                                int64_t dilation, double sigma) {
  GFLA_CHECK_CONTIGUOUS(grad_out);
  GFLA_CHECK_CONTIGUOUS(source);
  GFLA_CHECK_CONTIGUOUS(flow);
  gaussian_resample_backward_impl(grad_out, source, flow, grad_source,
                                  grad_flow, kernel_size, dilation, sigma);
}
