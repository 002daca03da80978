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
# The device-side checks the host emulation cannot do (docs/ops.md), on the
# tiny edge-case inputs, before any timing: out-of-bounds and misaligned
# accesses (memcheck) and shared-memory hazards (racecheck, tiled scatter on).
sanitizer=$(command -v compute-sanitizer || ls /usr/local/cuda/bin/compute-sanitizer 2>/dev/null || true)
if [ -n "$sanitizer" ]; then
  for tool in memcheck racecheck; do
    if GFLA_MM_CUDA_TILED_SCATTER=1 "$sanitizer" --tool "$tool" --error-exitcode 99 \
        python benchmarks/local_attention/bench_local_attention.py --device cuda \
        --checks-only > "$out/compute-sanitizer-$tool.log" 2>&1; then
      echo "compute-sanitizer --tool $tool: clean"
    else
      echo "compute-sanitizer --tool $tool: FAILED (see $out/compute-sanitizer-$tool.log)"
      tail -n 30 "$out/compute-sanitizer-$tool.log"
    fi
  done
else
  echo "compute-sanitizer not found: memcheck/racecheck skipped"
fi
python benchmarks/local_attention/bench_local_attention.py --device cuda \
  --out "$out/cuda.json" | tee "$out/cuda.md"
