#!/usr/bin/env bash
# Copyright (c) OpenMMLab. All rights reserved.
# GPU run of the training-step benchmark: torch + torchvision + nvcc only
# (the torch-only replica of GFLA.train_step, see torch_only.py). Builds
# gfla_mm._ext with the CUDA kernels in place unless it is there already.
# Results: $OUT (or benchmarks/train_step/results).
#   bash benchmarks/train_step/run_on_gpu.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
out=${OUT:-benchmarks/train_step/results}
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
python benchmarks/train_step/bench_train_step.py --mode train --device cuda \
  --batch 8 --iters ${ITERS:-10} --warmup 3 | tee "$out/train_cuda.md"
python benchmarks/train_step/bench_train_step.py --mode infer --device cuda \
  --iters 20 --warmup 5 | tee "$out/infer_cuda.md"
