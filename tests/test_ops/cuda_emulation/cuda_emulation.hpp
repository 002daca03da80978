// Copyright (c) OpenMMLab. All rights reserved.
// A host emulation of the part of CUDA's execution model that gfla_mm's
// kernels use, so that the exact kernel sources (common/cuda/*.cuh) and
// their launchers (pytorch/cuda/*.cu) build with the host compiler and run
// on CPU tensors, also under ThreadSanitizer and Address/UndefinedBehavior
// Sanitizer (tests/test_ops/test_cuda_emulation.py). Test-only.
//
// The model:
// * one host thread per CUDA thread; threadIdx/blockIdx/blockDim/gridDim
//   are thread-local;
// * a block's __shared__ arrays (GFLA_SHARED_ARRAY) are one heap
//   allocation each (so ASan sees an overflow of any of them), filled with
//   0xFF bytes before every block: NaN for floating types, -1 for int, so
//   a read before a write shows in the results;
// * __syncthreads is a barrier over the block's threads; a thread leaving
//   the kernel while others wait at a barrier (a __syncthreads in divergent
//   code) fails the launch with the barrier counts of both;
// * blocks run in kConcurrentBlocks slots with no synchronisation between
//   slots, so that TSan sees races between blocks (blocks of one slot run
//   one after another, ordered by the slot's gate);
// * atomics are compare-and-swap loops on GCC's __atomic builtins (relaxed,
//   as CUDA's), which TSan understands;
// * a launch checks CUDA's limits: 1..1024 threads per block (z <= 64),
//   grid x < 2^31, y/z <= 65535, static + dynamic shared memory <= 48 KiB;
// * the emulation's own synchronisation must not order what CUDA leaves
//   unordered (TSan would then miss races): a launch's threads start behind
//   one barrier, and shared arrays are published with atomics, not a lock
//   (canaries.cpp: a missing __syncthreads is reported).
// Not modelled: warps and their scheduling, the device memory model, the
// saturating float->int conversion of the GPU (a host cast out of range is
// undefined; UBSan reports it), speed.
#pragma once

#define GFLA_CUDA_EMULATION 1

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <tuple>
#include <utility>
#include <vector>

#define __global__
#define __device__
#define __host__
#define __forceinline__ inline

struct uint3 {
  unsigned int x, y, z;
};

struct dim3 {
  unsigned int x, y, z;
  constexpr dim3(unsigned int x_ = 1, unsigned int y_ = 1,
                 unsigned int z_ = 1)
      : x(x_), y(y_), z(z_) {}
};

struct CUstream_st;
using cudaStream_t = CUstream_st*;

inline thread_local uint3 threadIdx{0, 0, 0};
inline thread_local uint3 blockIdx{0, 0, 0};
inline thread_local dim3 blockDim;
inline thread_local dim3 gridDim;

namespace gfla_emu {

constexpr size_t kMaxSharedBytes = 48 * 1024;
constexpr uint64_t kMaxThreadsPerBlock = 1024;
constexpr unsigned kConcurrentBlocks = 2;

// Unwinds an emulated thread out of the kernel once its launch has failed.
struct Abort {};

// The first error of a launch; later ones are dropped.
class LaunchError {
 public:
  void set(const std::string& message) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!failed_.load()) message_ = message;
    failed_.store(true);
  }
  bool failed() const { return failed_.load(); }
  std::string message() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return message_;
  }

 private:
  mutable std::mutex mutex_;
  std::atomic<bool> failed_{false};
  std::string message_;
};

// A plain barrier (mutex + condition variable, which TSan understands): the
// common start of a launch's threads, and the gate between two blocks of one
// slot. Not a __syncthreads.
class HostBarrier {
 public:
  explicit HostBarrier(unsigned n) : n_(n) {}
  // The last thread to arrive runs `last()` before it releases the others.
  template <typename F>
  void wait(F&& last) {
    std::unique_lock<std::mutex> lock(mutex_);
    const uint64_t generation = generation_;
    if (++arrived_ == n_) {
      last();
      arrived_ = 0;
      ++generation_;
      cv_.notify_all();
      return;
    }
    cv_.wait(lock, [&] { return generation_ != generation; });
  }
  void wait() {
    wait([] {});
  }

