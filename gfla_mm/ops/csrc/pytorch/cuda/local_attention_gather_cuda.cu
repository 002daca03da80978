// Copyright (c) OpenMMLab. All rights reserved.
// c10 CUDA headers only: ATen/cuda/CUDAContext.h pulls in cuSPARSE/cuBLAS
// headers, which a bare CUDA toolkit may lack.
#include <ATen/OpMathType.h>
#include <c10/cuda/CUDAException.h>
#include <c10/cuda/CUDAGuard.h>
#include <c10/cuda/CUDAStream.h>

#include <climits>
#include <cstdlib>
#include <string>
#include <type_traits>

#include "local_attention_gather_cuda_kernel.cuh"
#include "pytorch_cpp_helper.hpp"

namespace {

// Calls f(std::integral_constant<int, K>) for the kernel sizes with folded
// kernels and returns true, or returns false for the others.
template <typename F>
bool with_folded_kernel_size(int k, F&& f) {
  switch (k) {
    case 1: f(std::integral_constant<int, 1>()); return true;
    case 3: f(std::integral_constant<int, 3>()); return true;
    case 5: f(std::integral_constant<int, 5>()); return true;
    case 7: f(std::integral_constant<int, 7>()); return true;
    default: return false;
  }
}

int64_t channel_groups(int64_t C) {
  return (C + kGflaGatherChannelGroup - 1) / kGflaGatherChannelGroup;
}

// The shared-memory scatter of the source gradient is opt-in until a GPU
// run has measured it: GFLA_MM_CUDA_TILED_SCATTER=1.
bool tiled_scatter_enabled() {
  const char* flag = std::getenv("GFLA_MM_CUDA_TILED_SCATTER");
  return flag != nullptr && std::string(flag) == "1";
}

}  // namespace

void local_attention_gather_forward_cuda(const at::Tensor source,
                                         const at::Tensor flow,
                                         const at::Tensor attn,
                                         at::Tensor out, int64_t kernel_size) {
  const c10::cuda::CUDAGuard guard(source.device());
  cudaStream_t stream = c10::cuda::getCurrentCUDAStream();
  if (source.numel() == 0) return;
  const int64_t B = source.size(0), C = source.size(1), H = source.size(2),
                W = source.size(3);
  TORCH_CHECK(H * W <= INT_MAX, "local_attention_gather: an H x W plane of ",
              H, " x ", W, " is too large for the CUDA kernels' offsets");
  const int k = static_cast<int>(kernel_size);
  AT_DISPATCH_FLOATING_TYPES_AND2(
      at::kHalf, at::kBFloat16, source.scalar_type(),
      "local_attention_gather_forward_cuda", [&] {
        using acc_t = at::opmath_type<scalar_t>;
        const bool folded = with_folded_kernel_size(k, [&](auto kc) {
          constexpr int K = decltype(kc)::value;
          const int64_t groups = channel_groups(C);
          const int64_t n = B * groups * H * W;
          GFLA_LAUNCH_KERNEL(
              (local_attention_gather_forward_folded_cuda_kernel<K, scalar_t,
                                                                 acc_t>),
              gfla_get_blocks(n), kGflaThreadsPerBlock, 0, stream, n,
              source.data_ptr<scalar_t>(), flow.data_ptr<scalar_t>(),
              attn.data_ptr<scalar_t>(), out.data_ptr<scalar_t>(), C, H, W,
              groups);
        });
        if (!folded) {
          const int64_t n = source.numel();
          GFLA_LAUNCH_KERNEL(
              (local_attention_gather_forward_cuda_kernel<scalar_t, acc_t>),
              gfla_get_blocks(n), kGflaThreadsPerBlock, 0, stream, n,
              source.data_ptr<scalar_t>(), flow.data_ptr<scalar_t>(),
              attn.data_ptr<scalar_t>(), out.data_ptr<scalar_t>(), C, H, W, k);
        }
      });
  C10_CUDA_KERNEL_LAUNCH_CHECK();
}

