// Copyright (c) OpenMMLab. All rights reserved.
// block_extract (the official BlockExtractor): out[b,c,y*k+iy,x*k+ix] =
//   bilinear(source[b,c], (x,y) + flow(x,y) + (ix - k/2, iy - k/2)).
#include "ops_impl.hpp"
#include "pytorch_cpp_helper.hpp"
#include "pytorch_device_registry.hpp"

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
  GFLA_CHECK_DIM(source, 4);
  GFLA_CHECK_DIM(flow, 4);
  GFLA_CHECK_CONTIGUOUS(source);
  GFLA_CHECK_CONTIGUOUS(flow);
  GFLA_CHECK_CONTIGUOUS(out);
  block_extract_forward_impl(source, flow, out, kernel_size);
}

void block_extract_backward(const at::Tensor grad_out,
                            const at::Tensor source, const at::Tensor flow,
                            at::Tensor grad_source, at::Tensor grad_flow,
                            int64_t kernel_size) {
  GFLA_CHECK_CONTIGUOUS(grad_out);
  GFLA_CHECK_CONTIGUOUS(source);
  GFLA_CHECK_CONTIGUOUS(flow);
  block_extract_backward_impl(grad_out, source, flow, grad_source, grad_flow,
                              kernel_size);
}
