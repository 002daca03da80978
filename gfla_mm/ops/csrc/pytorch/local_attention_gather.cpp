// Copyright (c) OpenMMLab. All rights reserved.
// local_attention_gather: out[b,c,p] = sum_j attn[b,j,p] *
//   bilinear(source[b,c], p + flow(p) + o_j), o_j = (ix - k/2, iy - k/2).
#include "ops_impl.hpp"
#include "pytorch_cpp_helper.hpp"
#include "pytorch_device_registry.hpp"

void local_attention_gather_forward_impl(const at::Tensor source,
                                         const at::Tensor flow,
                                         const at::Tensor attn,
                                         at::Tensor out, int64_t kernel_size) {
  GFLA_DISPATCH_DEVICE_IMPL(local_attention_gather_forward_impl, source, flow,
                            attn, out, kernel_size);
}

void local_attention_gather_backward_impl(
    const at::Tensor grad_out, const at::Tensor source, const at::Tensor flow,
    const at::Tensor attn, at::Tensor grad_source, at::Tensor grad_flow,
    at::Tensor grad_attn, int64_t kernel_size) {
  GFLA_DISPATCH_DEVICE_IMPL(local_attention_gather_backward_impl, grad_out,
                            source, flow, attn, grad_source, grad_flow,
                            grad_attn, kernel_size);
}

void local_attention_gather_forward(const at::Tensor source,
                                    const at::Tensor flow,
                                    const at::Tensor attn, at::Tensor out,
                                    int64_t kernel_size) {
  GFLA_CHECK_DIM(source, 4);
  GFLA_CHECK_DIM(flow, 4);
  GFLA_CHECK_DIM(attn, 4);
  GFLA_CHECK_CONTIGUOUS(source);
  GFLA_CHECK_CONTIGUOUS(flow);
  GFLA_CHECK_CONTIGUOUS(attn);
  GFLA_CHECK_CONTIGUOUS(out);
  TORCH_CHECK(attn.size(1) == kernel_size * kernel_size,
              "attn must have kernel_size**2 channels");
  local_attention_gather_forward_impl(source, flow, attn, out, kernel_size);
}

void local_attention_gather_backward(
    const at::Tensor grad_out, const at::Tensor source, const at::Tensor flow,
    const at::Tensor attn, at::Tensor grad_source, at::Tensor grad_flow,
    at::Tensor grad_attn, int64_t kernel_size) {
  GFLA_CHECK_CONTIGUOUS(grad_out);
  GFLA_CHECK_CONTIGUOUS(source);
  GFLA_CHECK_CONTIGUOUS(flow);
  GFLA_CHECK_CONTIGUOUS(attn);
  local_attention_gather_backward_impl(grad_out, source, flow, attn,
                                       grad_source, grad_flow, grad_attn,
                                       kernel_size);
}
