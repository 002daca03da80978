#!/usr/bin/env bash
# Copyright (c) OpenMMLab. All rights reserved.
# Create or update the checkout's virtual environment with the pinned stack:
# torch, mmcv (compiled from its sdist, wheel cached outside the checkout),
# mmengine, mmagic, mmdet, mmpose, onnx/onnxruntime (deploy extra), the web
# demo's server (web extra), test tools, then gfla_mm in editable mode; and
# the system's chromium + chromium-driver (apt) for the web demo's browser
# test, when they are missing.
#
# Versions come from requirements/*.txt + requirements/constraints.txt only.
# A re-run with nothing changed does no work; a changed requirements file
# updates the stack; changed extension sources rebuild gfla_mm.
#
# Environment variables:
#   GFLA_MM_VENV   venv location (default: <checkout>/.venv)
#   PYTHON         interpreter that creates the venv (default: python3.11)
#   XDG_CACHE_HOME wheel cache root (default: ~/.cache); wheels go to gfla_mm/
#   FORCE_CUDA=1   build mmcv and gfla_mm with CUDA kernels (needs nvcc)
#   MAX_JOBS       parallel compile jobs (default: number of CPUs)
#   GFLA_MM_NO_BROWSER=1  do not apt-install chromium (the browser test then
#                  fails, saying what is missing)
#
# `tools/setup_env.sh --check` installs nothing: it says which stage is stale
# and exits 1 if any is, 0 if the environment is up to date.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
VENV=${GFLA_MM_VENV:-$ROOT/.venv}
REQ=$ROOT/requirements
CONSTRAINTS=$REQ/constraints.txt
CACHE=${XDG_CACHE_HOME:-$HOME/.cache}/gfla_mm
PY=$VENV/bin/python
export MAX_JOBS=${MAX_JOBS:-$(nproc)}

log() { printf '[setup_env] %s\n' "$*" >&2; }
die() { printf '[setup_env] ERROR: %s\n' "$*" >&2; exit 1; }

# Hash of a list of files (missing ones count as empty) and of this script.
digest() {
  local f
  for f in "$@"; do
    printf '%s\n' "${f#"$ROOT"/}"
    [ -f "$f" ] && cat "$f"
  done | sha256sum | cut -d' ' -f1
}

