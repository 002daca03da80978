#!/usr/bin/env bash
# Copyright (c) OpenMMLab. All rights reserved.
# Compile gfla_mm's CUDA kernels (FORCE_CUDA=1) into build/cuda-check/ and
# load the result, so that a CUDA compile or link error fails `make test`
# on machines without a GPU too. Ninja rebuilds only what changed.
#
# Needs nvcc: $CUDA_HOME/bin/nvcc (default /usr/local/cuda). Without one the
# check is skipped with a message, unless GFLA_MM_REQUIRE_CUDA_BUILD=1.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PY=${PY:-$ROOT/.venv/bin/python}
OUT=$ROOT/build/cuda-check
export CUDA_HOME=${CUDA_HOME:-/usr/local/cuda}
export TORCH_CUDA_ARCH_LIST=${TORCH_CUDA_ARCH_LIST:-8.0;9.0+PTX}
export MAX_JOBS=${MAX_JOBS:-$(nproc)}

if [ ! -x "$CUDA_HOME/bin/nvcc" ]; then
  msg="no nvcc at $CUDA_HOME/bin/nvcc (set CUDA_HOME)"
  if [ "${GFLA_MM_REQUIRE_CUDA_BUILD:-0}" = 1 ]; then
    echo "[cuda-check] ERROR: $msg" >&2
    exit 1
  fi
  echo "[cuda-check] SKIPPED: $msg; the CUDA kernels were not compiled" >&2
  exit 0
fi

t0=$(date +%s)
mkdir -p "$OUT"
(cd "$ROOT" && FORCE_CUDA=1 "$PY" setup.py -q build_ext \
  --build-temp "$OUT/tmp" --build-lib "$OUT/lib" >"$OUT.log" 2>&1) || {
  grep -E 'error|Error' "$OUT.log" | head -n 40 >&2
  echo "[cuda-check] FAILED: CUDA build of gfla_mm._ext (full log: $OUT.log)" >&2
  exit 1
}
so=$(ls "$OUT"/lib/gfla_mm/_ext*.so)
# Load it (in a process of its own: the CPU build is gfla_mm._ext here).
"$PY" - "$so" <<'PYCODE'
import importlib.util
import sys

import torch  # noqa: F401  (loads the CUDA runtime the .so links to)

spec = importlib.util.spec_from_file_location('gfla_mm._ext', sys.argv[1])
ext = importlib.util.module_from_spec(spec)
spec.loader.exec_module(ext)
assert ext.with_cuda(), 'built without GFLA_WITH_CUDA'
PYCODE
echo "[cuda-check] CUDA build of gfla_mm._ext OK ($(( $(date +%s) - t0 )) s, arch $TORCH_CUDA_ARCH_LIST)" >&2
