// Copyright (c) OpenMMLab. All rights reserved.
// c10 CUDA headers only: ATen/cuda/CUDAContext.h pulls in cuSPARSE/cuBLAS
// headers, which a bare CUDA toolkit may lack.
#include <ATen/OpMathType.h>
#include <c10/cuda/CUDAException.h>
#include <c10/cuda/CUDAGuard.h>
#include <c10/cuda/CUDAStream.h>

#include "block_extract_cuda_kernel.cuh"
#include "pytorch_cpp_helper.hpp"

void block_extract_forward_cuda(const at::Tensor source,
                                const at::Tensor flow, at::Tensor out,
                                int64_t kernel_size) {
  const c10::cuda::CUDAGuard guard(source.device());
  cudaStream_t stream = c10::cuda::getCurrentCUDAStream();
  const int64_t n = out.numel();
  if (n == 0) return;
  AT_DISPATCH_FLOATING_TYPES_AND2(
      at::kHalf, at::kBFloat16, source.scalar_type(),
      "block_extract_forward_cuda", [&] {
        using acc_t = at::opmath_type<scalar_t>;
        GFLA_LAUNCH_KERNEL(
            (block_extract_forward_cuda_kernel<scalar_t, acc_t>),
            gfla_get_blocks(n), kGflaThreadsPerBlock, 0, stream, n,
            source.data_ptr<scalar_t>(), flow.data_ptr<scalar_t>(),
            out.data_ptr<scalar_t>(), source.size(1), source.size(2),
            source.size(3), static_cast<int>(kernel_size));
      });
  C10_CUDA_KERNEL_LAUNCH_CHECK();
}

void block_extract_backward_cuda(const at::Tensor grad_out,
                                 const at::Tensor source,
                                 const at::Tensor flow,
                                 at::Tensor grad_source, at::Tensor grad_flow,
                                 int64_t kernel_size) {
  const c10::cuda::CUDAGuard guard(source.device());
  cudaStream_t stream = c10::cuda::getCurrentCUDAStream();
  const int64_t B = source.size(0), C = source.size(1), H = source.size(2),
                W = source.size(3);
  const int k = static_cast<int>(kernel_size);
  AT_DISPATCH_FLOATING_TYPES(
      source.scalar_type(), "block_extract_backward_cuda", [&] {
        if (grad_source.numel() > 0) {
          grad_source.zero_();
          const int64_t n = grad_out.numel();
          GFLA_LAUNCH_KERNEL(
              (block_extract_backward_source_cuda_kernel<scalar_t>),
              gfla_get_blocks(n), kGflaThreadsPerBlock, 0, stream, n,
              grad_out.data_ptr<scalar_t>(), flow.data_ptr<scalar_t>(),
              grad_source.data_ptr<scalar_t>(), C, H, W, k);
        }
        if (grad_flow.numel() > 0) {
          const int64_t n = B * H * W;
          GFLA_LAUNCH_KERNEL(
              (block_extract_backward_flow_cuda_kernel<scalar_t>),
              gfla_get_blocks(n), kGflaThreadsPerBlock, 0, stream, n,
              grad_out.data_ptr<scalar_t>(), source.data_ptr<scalar_t>(),
              flow.data_ptr<scalar_t>(), grad_flow.data_ptr<scalar_t>(), C, H,
              W, k);
        }
      });
  C10_CUDA_KERNEL_LAUNCH_CHECK();
}
