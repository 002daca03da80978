// Copyright (c) OpenMMLab. All rights reserved.
// block_extract (the official BlockExtractor): out[b,c,y*k+iy,x*k+ix] =
//   bilinear(source[b,c], (x,y) + flow(x,y) + (ix - k/2, iy - k/2)).
#include "ops_impl.hpp"
#include "pytorch_cpp_helper.hpp"
#include "pytorch_device_registry.hpp"
#include "sampling_helpers.hpp"

void block_extract_forward_impl(const at::Tensor source,
                                const at::Tensor flow, at::Tensor out,
                                int64_t kernel_size) {
  GFLA_DISPATCH_DEVICE_IMPL(block_extract_forward_impl, source, flow, out,
                            kernel_size);
}

void block_extract_backward_impl(const at::Tensor grad_out,
                                 const at::Tensor source,
                                 const at::Tensor flow,
                                 at::Tensor grad_source, at::Tensor grad_flow,
                                 int64_t kernel_size) {
  GFLA_DISPATCH_DEVICE_IMPL(block_extract_backward_impl, grad_out, source,
                            flow, grad_source, grad_flow, kernel_size);
}

void block_extract_forward(const at::Tensor source, const at::Tensor flow,
                           at::Tensor out, int64_t kernel_size) {
  gfla_check_source_flow(source, flow, kernel_size, 1, gfla::kMaxKernelSize);
  GFLA_CHECK_CONTIGUOUS(out);
  TORCH_CHECK(out.dim() == 4 && out.size(0) == source.size(0) &&
                  out.size(1) == source.size(1) &&
                  out.size(2) == source.size(2) * kernel_size &&
                  out.size(3) == source.size(3) * kernel_size,
              "out of shape ", out.sizes(), " must be (B, C, kH, kW) for "
              "source of shape ", source.sizes(), " and kernel_size ",
              kernel_size);
  block_extract_forward_impl(source, flow, out, kernel_size);
}

void block_extract_backward(const at::Tensor grad_out,
                            const at::Tensor source, const at::Tensor flow,
                            at::Tensor grad_source, at::Tensor grad_flow,
                            int64_t kernel_size) {
  gfla_check_source_flow(source, flow, kernel_size, 1, gfla::kMaxKernelSize);
  GFLA_CHECK_CONTIGUOUS(grad_out);
  TORCH_CHECK(grad_out.dim() == 4 && grad_out.size(0) == source.size(0) &&
                  grad_out.size(1) == source.size(1) &&
                  grad_out.size(2) == source.size(2) * kernel_size &&
                  grad_out.size(3) == source.size(3) * kernel_size,
              "grad_out of shape ", grad_out.sizes(), " must be (B, C, kH, "
              "kW) for source of shape ", source.sizes(), " and kernel_size ",
              kernel_size);
  GFLA_CHECK_GRAD(grad_source, source);
  GFLA_CHECK_GRAD(grad_flow, flow);
  block_extract_backward_impl(grad_out, source, flow, grad_source, grad_flow,
                              kernel_size);
}
