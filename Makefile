# gfla_mm: one command per job. Each target creates or reuses .venv/ first
# (tools/setup_env.sh: pinned stack from requirements/, mmcv wheel cached in
# $${XDG_CACHE_HOME:-~/.cache}/gfla_mm/; a re-run with nothing changed is a no-op).
VENV ?= .venv
PY := $(VENV)/bin/python
PYTEST_ARGS ?=

.PHONY: env lint cuda-check test demo demo-animation clean-env

env:
	@bash tools/setup_env.sh

lint: env
	$(PY) -m ruff check .

# Compile the CUDA kernels as well (needs nvcc, not a GPU), so that a CUDA
# compile error fails the run; skipped with a message where nvcc is absent.
cuda-check: env
	@bash tools/check_cuda_build.sh

# Lint, the CUDA compile check, then the whole test suite (pytest's exit 5,
# "no tests", fails too).
test: lint cuda-check
	$(PY) -m pytest $(PYTEST_ARGS)

# Train the narrow demo GFLA on the synthetic set (made if missing) on the
# CPU, then print where the sample grids and the checkpoint are.
demo: env
	@bash tools/demo.sh

# Train the narrow sequential (animation) GFLA on synthetic clips on the CPU
# (longer than `make demo`: see tools/demo_animation.sh), then animate a test
# mannequin to an mp4 and a GIF.
demo-animation: env
	@bash tools/demo_animation.sh

clean-env:
	rm -rf $(VENV)
