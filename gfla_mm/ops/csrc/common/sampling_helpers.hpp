// Copyright (c) OpenMMLab. All rights reserved.
// Sampling math shared by the CPU and CUDA kernels of gfla_mm's ops.
//
// Conventions: flow in pixels of the sampled grid, channel 0 = dx; pixel p
// samples the source at p + flow(p) (+ an integer tap offset); bilinear
// weights use the unclamped fractional part while neighbour indices are
// clamped to the image (border replicate), as the official BlockExtractor.
#pragma once

#include <cmath>
#include <cstdint>

#if defined(__CUDACC__) || defined(__HIPCC__)
#define GFLA_HOST_DEVICE __host__ __device__ __forceinline__
#else
#define GFLA_HOST_DEVICE inline
#endif

namespace gfla {

// Largest kernel_size the ops accept; bounds the per-pixel scratch arrays.
constexpr int kMaxKernelSize = 15;
constexpr int kMaxCells = (kMaxKernelSize + 1) * (kMaxKernelSize + 1);

GFLA_HOST_DEVICE int64_t clamp_index(int64_t i, int64_t size) {
  return i < 0 ? 0 : (i >= size ? size - 1 : i);
}

// Sample coordinates beyond +-kCoordinateLimit pixels are clamped to it
// before the float -> int conversion, which is undefined for NaN, inf and
// anything beyond int64 (and saturates differently on a GPU): every image
// is smaller, so such a point is far outside it and its cells clamp to the
// border either way.
constexpr int64_t kCoordinateLimit = int64_t(1) << 30;

// floor(v) as an integer and the fractional part v - floor(v) in [0, 1).
// Non-finite v: base is defined (+inf -> +limit, -inf and NaN -> -limit)
// and frac is NaN, so the point's samples are NaN (docs/ops.md).
template <typename T>
GFLA_HOST_DEVICE void split_coordinate(T v, int64_t* base, T* frac) {
  const T f = floor(v);
  const T limit = static_cast<T>(kCoordinateLimit);
  // Written so that NaN fails the first test.
  *base = f >= -limit ? (f <= limit ? static_cast<int64_t>(f)
                                    : kCoordinateLimit)
                      : -kCoordinateLimit;
  *frac = v - f;
}

// The k x k taps of one pixel sit on an integer grid around one fractional
// point, so they touch only (k+1)^2 distinct source cells, all sharing the
// fractional weights (ax, ay). Cell (v, u), v, u in [0, k], is the source
// pixel (clamp(by + v - k/2), clamp(bx + u - k/2)).
struct CellGrid {
  int64_t bx, by;  // floor of the sample point (before tap offsets)
  int k;
  int64_t height, width;

