// Copyright (c) OpenMMLab. All rights reserved.
// Per-device implementations of an op, looked up from the tensors' device.
//
// Each op declares one device-agnostic `<op>_impl` function; the CPU and
// CUDA sources register their implementation of it with
// GFLA_REGISTER_DEVICE_IMPL, and the entry point calls
// GFLA_DISPATCH_DEVICE_IMPL, which checks that every tensor argument lives
// on one device and that an implementation exists for it.
#pragma once

#include <ATen/ATen.h>

#include <array>
#include <string>
#include <type_traits>
#include <utility>

namespace gfla {

template <typename Fn, Fn key>
class DeviceImplRegistry;

template <typename Ret, typename... Args, Ret (*key)(Args...)>
class DeviceImplRegistry<Ret (*)(Args...), key> {
 public:
  using Impl = Ret (*)(Args...);

  static DeviceImplRegistry& instance() {
    static DeviceImplRegistry registry;
    return registry;
  }

  void add(c10::DeviceType device, Impl impl) {
    impls_[static_cast<size_t>(device)] = impl;
  }

  Impl find(c10::DeviceType device) const {
    return impls_[static_cast<size_t>(device)];
  }

 private:
  std::array<Impl, static_cast<size_t>(
                       c10::DeviceType::COMPILE_TIME_MAX_DEVICE_TYPES)>
      impls_{};
};

// The device shared by all tensor arguments (or an error naming both).
struct DeviceOfArgs {
  bool found = false;
  c10::Device device = c10::Device(c10::kCPU);

  void visit(const at::Tensor& t) {
    if (!t.defined()) return;
    if (!found) {
      device = t.device();
      found = true;
      return;
    }
    TORCH_CHECK(t.device() == device,
                "gfla_mm op got tensors on different devices: ",
                device.str(), " and ", t.device().str());
  }
  template <typename T>
  void visit(const T&) {}
};

template <typename... Args>
c10::Device device_of_args(const Args&... args) {
  DeviceOfArgs v;
  (v.visit(args), ...);
  TORCH_CHECK(v.found, "gfla_mm op got no tensor argument");
  return v.device;
}

}  // namespace gfla

// The device the CUDA implementations register under: CUDA, or the CPU in
// the host emulation of the CUDA kernels (tests/test_ops/cuda_emulation),
// which runs them on CPU tensors.
#ifdef GFLA_CUDA_EMULATION
#define GFLA_CUDA_DEVICE CPU
#else
#define GFLA_CUDA_DEVICE CUDA
#endif

#define GFLA_REGISTER_DEVICE_IMPL(key, device_name, impl)                  \
  static const bool _gfla_registered_##key##_##device_name = [] {         \
    ::gfla::DeviceImplRegistry<decltype(&key), key>::instance().add(      \
        c10::DeviceType::device_name, impl);                              \
    return true;                                                          \
  }()

#define GFLA_DISPATCH_DEVICE_IMPL(key, ...)                                 \
  [&] {                                                                    \
    const c10::Device device = ::gfla::device_of_args(__VA_ARGS__);        \
    auto impl = ::gfla::DeviceImplRegistry<decltype(&key), key>::instance()\
                    .find(device.type());                                  \
    TORCH_CHECK(impl != nullptr, #key, " has no implementation for ",      \
                device.str(), " (was gfla_mm built with CUDA? ",           \
                "FORCE_CUDA=1 pip install --no-build-isolation -e .)");    \
    return impl(__VA_ARGS__);                                              \
  }()