void local_attention_gather_backward_cuda(
    const at::Tensor grad_out, const at::Tensor source, const at::Tensor flow,
    const at::Tensor attn, at::Tensor grad_source, at::Tensor grad_flow,
    at::Tensor grad_attn, int64_t kernel_size) {
  const c10::cuda::CUDAGuard guard(source.device());
  cudaStream_t stream = c10::cuda::getCurrentCUDAStream();
  const int64_t B = source.size(0), C = source.size(1), H = source.size(2),
                W = source.size(3);
  const int k = static_cast<int>(kernel_size);
  TORCH_CHECK(H * W <= INT_MAX, "local_attention_gather: an H x W plane of ",
              H, " x ", W, " is too large for the CUDA kernels' offsets");
  if (source.numel() == 0) {
    // No channels (C = 0): nothing flows back, but flow and attention
    // gradients still have pixels, which must read 0 (the CPU kernels' too).
    if (grad_flow.numel() > 0) grad_flow.zero_();
    if (grad_attn.numel() > 0) grad_attn.zero_();
    return;
  }
  AT_DISPATCH_FLOATING_TYPES(
      source.scalar_type(), "local_attention_gather_backward_cuda", [&] {
        const bool folded = with_folded_kernel_size(k, [&](auto kc) {
          constexpr int K = decltype(kc)::value;
          const int64_t groups = channel_groups(C);
          const int64_t n = B * groups * H * W;
          scalar_t* gs = nullptr;
          scalar_t* gf = nullptr;
          scalar_t* ga = nullptr;
          // Zeroed: the kernel accumulates into all three.
          if (grad_source.numel() > 0)
            gs = grad_source.zero_().data_ptr<scalar_t>();
          if (grad_flow.numel() > 0)
            gf = grad_flow.zero_().data_ptr<scalar_t>();
          if (grad_attn.numel() > 0)
            ga = grad_attn.zero_().data_ptr<scalar_t>();
          if (gs != nullptr && tiled_scatter_enabled()) {
            const int64_t tiles_x =
                (W + kGflaScatterTile - 1) / kGflaScatterTile;
            const int64_t tiles_y =
                (H + kGflaScatterTile - 1) / kGflaScatterTile;
            const int64_t blocks = B * groups * tiles_y * tiles_x;
            GFLA_LAUNCH_KERNEL(
                (local_attention_gather_backward_source_tiled_cuda_kernel<
                    K, scalar_t>),
                static_cast<unsigned int>(blocks),
                kGflaScatterTile * kGflaScatterTile, 0, stream,
                grad_out.data_ptr<scalar_t>(), flow.data_ptr<scalar_t>(),
                attn.data_ptr<scalar_t>(), gs, C, H, W, tiles_x, tiles_y,
                groups);
            gs = nullptr;  // done; the folded kernel does the rest
          }
          if (gs == nullptr && gf == nullptr && ga == nullptr) return;
          GFLA_LAUNCH_KERNEL(
              (local_attention_gather_backward_folded_cuda_kernel<K,
                                                                  scalar_t>),
              gfla_get_blocks(n), kGflaThreadsPerBlock, 0, stream, n,
              grad_out.data_ptr<scalar_t>(), source.data_ptr<scalar_t>(),
              flow.data_ptr<scalar_t>(), attn.data_ptr<scalar_t>(), gs, gf, ga,
              C, H, W, groups);
        });
        if (folded) return;
        if (grad_source.numel() > 0) {
          grad_source.zero_();
          const int64_t n = grad_out.numel();
          GFLA_LAUNCH_KERNEL(
              (local_attention_gather_backward_source_cuda_kernel<scalar_t>),
              gfla_get_blocks(n), kGflaThreadsPerBlock, 0, stream, n,
              grad_out.data_ptr<scalar_t>(), flow.data_ptr<scalar_t>(),
              attn.data_ptr<scalar_t>(), grad_source.data_ptr<scalar_t>(), C,
              H, W, k);
        }
        if (grad_attn.numel() > 0) {
          const int64_t n = grad_attn.numel();
          GFLA_LAUNCH_KERNEL(
              (local_attention_gather_backward_attn_cuda_kernel<scalar_t>),
              gfla_get_blocks(n), kGflaThreadsPerBlock, 0, stream, n,
              grad_out.data_ptr<scalar_t>(), source.data_ptr<scalar_t>(),
              flow.data_ptr<scalar_t>(), grad_attn.data_ptr<scalar_t>(), C, H,
              W, k);
        }
        if (grad_flow.numel() > 0) {
          const int64_t n = B * H * W;
          GFLA_LAUNCH_KERNEL(
              (local_attention_gather_backward_flow_cuda_kernel<scalar_t>),
              gfla_get_blocks(n), kGflaThreadsPerBlock, 0, stream, n,
              grad_out.data_ptr<scalar_t>(), source.data_ptr<scalar_t>(),
              flow.data_ptr<scalar_t>(), attn.data_ptr<scalar_t>(),
              grad_flow.data_ptr<scalar_t>(), C, H, W, k);
        }
      });
  C10_CUDA_KERNEL_LAUNCH_CHECK();
}
