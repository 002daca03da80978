#!/usr/bin/env bash
# Copyright (c) OpenMMLab. All rights reserved.
# One-shot GPU run: build gfla_mm._ext with the CUDA kernels in place, then
# run the agreement checks and the timing table. Needs torch + nvcc only
# (no mmcv/mmagic). Results: $OUT (or benchmarks/local_attention/results).
#   bash benchmarks/local_attention/run_on_gpu.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
export FORCE_CUDA=1
export TORCH_CUDA_ARCH_LIST=${TORCH_CUDA_ARCH_LIST:-9.0}
export MAX_JOBS=${MAX_JOBS:-$(nproc)}
out=${OUT:-benchmarks/local_attention/results}
mkdir -p "$out"
t0=$(date +%s)
python setup.py -q build_ext --inplace > "$out/build.log" 2>&1 ||
  { tail -n 40 "$out/build.log"; exit 1; }
echo "built gfla_mm._ext (CUDA) in $(( $(date +%s) - t0 )) s"
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader || true
python benchmarks/local_attention/bench_local_attention.py --device cuda \
  --out "$out/cuda.json" | tee "$out/cuda.md"
