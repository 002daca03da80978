// Copyright (c) OpenMMLab. All rights reserved.
// sample_taps_nhwc (CPU inference): the k x k bilinear taps of every pixel of
// a channels-last source, pixel-major: out[b, p, j, c] =
//   bilinear(source[b, :, :, c], p + flow(p) + (ix - k/2, iy - k/2)),
// j = iy * k + ix (the values of block_extract, in GEMM-row order).
#include "ops_impl.hpp"
#include "pytorch_cpp_helper.hpp"
#include "pytorch_device_registry.hpp"
#include "sampling_helpers.hpp"

void sample_taps_nhwc_forward_impl(const at::Tensor source,
                                   const at::Tensor flow, at::Tensor out,
                                   int64_t kernel_size) {
  GFLA_DISPATCH_DEVICE_IMPL(sample_taps_nhwc_forward_impl, source, flow, out,
                            kernel_size);
}

void sample_taps_nhwc_forward(const at::Tensor source, const at::Tensor flow,
                              at::Tensor out, int64_t kernel_size) {
  GFLA_CHECK_DIM(source, 4);
  GFLA_CHECK_DIM(flow, 4);
  GFLA_CHECK_CONTIGUOUS(source);
  GFLA_CHECK_CONTIGUOUS(flow);
  GFLA_CHECK_CONTIGUOUS(out);
  TORCH_CHECK(source.device().is_cpu() && flow.device().is_cpu() &&
                  out.device().is_cpu(),
              "sample_taps_nhwc_forward runs on the CPU only (a CPU "
              "inference path; CUDA runs local_attention_gather)");
  TORCH_CHECK(kernel_size >= 1 && kernel_size <= gfla::kMaxKernelSize,
              "kernel_size must be in [1, ", gfla::kMaxKernelSize, "], got ",
              kernel_size);
  const int64_t B = source.size(0), H = source.size(1), W = source.size(2),
                C = source.size(3);
  TORCH_CHECK(flow.size(0) == B && flow.size(1) == 2 && flow.size(2) == H &&
                  flow.size(3) == W,
              "flow of shape ", flow.sizes(), " does not fit the (B, H, W, C) "
              "source of shape ", source.sizes());
  TORCH_CHECK(out.dim() == 4 && out.size(0) == B && out.size(1) == H * W &&
                  out.size(2) == kernel_size * kernel_size &&
                  out.size(3) == C,
              "out of shape ", out.sizes(), " must be (B, H*W, k*k, C) for "
              "source of shape ", source.sizes(), " and kernel_size ",
              kernel_size);
  TORCH_CHECK(flow.scalar_type() == source.scalar_type() &&
                  out.scalar_type() == source.scalar_type(),
              "source, flow and out must share one dtype");
  sample_taps_nhwc_forward_impl(source, flow, out, kernel_size);
}
