#!/usr/bin/env bash
# Copyright (c) OpenMMLab. All rights reserved.
# GPU run of the animation inference benchmark: torch + nvcc only (the
# generator imported without mmagic, see bench_animation.py). Builds
# gfla_mm._ext with the CUDA kernels in place unless it is there already.
# The training row (GFLAAnimation.train_step) needs mmagic: not run here.
# Results: $OUT (or benchmarks/animation/results).
#   bash benchmarks/animation/run_on_gpu.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
out=${OUT:-benchmarks/animation/results}
mkdir -p "$out"
if ! ls gfla_mm/_ext*.so > /dev/null 2>&1; then
  export FORCE_CUDA=1 TORCH_CUDA_ARCH_LIST=${TORCH_CUDA_ARCH_LIST:-9.0}
  export MAX_JOBS=${MAX_JOBS:-$(nproc)}
  t0=$(date +%s)
  python setup.py -q build_ext --inplace > "$out/build.log" 2>&1 ||
    { tail -n 40 "$out/build.log"; exit 1; }
  echo "built gfla_mm._ext (CUDA) in $(( $(date +%s) - t0 )) s"
fi
export PYTHONUNBUFFERED=1
# A 30-frame video (the official training clip length), 256x256, batch 1.
python benchmarks/animation/bench_animation.py --mode infer --device cuda \
  --frames 30 --iters ${ITERS:-10} --warmup 2 | tee "$out/infer_cuda.md"