  GFLA_HOST_DEVICE int64_t row(int v) const {
    return clamp_index(by + v - k / 2, height);
  }
  GFLA_HOST_DEVICE int64_t col(int u) const {
    return clamp_index(bx + u - k / 2, width);
  }
  // Flat index (row * width + col) of cell (v, u).
  GFLA_HOST_DEVICE int64_t index(int v, int u) const {
    return row(v) * width + col(u);
  }
  // idx[v * (k+1) + u] = index(v, u) for all (k+1)^2 cells.
  GFLA_HOST_DEVICE void indices(int64_t* idx) const {
    const int n = k + 1;
    for (int v = 0; v < n; ++v)
      for (int u = 0; u < n; ++u) idx[v * n + u] = index(v, u);
  }
};

// The cell grid of pixel p (flat index in an H x W plane) of batch item b:
// flow is (B, 2, H, W) in storage type F, the maths runs in T.
template <typename F, typename T>
GFLA_HOST_DEVICE CellGrid pixel_cell_grid(const F* flow, int64_t b, int64_t p,
                                          int64_t height, int64_t width,
                                          int k, T* ax, T* ay) {
  const int64_t hw = height * width;
  CellGrid g;
  split_coordinate<T>(static_cast<T>(p % width) +
                          static_cast<T>(flow[(b * 2) * hw + p]),
                      &g.bx, ax);
  split_coordinate<T>(static_cast<T>(p / width) +
                          static_cast<T>(flow[(b * 2 + 1) * hw + p]),
                      &g.by, ay);
  g.k = k;
  g.height = height;
  g.width = width;
  return g;
}

// w[(v * (k+1) + u)] = sum over taps j=(iy, ix) touching cell (v, u) of
// attn_j times its bilinear weight. attn_j is attn[j * attn_stride].
template <typename A, typename T>
GFLA_HOST_DEVICE void attention_cell_weights(const A* attn,
                                             int64_t attn_stride, int k,
                                             T ax, T ay, T* w) {
  const int n = k + 1;
  for (int i = 0; i < n * n; ++i) w[i] = T(0);
  for (int iy = 0; iy < k; ++iy) {
    for (int ix = 0; ix < k; ++ix) {
      const T a = static_cast<T>(attn[(iy * k + ix) * attn_stride]);
      const T top = a * (T(1) - ay), bottom = a * ay;
      T* row = w + iy * n + ix;
      row[0] += top * (T(1) - ax);
      row[1] += top * ax;
      row[n] += bottom * (T(1) - ax);
      row[n + 1] += bottom * ax;
    }
  }
}

// Given s[cell] = sum_c grad_out_c * source_c[cell] for the (k+1)^2 cells of
// one pixel, the gradients of local_attention_gather with respect to the
// k^2 attention weights (grad_attn[j * stride]) and to the fractional parts
// (the flow gradient, since d frac / d flow = 1).
template <typename A, typename T>
GFLA_HOST_DEVICE void attention_backward_from_cells(
    const T* s, const A* attn, int64_t attn_stride, int k, T ax, T ay,
    T* grad_attn, int64_t grad_attn_stride, T* grad_ax, T* grad_ay) {
  const int n = k + 1;
  T gx = T(0), gy = T(0);
  for (int iy = 0; iy < k; ++iy) {
    for (int ix = 0; ix < k; ++ix) {
      const T* c = s + iy * n + ix;
      const T tl = c[0], tr = c[1], bl = c[n], br = c[n + 1];
      const int j = iy * k + ix;
      if (grad_attn != nullptr) {
        grad_attn[j * grad_attn_stride] =
            (T(1) - ay) * ((T(1) - ax) * tl + ax * tr) +
            ay * ((T(1) - ax) * bl + ax * br);
      }
      const T a = static_cast<T>(attn[j * attn_stride]);
      gx += a * ((T(1) - ay) * (tr - tl) + ay * (br - bl));
      gy += a * ((T(1) - ax) * (bl - tl) + ax * (br - tr));
    }
  }
  *grad_ax = gx;
  *grad_ay = gy;
}

// Bilinear tap weights of block_extract: value of tap (iy, ix) is
// (1-ay)((1-ax) tl + ax tr) + ay((1-ax) bl + ax br) over cells
// (iy, ix), (iy, ix+1), (iy+1, ix), (iy+1, ix+1).
template <typename T>
GFLA_HOST_DEVICE T bilinear(T tl, T tr, T bl, T br, T ax, T ay) {
  return (T(1) - ay) * ((T(1) - ax) * tl + ax * tr) +
         ay * ((T(1) - ax) * bl + ax * br);
}

// Gaussian resampling (the official Resample2d): along one axis, taps are
// base - i*d at distance i*d + frac and base + (i+1)*d at distance
// (i+1)*d - frac, for i in [0, K/2). Tap t = 2i (left) or 2i+1 (right).
template <typename T>
GFLA_HOST_DEVICE int64_t gaussian_tap_index(int64_t base, int t, int dilation,
                                            int64_t size) {
  const int i = t / 2;
  return clamp_index((t % 2 == 0) ? base - i * dilation
                                  : base + (i + 1) * dilation,
                     size);
}

// Distance of tap t to the sample point and its derivative w.r.t. frac.
template <typename T>
GFLA_HOST_DEVICE T gaussian_tap_distance(T frac, int t, int dilation,
                                         T* d_dfrac) {
  const int i = t / 2;
  if (t % 2 == 0) {
    *d_dfrac = T(1);
    return T(i * dilation) + frac;
  }
  *d_dfrac = T(-1);
  return T((i + 1) * dilation) - frac;
}

// The K taps of one axis of gaussian_resample for a sample point with
// floor `base` and fractional part `frac`: clamped indices, Gaussian
// weights, their derivatives w.r.t. frac, and the sums of both.
template <typename T>
struct GaussianAxis {
  int64_t index[kMaxKernelSize + 1];
  T weight[kMaxKernelSize + 1];
  T dweight[kMaxKernelSize + 1];
  T sum, dsum;

