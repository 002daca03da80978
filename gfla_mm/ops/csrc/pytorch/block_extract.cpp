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

// The patch tiling: (B, C, k*H, k*W) for source (B, C, H, W).
static void check_patch_shape(const at::Tensor& patches, const char* name,
                              const at::Tensor& source, int64_t kernel_size) {
  TORCH_CHECK(patches.dim() == 4 && patches.size(0) == source.size(0) &&
                  patches.size(1) == source.size(1) &&
                  patches.size(2) == source.size(2) * kernel_size &&
                  patches.size(3) == source.size(3) * kernel_size,
              name, " of shape ", patches.sizes(), " must be (B, C, kH, kW) "
              "for source of shape ", source.sizes(), " and kernel_size ",
              kernel_size);
}

void block_extract_forward(const at::Tensor source, const at::Tensor flow,
                           at::Tensor out, int64_t kernel_size) {
  gfla_check_source_flow(source, flow, kernel_size, 1, gfla::kMaxKernelSize);
  GFLA_CHECK_CONTIGUOUS(out);
  check_patch_shape(out, "out", source, kernel_size);
  block_extract_forward_impl(source, flow, out, kernel_size);
}

void block_extract_backward(const at::Tensor grad_out,
                            const at::Tensor source, const at::Tensor flow,
                            at::Tensor grad_source, at::Tensor grad_flow,
                            int64_t kernel_size) {
  gfla_check_source_flow(source, flow, kernel_size, 1, gfla::kMaxKernelSize);
  GFLA_CHECK_CONTIGUOUS(grad_out);
  check_patch_shape(grad_out, "grad_out", source, kernel_size);
  GFLA_CHECK_GRAD(grad_source, source);
  GFLA_CHECK_GRAD(grad_flow, flow);
  block_extract_backward_impl(grad_out, source, flow, grad_source, grad_flow,
                              kernel_size);
}
