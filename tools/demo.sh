#!/usr/bin/env bash
# `make demo`: train the narrow GFLA of configs/gfla/gfla_synthetic_demo.py
# on the synthetic mannequin set (made on first use) and say where the
# sample grids and the checkpoint are. Extra arguments go to tools/train.py.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
DATA=${DATA:-data/synthetic}
WORK_DIR=${WORK_DIR:-work_dirs/gfla_synthetic_demo}
CONFIG=configs/gfla/gfla_synthetic_demo.py

if [ ! -f "$DATA/fasion-pairs-train.csv" ]; then
    echo "[demo] making the synthetic dataset in $DATA"
    "$PY" tools/make_synthetic_dataset.py --out "$DATA"
fi
echo "[demo] training $CONFIG on the CPU (300 iterations, validation every 100)"
"$PY" tools/train.py "$CONFIG" --work-dir "$WORK_DIR" --cfg-options \
    "train_dataloader.dataset.data_root=$DATA" \
    "val_dataloader.dataset.data_root=$DATA" \
    "test_dataloader.dataset.data_root=$DATA" "$@"

run=$(ls -td "$WORK_DIR"/*/vis_data/vis_image 2>/dev/null | head -1)
ckpt=$(cat "$WORK_DIR/last_checkpoint" 2>/dev/null || true)
echo
echo "[demo] done."
echo "[demo] sample grids (source | source pose | target pose | generated |"
echo "       ground truth | flow 1/8 | flow 1/4 | mask 1/8 | mask 1/4):"
echo "       ${run:-<none written>}"
echo "[demo] checkpoint: ${ckpt:-<none>}"
echo "[demo] score it:   $PY tools/test.py $CONFIG $ckpt --cfg-options" \
    "test_dataloader.dataset.data_root=$DATA"