 private:
  std::mutex mutex_;
  std::condition_variable cv_;
  unsigned n_, arrived_ = 0;
  uint64_t generation_ = 0;
};

inline std::string format_dim(uint3 d) {
  std::ostringstream s;
  s << "(" << d.x << ", " << d.y << ", " << d.z << ")";
  return s.str();
}

inline uint3 unflatten(uint64_t i, dim3 d) {
  return uint3{static_cast<unsigned>(i % d.x),
               static_cast<unsigned>((i / d.x) % d.y),
               static_cast<unsigned>(i / (static_cast<uint64_t>(d.x) * d.y))};
}

// The threads of one block at a time, their __syncthreads barrier and
// their shared memory.
class Slot {
 public:
  Slot(const char* kernel, unsigned threads, size_t dynamic_shared,
       LaunchError* error, uint64_t first_block, uint64_t stride, dim3 grid)
      : kernel_(kernel),
        n_(threads),
        block_(first_block),
        stride_(stride),
        grid_(grid),
        dynamic_shared_(dynamic_shared),
        error_(error),
        syncs_(threads, 0),
        gate_(threads) {}

  // __syncthreads() of thread `tid`.
  void sync(unsigned tid) {
    std::unique_lock<std::mutex> lock(mutex_);
    if (error_->failed()) throw Abort();
    ++syncs_[tid];
    const uint64_t generation = generation_;
    if (++waiting_ + left_ == n_) {
      if (left_ > 0) {
        fail_divergent();
        cv_.notify_all();
        throw Abort();
      }
      waiting_ = 0;
      ++generation_;
      cv_.notify_all();
      return;
    }
    cv_.wait(lock, [&] {
      return generation_ != generation || error_->failed();
    });
    if (generation_ == generation) throw Abort();
  }

  // Thread `tid` is out of the kernel (returned, or unwound by an error).
  void leave() {
    std::lock_guard<std::mutex> lock(mutex_);
    ++left_;
    if (waiting_ > 0 && waiting_ + left_ == n_ && !error_->failed())
      fail_divergent();
    if (error_->failed()) cv_.notify_all();
  }

  // The `index`-th shared array the kernel declares (`bytes` long; the
  // caller's arrays so far take `declared_bytes`): made by the first thread
  // to declare it, the same for all threads of the block, reused
  // (re-poisoned) by the slot's next blocks. Published with an atomic
  // release/acquire, not a mutex: a lock here would order a thread that
  // declares late after everything an early thread did before it, and TSan
  // would miss their races.
  void* shared(size_t index, size_t bytes, size_t declared_bytes) {
    if (index >= kMaxSharedArrays) fail_shared("more than 16 shared arrays");
    if (declared_bytes + bytes + dynamic_shared_ > kMaxSharedBytes) {
      std::ostringstream s;
      s << declared_bytes + bytes + dynamic_shared_
        << " bytes of shared memory per block exceed CUDA's "
        << kMaxSharedBytes << " (48 KiB) of static shared memory";
      fail_shared(s.str());
    }
    SharedArray& array = arrays_[index];
    unsigned char* data = array.data.load(std::memory_order_acquire);
    if (data == nullptr) {
      unsigned char* fresh = new unsigned char[bytes > 0 ? bytes : 1];
      std::memset(fresh, 0xFF, bytes);
      // Stored before the release below; a thread that loses the race
      // stores its own size, equal unless the declarations differ.
      array.bytes.store(bytes, std::memory_order_relaxed);
      if (array.data.compare_exchange_strong(data, fresh,
                                             std::memory_order_acq_rel,
                                             std::memory_order_acquire)) {
        return fresh;
      }
      delete[] fresh;  // another thread was first; `data` is its array
    }
    if (array.bytes.load(std::memory_order_relaxed) != bytes)
      fail_shared("threads of one block declared different shared arrays");
    return data;
  }

