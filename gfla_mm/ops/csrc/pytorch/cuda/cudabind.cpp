// Copyright (c) OpenMMLab. All rights reserved.
// Registers the CUDA implementations of every op (mmcv's cudabind.cpp),
// under the CPU device in the host emulation (GFLA_CUDA_DEVICE).
#include "ops_impl.hpp"
#include "pytorch_cpp_helper.hpp"
#include "pytorch_device_registry.hpp"

void local_attention_gather_forward_cuda(const at::Tensor source,
                                         const at::Tensor flow,
                                         const at::Tensor attn,
                                         at::Tensor out, int64_t kernel_size);
void local_attention_gather_backward_cuda(
    const at::Tensor grad_out, const at::Tensor source, const at::Tensor flow,
    const at::Tensor attn, at::Tensor grad_source, at::Tensor grad_flow,
    at::Tensor grad_attn, int64_t kernel_size);
GFLA_REGISTER_DEVICE_IMPL(local_attention_gather_forward_impl,
                          GFLA_CUDA_DEVICE,
                          local_attention_gather_forward_cuda);
GFLA_REGISTER_DEVICE_IMPL(local_attention_gather_backward_impl,
                          GFLA_CUDA_DEVICE,
                          local_attention_gather_backward_cuda);

void block_extract_forward_cuda(const at::Tensor source,
                                const at::Tensor flow, at::Tensor out,
                                int64_t kernel_size);
void block_extract_backward_cuda(const at::Tensor grad_out,
                                 const at::Tensor source,
                                 const at::Tensor flow,
                                 at::Tensor grad_source, at::Tensor grad_flow,
                                 int64_t kernel_size);
GFLA_REGISTER_DEVICE_IMPL(block_extract_forward_impl,
                          GFLA_CUDA_DEVICE, block_extract_forward_cuda);
GFLA_REGISTER_DEVICE_IMPL(block_extract_backward_impl,
                          GFLA_CUDA_DEVICE, block_extract_backward_cuda);

void gaussian_resample_forward_cuda(const at::Tensor source,
                                    const at::Tensor flow, at::Tensor out,
                                    int64_t kernel_size, int64_t dilation,
                                    double sigma);
void gaussian_resample_backward_cuda(const at::Tensor grad_out,
                                     const at::Tensor source,
                                     const at::Tensor flow,
                                     at::Tensor grad_source,
                                     at::Tensor grad_flow,
                                     int64_t kernel_size, int64_t dilation,
                                     double sigma);
GFLA_REGISTER_DEVICE_IMPL(gaussian_resample_forward_impl,
                          GFLA_CUDA_DEVICE, gaussian_resample_forward_cuda);
GFLA_REGISTER_DEVICE_IMPL(gaussian_resample_backward_impl,
                          GFLA_CUDA_DEVICE, gaussian_resample_backward_cuda);
