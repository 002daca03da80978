// Copyright (c) OpenMMLab. All rights reserved.
// gfla_mm._ext: one Python module for all ops (mmcv's layout).
#include <torch/extension.h>

void local_attention_gather_forward(const at::Tensor source,
                                    const at::Tensor flow,
                                    const at::Tensor attn, at::Tensor out,
                                    int64_t kernel_size);
void local_attention_gather_backward(
    const at::Tensor grad_out, const at::Tensor source, const at::Tensor flow,
    const at::Tensor attn, at::Tensor grad_source, at::Tensor grad_flow,
    at::Tensor grad_attn, int64_t kernel_size);
void block_extract_forward(const at::Tensor source, const at::Tensor flow,
                           at::Tensor out, int64_t kernel_size);
void block_extract_backward(const at::Tensor grad_out,
                            const at::Tensor source, const at::Tensor flow,
                            at::Tensor grad_source, at::Tensor grad_flow,
                            int64_t kernel_size);
void gaussian_resample_forward(const at::Tensor source,
                               const at::Tensor flow, at::Tensor out,
                               int64_t kernel_size, int64_t dilation,
                               double sigma);
void gaussian_resample_backward(const at::Tensor grad_out,
                                const at::Tensor source,
                                const at::Tensor flow, at::Tensor grad_source,
                                at::Tensor grad_flow, int64_t kernel_size,
                                int64_t dilation, double sigma);
void sample_taps_nhwc_forward(const at::Tensor source, const at::Tensor flow,
                              at::Tensor out, int64_t kernel_size);

bool with_cuda() {
#ifdef GFLA_WITH_CUDA
  return true;
#else
  return false;
#endif
}

PYBIND11_MODULE(TORCH_EXTENSION_NAME, m) {
  m.def("with_cuda", &with_cuda, "whether CUDA kernels were compiled in");
  m.def("local_attention_gather_forward", &local_attention_gather_forward,
        "local_attention_gather forward", py::arg("source"), py::arg("flow"),
        py::arg("attn"), py::arg("out"), py::arg("kernel_size"));
  m.def("local_attention_gather_backward", &local_attention_gather_backward,
        "local_attention_gather backward", py::arg("grad_out"),
        py::arg("source"), py::arg("flow"), py::arg("attn"),
        py::arg("grad_source"), py::arg("grad_flow"), py::arg("grad_attn"),
        py::arg("kernel_size"));
  m.def("block_extract_forward", &block_extract_forward,
        "block_extract forward", py::arg("source"), py::arg("flow"),
        py::arg("out"), py::arg("kernel_size"));
  m.def("block_extract_backward", &block_extract_backward,
        "block_extract backward", py::arg("grad_out"), py::arg("source"),
        py::arg("flow"), py::arg("grad_source"), py::arg("grad_flow"),
        py::arg("kernel_size"));
  m.def("gaussian_resample_forward", &gaussian_resample_forward,
        "gaussian_resample forward", py::arg("source"), py::arg("flow"),
        py::arg("out"), py::arg("kernel_size"), py::arg("dilation"),
        py::arg("sigma"));
  m.def("gaussian_resample_backward", &gaussian_resample_backward,
        "gaussian_resample backward", py::arg("grad_out"), py::arg("source"),
        py::arg("flow"), py::arg("grad_source"), py::arg("grad_flow"),
        py::arg("kernel_size"), py::arg("dilation"), py::arg("sigma"));
  m.def("sample_taps_nhwc_forward", &sample_taps_nhwc_forward,
        "k x k bilinear taps, pixel-major, of a channels-last source (CPU, "
        "no backward)", py::arg("source"), py::arg("flow"), py::arg("out"),
        py::arg("kernel_size"));
}
