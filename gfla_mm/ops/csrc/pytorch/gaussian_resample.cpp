// Copyright (c) OpenMMLab. All rights reserved.
// gaussian_resample (the official Resample2d): Gaussian-weighted mean of a
// K x K (dilated) neighbourhood around p + flow(p).
#include "ops_impl.hpp"
#include "pytorch_cpp_helper.hpp"
#include "pytorch_device_registry.hpp"
#include "sampling_helpers.hpp"

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

// kernel_size even in [2, kMaxKernelSize - 1], dilation >= 1, sigma > 0.
static void check_gaussian_args(const at::Tensor& source,
                                const at::Tensor& flow, int64_t kernel_size,
                                int64_t dilation, double sigma) {
  gfla_check_source_flow(source, flow, kernel_size, 2,
                         gfla::kMaxKernelSize - 1);
  TORCH_CHECK(kernel_size % 2 == 0, "kernel_size must be even, got ",
              kernel_size);
  TORCH_CHECK(dilation >= 1, "dilation must be >= 1, got ", dilation);
  TORCH_CHECK(sigma > 0, "sigma must be > 0, got ", sigma);
}

void gaussian_resample_forward(const at::Tensor source,
                               const at::Tensor flow, at::Tensor out,
                               int64_t kernel_size, int64_t dilation,
                               double sigma) {
  check_gaussian_args(source, flow, kernel_size, dilation, sigma);
  GFLA_CHECK_CONTIGUOUS(out);
  GFLA_CHECK_SHAPE(out, source);
  gaussian_resample_forward_impl(source, flow, out, kernel_size, dilation,
                                 sigma);
}

void gaussian_resample_backward(const at::Tensor grad_out,
                                const at::Tensor source,
                                const at::Tensor flow, at::Tensor grad_source,
                                at::Tensor grad_flow, int64_t kernel_size,
                                int64_t dilation, double sigma) {
  check_gaussian_args(source, flow, kernel_size, dilation, sigma);
  GFLA_CHECK_CONTIGUOUS(grad_out);
  GFLA_CHECK_SHAPE(grad_out, source);
  GFLA_CHECK_GRAD(grad_source, source);
  GFLA_CHECK_GRAD(grad_flow, flow);
  gaussian_resample_backward_impl(grad_out, source, flow, grad_source,
                                  grad_flow, kernel_size, dilation, sigma);
}