  // After the launch (all threads done): the last block's barrier counts.
  void finish() { check_sync_counts(); }

  // Between two blocks of the slot: every thread calls it; returns whether
  // the slot goes on (the same answer for all of its threads).
  bool next_block() {
    gate_.wait([&] {
      if (!error_->failed()) check_sync_counts();
      for (SharedArray& array : arrays_) {
        unsigned char* data = array.data.load(std::memory_order_relaxed);
        if (data != nullptr) std::memset(data, 0xFF, array.bytes.load());
      }
      waiting_ = 0;
      left_ = 0;
      for (unsigned& s : syncs_) s = 0;
      block_ += stride_;
      go_on_ = !error_->failed();
    });
    return go_on_;
  }

 private:
  void check_sync_counts() {
    for (unsigned t = 1; t < n_; ++t) {
      if (syncs_[t] != syncs_[0]) {
        std::ostringstream s;
        s << kernel_ << ": in block " << format_dim(unflatten(block_, grid_))
          << " thread 0 passed " << syncs_[0] << " __syncthreads and thread "
          << t << " passed " << syncs_[t];
        error_->set(s.str());
        return;
      }
    }
  }

  [[noreturn]] void fail_shared(const std::string& what) {
    error_->set(std::string(kernel_) + ": " + what);
    throw Abort();
  }

  void fail_divergent() {
    unsigned lo = syncs_[0], hi = syncs_[0];
    for (unsigned s : syncs_) {
      lo = s < lo ? s : lo;
      hi = s > hi ? s : hi;
    }
    std::ostringstream s;
    s << kernel_ << ": divergent __syncthreads in block "
      << format_dim(unflatten(block_, grid_)) << ": " << left_ << " of "
      << n_ << " threads left the kernel while " << waiting_
      << " wait at a barrier (barriers passed per thread: "
      << lo << " to " << hi << ")";
    error_->set(s.str());
  }

  const char* kernel_;
  unsigned n_;
  uint64_t block_, stride_;  // the block the slot runs, and the next's step
  dim3 grid_;
  size_t dynamic_shared_;
  LaunchError* error_;
  std::mutex mutex_;
  std::condition_variable cv_;
  unsigned waiting_ = 0, left_ = 0;
  uint64_t generation_ = 0;
  std::vector<unsigned> syncs_;
  struct SharedArray {
    std::atomic<unsigned char*> data{nullptr};
    std::atomic<size_t> bytes{0};
    ~SharedArray() { delete[] data.load(); }
  };
  static constexpr size_t kMaxSharedArrays = 16;
  SharedArray arrays_[kMaxSharedArrays];
  HostBarrier gate_;
  bool go_on_ = true;
};

// The calling emulated thread's slot, thread index and shared-array count.
inline thread_local Slot* current_slot = nullptr;
inline thread_local unsigned current_tid = 0;
inline thread_local size_t shared_declared = 0;
inline thread_local size_t shared_declared_bytes = 0;

template <typename T>
T* shared_array(size_t count) {
  void* data = current_slot->shared(shared_declared++, sizeof(T) * count,
                                    shared_declared_bytes);
  shared_declared_bytes += sizeof(T) * count;
  return static_cast<T*>(data);
}