stack_inputs=("$REQ"/*.txt "$ROOT/tools/setup_env.sh")
mapfile -t ext_sources < <(find "$ROOT/gfla_mm/ops/csrc" -type f 2>/dev/null | sort)
pkg_inputs=("$ROOT/setup.py" "$ROOT/requirements/runtime.txt" "${ext_sources[@]}")
stack_hash=$(digest "${stack_inputs[@]}")
pkg_hash=$(digest "${pkg_inputs[@]}")
[ "${FORCE_CUDA:-0}" = 1 ] && pkg_hash="$pkg_hash-cuda"
stack_stamp=$VENV/.gfla_mm-stack
pkg_stamp=$VENV/.gfla_mm-package

# The web demo's browser test (tests/test_demo/) drives Debian's chromium
# with its chromedriver: apt-install both when either is missing. A system
# stage, outside the venv and its stamps; a no-op when both are there.
have_browser() { command -v chromium >/dev/null && command -v chromedriver >/dev/null; }
ensure_browser() {
  have_browser && return 0
  if [ "${GFLA_MM_NO_BROWSER:-0}" = 1 ]; then
    log "GFLA_MM_NO_BROWSER=1: not installing chromium; the browser test will fail"
    return 0
  fi
  command -v apt-get >/dev/null ||
    die "chromium and chromedriver are missing and there is no apt-get: install a Chromium and its matching chromedriver as chromium/chromedriver on PATH (the web demo's browser test needs them), or set GFLA_MM_NO_BROWSER=1"
  local sudo=
  if [ "$(id -u)" != 0 ]; then
    command -v sudo >/dev/null ||
      die "chromium + chromium-driver are missing; installing them needs root: sudo apt-get install chromium chromium-driver"
    sudo=sudo
  fi
  log "installing chromium + chromium-driver with apt-get (the web demo's browser test)"
  $sudo apt-get update -qq || die "apt-get update failed; see above"
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
    chromium chromium-driver fonts-dejavu-core >/dev/null ||
    die "apt-get install chromium chromium-driver failed; see above"
  have_browser || die "chromium/chromedriver still not on PATH after apt-get install"
}

if [ "${1:-}" = --check ]; then
  stale=0
  have_browser || [ "${GFLA_MM_NO_BROWSER:-0}" = 1 ] ||
    { log "stale: browser (chromium + chromedriver for the web demo's test)"; stale=1; }
  [ -x "$PY" ] || { log "stale: no venv at $VENV"; stale=1; }
  [ "$(cat "$stack_stamp" 2>/dev/null)" = "$stack_hash" ] ||
    { log "stale: stack (requirements/ or tools/setup_env.sh changed)"; stale=1; }
  [ "$(cat "$pkg_stamp" 2>/dev/null)" = "$pkg_hash" ] ||
    { log "stale: gfla_mm (setup.py, runtime.txt or extension sources changed)"; stale=1; }
  [ $stale = 0 ] && log "environment up to date: $VENV"
  exit $stale
fi

ensure_browser
if [ -x "$PY" ] && [ "$(cat "$stack_stamp" 2>/dev/null)" = "$stack_hash" ] &&
   [ "$(cat "$pkg_stamp" 2>/dev/null)" = "$pkg_hash" ]; then
  log "environment up to date: $VENV"
  exit 0
fi

pip_install() { "$PY" -m pip install --disable-pip-version-check -q -c "$CONSTRAINTS" "$@"; }

# --- 1. the virtual environment -------------------------------------------
if [ ! -x "$PY" ]; then
  base=${PYTHON:-}
  if [ -z "$base" ]; then
    for cand in python3.11 python3; do
      command -v "$cand" >/dev/null && { base=$cand; break; }
    done
  fi
  [ -n "$base" ] || die "no python3.11 found; set PYTHON=/path/to/python3.11"
  ver=$("$base" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
  [ "$ver" = 3.11 ] || die "$base is Python $ver; the pinned stack needs 3.11 (set PYTHON=...)"
  log "creating $VENV with $base"
  "$base" -m venv "$VENV"
fi

# --- 2. the pinned stack -------------------------------------------------
if [ "$(cat "$stack_stamp" 2>/dev/null)" != "$stack_hash" ]; then
  t0=$(date +%s)
  log "installing pip, build tools, torch (requirements/torch.txt, build.txt)"
  pip_install pip
  pip_install -r "$REQ/build.txt" -r "$REQ/torch.txt"

  mmcv_ver=$(sed -n 's/^mmcv==//p' "$CONSTRAINTS")
  [ -n "$mmcv_ver" ] || die "requirements/constraints.txt pins no mmcv version"
  torch_ver=$("$PY" -c 'import torch; print(torch.__version__.split("+")[0])')
  py_tag=$("$PY" -c 'import sys; print("cp%d%d" % sys.version_info[:2])')
  variant=cpu
  if [ "${FORCE_CUDA:-0}" = 1 ] || "$PY" -c 'import sys, torch; sys.exit(not torch.cuda.is_available())'; then
    variant=cuda
  fi
  wheel_dir=$CACHE/mmcv-$mmcv_ver-torch$torch_ver-$py_tag-$(uname -m)-$variant
  have_mmcv=$("$PY" -c 'import importlib.metadata as m; print(m.version("mmcv"))' 2>/dev/null || true)
  if [ "$have_mmcv" = "$mmcv_ver" ] && "$PY" -c 'import mmcv._ext' 2>/dev/null; then
    log "mmcv $mmcv_ver with compiled ops already installed"
  else
    if ! ls "$wheel_dir"/mmcv-*.whl >/dev/null 2>&1; then
      log "building mmcv $mmcv_ver ($variant ops) from source: ~11 min on 2 cores, once per machine"
      work=$(mktemp -d)
      trap 'rm -rf "$work"' EXIT
      # --no-build-isolation: pip prepares the sdist metadata by running its
      # setup.py, which imports torch and pkg_resources (setuptools < 81).
      "$PY" -m pip download --disable-pip-version-check -q --no-deps --no-binary :all: --no-build-isolation \
        "mmcv==$mmcv_ver" -d "$work"
      tar -xzf "$work"/mmcv-"$mmcv_ver".tar.gz -C "$work"
      src=$work/mmcv-$mmcv_ver
      # torch >= 2.10 headers need C++20; mmcv 2.1.0 hard-codes C++17.
      grep -q "'-std=c++17'" "$src/setup.py" || die "mmcv setup.py no longer has -std=c++17; update this script"
      sed -i "s/'-std=c++17'/'-std=c++20'/g" "$src/setup.py"
      # Without --no-build-isolation mmcv's setup.py cannot see torch and
      # silently builds without ops (later: No module named 'mmcv._ext').
      (cd "$src" && MMCV_WITH_OPS=1 "$PY" -m pip wheel --disable-pip-version-check -q \
        --no-build-isolation --no-deps -w "$work/dist" .)
      mkdir -p "$wheel_dir"
      cp "$work"/dist/mmcv-*.whl "$wheel_dir.tmp.whl"
      mv "$wheel_dir.tmp.whl" "$wheel_dir/$(basename "$work"/dist/mmcv-*.whl)"
      rm -rf "$work"
      trap - EXIT
    else
      log "using cached mmcv wheel from $wheel_dir"
    fi
    pip_install --no-deps --force-reinstall "$wheel_dir"/mmcv-*.whl
  fi

  log "installing runtime stack, pose, deploy and web extras, test tools (runtime.txt, pose.txt, deploy.txt, web.txt, tests.txt, mmpose.txt)"
  pip_install -r "$REQ/runtime.txt" -r "$REQ/pose.txt" -r "$REQ/deploy.txt" -r "$REQ/web.txt" -r "$REQ/tests.txt"
  pip_install --no-deps -r "$REQ/mmpose.txt"
  "$PY" -c 'import mmcv._ext, mmengine, mmagic.models, mmpose.apis' ||
    die "the stack installed but does not import; see the traceback above"
  echo "$stack_hash" > "$stack_stamp"
  rm -f "$pkg_stamp"
  log "stack ready in $(( $(date +%s) - t0 )) s"
fi

# --- 3. gfla_mm itself (editable; builds its extension) ---------------------
if [ "$(cat "$pkg_stamp" 2>/dev/null)" != "$pkg_hash" ]; then
  t0=$(date +%s)
  log "installing gfla_mm in editable mode (builds gfla_mm._ext)"
  # CUDA_HOME=/usr/local/cuda: torch otherwise guesses /usr/local and fails
  # to link (-lcudart) when FORCE_CUDA=1 on a machine with nvcc.
  if [ -z "${CUDA_HOME:-}" ] && [ -x /usr/local/cuda/bin/nvcc ]; then
    export CUDA_HOME=/usr/local/cuda
  fi
  (cd "$ROOT" && pip_install --no-build-isolation --no-deps -e .)
  # mim (train/test/run) finds a package at <site-packages>/<name>, which a
  # PEP 660 editable install does not create; link it to the checkout so
  # that `mim train gfla_mm CONFIG` finds gfla_mm/.mim/{configs,tools}.
  site=$("$PY" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
  if [ -L "$site/gfla_mm" ] || [ ! -e "$site/gfla_mm" ]; then
    ln -sfn "$ROOT/gfla_mm" "$site/gfla_mm"
  fi
  echo "$pkg_hash" > "$pkg_stamp"
  log "gfla_mm installed in $(( $(date +%s) - t0 )) s"
fi
log "environment ready: $VENV"
