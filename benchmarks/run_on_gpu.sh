#!/usr/bin/env bash
# Copyright (c) OpenMMLab. All rights reserved.
# Everything a lent GPU machine should run, in one call (torch + nvcc only):
# the op checks and benchmark (builds the CUDA extension), then the training
# step benchmark, then the animation inference benchmark. Results under
# $OUT.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${OUT:-benchmarks/results}
OUT=$OUT/local_attention bash benchmarks/local_attention/run_on_gpu.sh
OUT=$OUT/train_step bash benchmarks/train_step/run_on_gpu.sh
OUT=$OUT/animation bash benchmarks/animation/run_on_gpu.sh