// Threads kept across launches (creating 512 threads per launch dominated
// the run time). run(n, task) runs task(0..n-1) on n threads at once and
// returns when all are done. The tasks start behind a common barrier: a
// thread that woke late could otherwise pick up, through the pool's mutex,
// the work of a task that already finished, and TSan would take the two
// for ordered.
class ThreadPool {
 public:
  template <typename Task>
  void run(unsigned n, Task& task) {
    // One launch at a time (as on one stream).
    std::lock_guard<std::mutex> serial(launch_mutex_);
    HostBarrier start(n);
    std::unique_lock<std::mutex> lock(mutex_);
    while (workers_ < n) {
      std::thread(&ThreadPool::work, this, workers_++).detach();
    }
    job_ = [&](unsigned i) {
      start.wait();
      task(i);
    };
    tasks_ = n;
    remaining_ = n;
    ++generation_;
    work_cv_.notify_all();
    done_cv_.wait(lock, [&] { return remaining_ == 0; });
    job_ = nullptr;
  }

  static ThreadPool& instance() {
    static ThreadPool* pool = new ThreadPool();  // never joined: detached
    return *pool;
  }

 private:
  void work(unsigned index) {
    uint64_t seen = 0;
    std::unique_lock<std::mutex> lock(mutex_);
    for (;;) {
      work_cv_.wait(lock, [&] { return generation_ != seen; });
      seen = generation_;
      if (index >= tasks_) continue;
      std::function<void(unsigned)> job = job_;
      lock.unlock();
      job(index);
      lock.lock();
      if (--remaining_ == 0) done_cv_.notify_all();
    }
  }

  std::mutex launch_mutex_, mutex_;
  std::condition_variable work_cv_, done_cv_;
  std::function<void(unsigned)> job_;
  unsigned workers_ = 0, tasks_ = 0, remaining_ = 0;
  uint64_t generation_ = 0;
};

// CUDA's launch-configuration checks ("invalid configuration argument").
inline void check_launch(const char* kernel, dim3 grid, dim3 block,
                         size_t dynamic_shared) {
  const uint64_t threads =
      static_cast<uint64_t>(block.x) * block.y * block.z;
  std::ostringstream s;
  if (block.x == 0 || block.y == 0 || block.z == 0 ||
      threads > kMaxThreadsPerBlock || block.x > 1024 || block.y > 1024 ||
      block.z > 64) {
    s << kernel << ": invalid block " << format_dim({block.x, block.y,
                                                       block.z})
      << " (1..1024 threads, z <= 64)";
  } else if (grid.x == 0 || grid.y == 0 || grid.z == 0 ||
             grid.x > 2147483647u || grid.y > 65535 || grid.z > 65535) {
    s << kernel << ": invalid grid " << format_dim({grid.x, grid.y, grid.z})
      << " (x in [1, 2^31 - 1], y and z in [1, 65535])";
  } else if (dynamic_shared > kMaxSharedBytes) {
    s << kernel << ": " << dynamic_shared << " bytes of dynamic shared "
      << "memory exceed 48 KiB";
  }
  if (!s.str().empty()) throw std::runtime_error(s.str());
}

// With $GFLA_EMU_LAUNCH_LOG set, one line per launch is appended to that
// file: "<kernel> <grid.x> <block.x>", so that tests can tell which code
// path ran (folded or generic kernel, tiled scatter or not).
inline void log_launch(const char* kernel, dim3 grid, dim3 block) {
  const char* path = std::getenv("GFLA_EMU_LAUNCH_LOG");
  if (path == nullptr || *path == '\0') return;
  static std::mutex mutex;
  std::lock_guard<std::mutex> lock(mutex);
  if (std::FILE* f = std::fopen(path, "a")) {
    std::fprintf(f, "%s %u %u\n", kernel, grid.x, block.x);
    std::fclose(f);
  }
}

