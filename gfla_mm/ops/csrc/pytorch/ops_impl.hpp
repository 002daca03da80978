// Copyright (c) OpenMMLab. All rights reserved.
// The device-agnostic entry points of every op. pytorch/<op>.cpp defines
// them (dispatching on the tensors' device); the CPU and CUDA sources
// register their implementations under them.
#pragma once

#include <ATen/ATen.h>

void local_attention_gather_forward_impl(const at::Tensor source,
                                         const at::Tensor flow,
                                         const at::Tensor attn,
                                         at::Tensor out, int64_t kernel_size);
// grad_source / grad_flow / grad_attn may be empty (numel 0): not computed.
void local_attention_gather_backward_impl(
    const at::Tensor grad_out, const at::Tensor source, const at::Tensor flow,
    const at::Tensor attn, at::Tensor grad_source, at::Tensor grad_flow,
    at::Tensor grad_attn, int64_t kernel_size);

void block_extract_forward_impl(const at::Tensor source,
                                const at::Tensor flow, at::Tensor out,
                                int64_t kernel_size);
void block_extract_backward_impl(const at::Tensor grad_out,
                                 const at::Tensor source,
                                 const at::Tensor flow,
                                 at::Tensor grad_source, at::Tensor grad_flow,
                                 int64_t kernel_size);

void gaussian_resample_forward_impl(const at::Tensor source,
                                    const at::Tensor flow, at::Tensor out,
                                    int64_t kernel_size, int64_t dilation,
                                    double sigma);
void gaussian_resample_backward_impl(const at::Tensor grad_out,
                                     const at::Tensor source,
                                     const at::Tensor flow,
                                     at::Tensor grad_source,
                                     at::Tensor grad_flow,
                                     int64_t kernel_size, int64_t dilation,
                                     double sigma);

// CPU only (an inference path): no backward, no CUDA implementation.
void sample_taps_nhwc_forward_impl(const at::Tensor source,
                                   const at::Tensor flow, at::Tensor out,
                                   int64_t kernel_size);