  // The weights are exp(-(d^2 - d_min^2) s): the official exp(-d^2 s)
  // scaled by a common factor, which cancels in the normalised sample and
  // its gradients, but keeps the nearest tap at weight 1, so that the sum
  // never underflows to 0 (a small sigma gives nearest-tap sampling, not
  // 0 / 0). dweight treats the factor as a constant, which is exact for
  // the normalised quantities the ops compute.
  GFLA_HOST_DEVICE void init(int64_t base, T frac, int kernel_size,
                             int dilation, T inv_two_sigma2, int64_t size) {
    T dist[kMaxKernelSize + 1], slope[kMaxKernelSize + 1];
    T nearest = T(0);
    for (int t = 0; t < kernel_size; ++t) {
      dist[t] = gaussian_tap_distance<T>(frac, t, dilation, &slope[t]);
      const T d2 = dist[t] * dist[t];
      nearest = (t == 0 || d2 < nearest) ? d2 : nearest;
    }
    sum = T(0);
    dsum = T(0);
    for (int t = 0; t < kernel_size; ++t) {
      const T d = dist[t];
      index[t] = gaussian_tap_index<T>(base, t, dilation, size);
      weight[t] = exp(-(d * d - nearest) * inv_two_sigma2);
      // d/dfrac exp(-d^2 s) = -2 s d (dd/dfrac) exp(-d^2 s)
      dweight[t] = T(-2) * inv_two_sigma2 * d * slope[t] * weight[t];
      sum += weight[t];
      dsum += dweight[t];
    }
  }
};

// Both axes of one pixel of gaussian_resample (flow in storage type F).
template <typename T>
struct GaussianPixel {
  GaussianAxis<T> x, y;
  int taps;

  template <typename F>
  GFLA_HOST_DEVICE void init(const F* flow, int64_t b, int64_t p,
                             int64_t height, int64_t width, int kernel_size,
                             int dilation, T inv_two_sigma2) {
    const int64_t hw = height * width;
    int64_t bx, by;
    T ax, ay;
    split_coordinate<T>(static_cast<T>(p % width) +
                            static_cast<T>(flow[(b * 2) * hw + p]),
                        &bx, &ax);
    split_coordinate<T>(static_cast<T>(p / width) +
                            static_cast<T>(flow[(b * 2 + 1) * hw + p]),
                        &by, &ay);
    x.init(bx, ax, kernel_size, dilation, inv_two_sigma2, width);
    y.init(by, ay, kernel_size, dilation, inv_two_sigma2, height);
    taps = kernel_size;
  }

  // 1 / (sum of the weights): a sample is sum(weight * value) * norm().
  GFLA_HOST_DEVICE T norm() const { return T(1) / (x.sum * y.sum); }

  // The resampled value of one (H, W) channel plane.
  template <typename F>
  GFLA_HOST_DEVICE T sample(const F* plane, int64_t width) const {
    T acc = T(0);
    for (int t = 0; t < taps; ++t) {
      const F* row = plane + y.index[t] * width;
      T racc = T(0);
      for (int s = 0; s < taps; ++s)
        racc += x.weight[s] * static_cast<T>(row[x.index[s]]);
      acc += y.weight[t] * racc;
    }
    return acc * norm();
  }

  // Adds grad_out * d(value)/d(frac_x, frac_y) of one channel plane: the
  // quotient rule over the normalised Gaussian weights.
  template <typename F>
  GFLA_HOST_DEVICE void accumulate_flow_grad(const F* plane, int64_t width,
                                             T grad_out, T* gx,
                                             T* gy) const {
    const T scale = norm();
    T val = T(0), dval_x = T(0), dval_y = T(0);
    for (int t = 0; t < taps; ++t) {
      const F* row = plane + y.index[t] * width;
      T racc = T(0), dracc = T(0);
      for (int s = 0; s < taps; ++s) {
        const T v = static_cast<T>(row[x.index[s]]);
        racc += x.weight[s] * v;
        dracc += x.dweight[s] * v;
      }
      val += y.weight[t] * racc;
      dval_x += y.weight[t] * dracc;
      dval_y += y.dweight[t] * racc;
    }
    const T out = val * scale;
    *gx += grad_out * (dval_x * scale - out * x.dsum / x.sum);
    *gy += grad_out * (dval_y * scale - out * y.dsum / y.sum);
  }
};

}  // namespace gfla