// kernel<<<grid, block, dynamic_shared, stream>>>(args...), run to the end
// (as if followed by a stream synchronisation). Arguments are copied to the
// kernel's parameter types, as CUDA does. Throws std::runtime_error with the
// first error of any thread.
template <typename... Params, typename... Args>
void launch(const char* kernel_text, void (*fn)(Params...), dim3 grid,
            dim3 block, size_t dynamic_shared, cudaStream_t /*stream*/,
            Args&&... args) {
  static_assert(sizeof...(Params) == sizeof...(Args),
                "kernel launched with the wrong number of arguments");
  // GFLA_LAUNCH_KERNEL passes "(name<...>)": the name for messages.
  std::string name(kernel_text);
  if (name.size() >= 2 && name.front() == '(' && name.back() == ')')
    name = name.substr(1, name.size() - 2);
  const char* kernel = name.c_str();
  check_launch(kernel, grid, block, dynamic_shared);
  log_launch(kernel, grid, block);
  const std::tuple<std::decay_t<Params>...> params(
      static_cast<std::decay_t<Params>>(std::forward<Args>(args))...);
  const uint64_t blocks = static_cast<uint64_t>(grid.x) * grid.y * grid.z;
  const unsigned threads = block.x * block.y * block.z;
  const unsigned slots = static_cast<unsigned>(
      blocks < kConcurrentBlocks ? blocks : kConcurrentBlocks);
  LaunchError error;
  std::vector<std::unique_ptr<Slot>> slot_list;
  for (unsigned s = 0; s < slots; ++s)
    slot_list.emplace_back(new Slot(kernel, threads, dynamic_shared, &error,
                                    s, slots, grid));
  auto task = [&](unsigned i) {
    const unsigned s = i / threads, t = i % threads;
    Slot& slot = *slot_list[s];
    current_slot = &slot;
    current_tid = t;
    threadIdx = unflatten(t, block);
    blockDim = block;
    gridDim = grid;
    for (uint64_t b = s; b < blocks; b += slots) {
      blockIdx = unflatten(b, grid);
      shared_declared = 0;
      shared_declared_bytes = 0;
      if (!error.failed()) {
        try {
          std::apply(fn, params);
        } catch (const Abort&) {
        } catch (const std::exception& e) {
          error.set(std::string(kernel) + ": " + e.what());
        } catch (...) {
          error.set(std::string(kernel) + ": unknown exception");
        }
      }
      slot.leave();
      // The last block of a slot needs no gate: the launch's end orders it.
      if (b + slots >= blocks || !slot.next_block()) break;
    }
    current_slot = nullptr;
  };
  ThreadPool::instance().run(slots * threads, task);
  for (auto& slot : slot_list)
    if (!error.failed()) slot->finish();
  if (error.failed()) throw std::runtime_error(error.message());
}

template <typename T>
T atomic_update(T* address, T value, T (*op)(T, T)) {
  T old;
  __atomic_load(address, &old, __ATOMIC_RELAXED);
  T desired;
  do {
    desired = op(old, value);
  } while (!__atomic_compare_exchange(address, &old, &desired, false,
                                      __ATOMIC_RELAXED, __ATOMIC_RELAXED));
  return old;
}

}  // namespace gfla_emu

inline void __syncthreads() {
  gfla_emu::current_slot->sync(gfla_emu::current_tid);
}

// CUDA's overloads (float/double/int); anything else (Half, BFloat16) by
// a compare-and-swap loop in its own type, if a kernel ever needs it.
inline float atomicAdd(float* address, float value) {
  return gfla_emu::atomic_update<float>(
      address, value, [](float a, float b) { return a + b; });
}
inline double atomicAdd(double* address, double value) {
  return gfla_emu::atomic_update<double>(
      address, value, [](double a, double b) { return a + b; });
}
inline int atomicAdd(int* address, int value) {
  return __atomic_fetch_add(address, value, __ATOMIC_RELAXED);
}
template <typename T>
T atomicAdd(T* address, T value) {
  return gfla_emu::atomic_update<T>(
      address, value, [](T a, T b) { return static_cast<T>(a + b); });
}
inline int atomicMin(int* address, int value) {
  return gfla_emu::atomic_update<int>(
      address, value, [](int a, int b) { return b < a ? b : a; });
}
inline int atomicMax(int* address, int value) {
  return gfla_emu::atomic_update<int>(
      address, value, [](int a, int b) { return b > a ? b : a; });
}
