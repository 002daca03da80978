// Copyright (c) OpenMMLab. All rights reserved.
// c10 CUDA headers only: ATen/cuda/CUDAContext.h pulls in cuSPARSE/cuBLAS
// headers, which a bare CUDA toolkit may lack.
#include <ATen/OpMathType.h>
#include <c10/cuda/CUDAException.h>
#include <c10/cuda/CUDAGuard.h>
#include <c10/cuda/CUDAStream.h>

#include "gaussian_resample_cuda_kernel.cuh"
#include "pytorch_cpp_helper.hpp"

void gaussian_resample_forward_cuda(const at::Tensor source,
                                    const at::Tensor flow, at::Tensor out,
                                    int64_t kernel_size, int64_t dilation,
                                    double sigma) {
  const c10::cuda::CUDAGuard guard(source.device());
  cudaStream_t stream = c10::cuda::getCurrentCUDAStream();
  const int64_t n = source.numel();
  if (n == 0) return;
  AT_DISPATCH_FLOATING_TYPES_AND2(
      at::kHalf, at::kBFloat16, source.scalar_type(),
      "gaussian_resample_forward_cuda", [&] {
        using acc_t = at::opmath_type<scalar_t>;
        GFLA_LAUNCH_KERNEL(
            (gaussian_resample_forward_cuda_kernel<scalar_t, acc_t>),
            gfla_get_blocks(n), kGflaThreadsPerBlock, 0, stream, n,
            source.data_ptr<scalar_t>(), flow.data_ptr<scalar_t>(),
            out.data_ptr<scalar_t>(), source.size(1), source.size(2),
            source.size(3), static_cast<int>(kernel_size),
            static_cast<int>(dilation), static_cast<acc_t>(1.0 / (2.0 * sigma *
            sigma)));
      });
  C10_CUDA_KERNEL_LAUNCH_CHECK();
}

void gaussian_resample_backward_cuda(const at::Tensor grad_out,
                                     const at::Tensor source,
                                     const at::Tensor flow,
                                     at::Tensor grad_source,
                                     at::Tensor grad_flow,
                                     int64_t kernel_size, int64_t dilation,
                                     double sigma) {
  const c10::cuda::CUDAGuard guard(source.device());
  cudaStream_t stream = c10::cuda::getCurrentCUDAStream();
  const int64_t B = source.size(0), C = source.size(1), H = source.size(2),
                W = source.size(3);
  const int K = static_cast<int>(kernel_size), d = static_cast<int>(dilation);
  AT_DISPATCH_FLOATING_TYPES(
      source.scalar_type(), "gaussian_resample_backward_cuda", [&] {
        const scalar_t s = static_cast<scalar_t>(1.0 / (2.0 * sigma * sigma));
        if (grad_source.numel() > 0) {
          grad_source.zero_();
          const int64_t n = grad_out.numel();
          GFLA_LAUNCH_KERNEL(
              (gaussian_resample_backward_source_cuda_kernel<scalar_t>),
              gfla_get_blocks(n), kGflaThreadsPerBlock, 0, stream, n,
              grad_out.data_ptr<scalar_t>(), flow.data_ptr<scalar_t>(),
              grad_source.data_ptr<scalar_t>(), C, H, W, K, d, s);
        }
        if (grad_flow.numel() > 0) {
          const int64_t n = B * H * W;
          GFLA_LAUNCH_KERNEL(
              (gaussian_resample_backward_flow_cuda_kernel<scalar_t>),
              gfla_get_blocks(n), kGflaThreadsPerBlock, 0, stream, n,
              grad_out.data_ptr<scalar_t>(), source.data_ptr<scalar_t>(),
              flow.data_ptr<scalar_t>(), grad_flow.data_ptr<scalar_t>(), C, H,
              W, K, d, s);
        }
      });
  C10_CUDA_KERNEL_LAUNCH_CHECK();
}
