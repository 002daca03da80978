// Copyright (c) OpenMMLab. All rights reserved.
// local_attention_gather: out[b,c,p] = sum_j attn[b,j,p] *
//   bilinear(source[b,c], p + flow(p) + o_j), o_j = (ix - k/2, iy - k/2).
#include "ops_impl.hpp"
#include "pytorch_cpp_helper.hpp"
#include "pytorch_device_registry.hpp"
#include "sampling_helpers.hpp"

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

// attn (B, k*k, H, W) beside source (B, C, H, W) and flow (B, 2, H, W).
static void check_gather_args(const at::Tensor& source, const at::Tensor& flow,
                              const at::Tensor& attn, int64_t kernel_size) {
  gfla_check_source_flow(source, flow, kernel_size, 1, gfla::kMaxKernelSize);
  GFLA_CHECK_DIM(attn, 4);
  GFLA_CHECK_CONTIGUOUS(attn);
  TORCH_CHECK(attn.size(0) == source.size(0) &&
                  attn.size(1) == kernel_size * kernel_size &&
                  attn.size(2) == source.size(2) &&
                  attn.size(3) == source.size(3),
              "attn of shape ", attn.sizes(), " does not fit source of shape ",
              source.sizes(), " and kernel_size ", kernel_size);
  TORCH_CHECK(attn.device() == source.device() &&
                  attn.scalar_type() == source.scalar_type(),
              "attn and source must share device and dtype");
}

void local_attention_gather_forward(const at::Tensor source,
                                    const at::Tensor flow,
                                    const at::Tensor attn, at::Tensor out,
                                    int64_t kernel_size) {
  check_gather_args(source, flow, attn, kernel_size);
  GFLA_CHECK_CONTIGUOUS(out);
  GFLA_CHECK_SHAPE(out, source);
  local_attention_gather_forward_impl(source, flow, attn, out, kernel_size);
}

void local_attention_gather_backward(
    const at::Tensor grad_out, const at::Tensor source, const at::Tensor flow,
    const at::Tensor attn, at::Tensor grad_source, at::Tensor grad_flow,
    at::Tensor grad_attn, int64_t kernel_size) {
  check_gather_args(source, flow, attn, kernel_size);
  GFLA_CHECK_CONTIGUOUS(grad_out);
  GFLA_CHECK_SHAPE(grad_out, source);
  GFLA_CHECK_GRAD(grad_source, source);
  GFLA_CHECK_GRAD(grad_flow, flow);
  GFLA_CHECK_GRAD(grad_attn, attn);
  local_attention_gather_backward_impl(grad_out, source, flow, attn,
                                       grad_source, grad_flow, grad_attn,
                                       kernel_size);
}
