#!/usr/bin/env bash
# `make demo`: train the narrow GFLA of configs/gfla/gfla_synthetic_demo.py
# on the synthetic mannequin set (made on first use) in two stages (the flow
# estimator alone, then end to end) and say where the sample grids and the
# checkpoint are. Extra arguments go to stage 2's tools/train.py.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
DATA=${DATA:-data/synthetic}
WORK_DIR=${WORK_DIR:-work_dirs/gfla_synthetic_demo}
FLOW_WORK_DIR=${FLOW_WORK_DIR:-work_dirs/gfla_synthetic_demo_flow}
CONFIG=configs/gfla/gfla_synthetic_demo.py
FLOW_CONFIG=configs/gfla/gfla_synthetic_demo_flow.py

if [ ! -f "$DATA/fasion-pairs-train.csv" ]; then
    echo "[demo] making the synthetic dataset in $DATA"
    "$PY" tools/make_synthetic_dataset.py --out "$DATA"
fi
DATA_OPTS=("train_dataloader.dataset.data_root=$DATA"
    "val_dataloader.dataset.data_root=$DATA"
    "test_dataloader.dataset.data_root=$DATA")
echo "[demo] stage 1: $FLOW_CONFIG (the flow estimator, 600 iterations)"
"$PY" tools/train.py "$FLOW_CONFIG" --work-dir "$FLOW_WORK_DIR" \
    --cfg-options "${DATA_OPTS[@]}"
echo "[demo] stage 2: $CONFIG end to end on the CPU (800 iterations," \
    "validation every 400)"
"$PY" tools/train.py "$CONFIG" --work-dir "$WORK_DIR" --cfg-options \
    "${DATA_OPTS[@]}" "model.flow_init=$FLOW_WORK_DIR" "$@"

run=$(ls -td "$WORK_DIR"/*/vis_data/vis_image 2>/dev/null | head -1)
ckpt=$(cat "$WORK_DIR/last_checkpoint" 2>/dev/null || true)

# Pose transfer with the trained model (gfla_mm.apis): the first test person
# in every test pose, as a GIF. The poses come straight from the dataset's
# annotation CSV: every row for the target, the source image's row for the
# source.
gif="$WORK_DIR/pose_transfer.gif"
figure="$WORK_DIR/figure.png"
if [ -n "$ckpt" ]; then
    # Both at once (each is mostly start-up; two cores): paper Fig. 7 in
    # miniature (flows, where the shirt is read from) and the GIF.
    "$PY" tools/analysis_tools/demo_figure.py "$CONFIG" "$ckpt" \
        --data "$DATA" --out "$figure" &
    figure_pid=$!
    src=$(ls "$DATA"/test/*.jpg | head -1)
    poses="$DATA/fasion-annotation-test.csv"
    echo "[demo] pose transfer: $src in every test pose"
    "$PY" demo/pose_transfer_demo.py "$CONFIG" "$ckpt" --img "$src" \
        --source-pose "$poses" --target-pose "$poses" \
        --result-out-dir "$gif" --fps 2 --device cpu
    wait "$figure_pid" || { echo "[demo] the figure failed" >&2; exit 1; }
fi
echo
echo "[demo] done."
echo "[demo] sample grids (source | source pose | target pose | generated |"
echo "       ground truth | flows 1/8, 1/4, 1/2 | masks 1/8, 1/4, 1/2):"
echo "       ${run:-<none written>}"
echo "[demo] checkpoint: ${ckpt:-<none>}"
echo "[demo] pose transfer (source in every test pose): $gif"
echo "[demo] figure (source | target pose | generated, query box | ground"
echo "       truth | flows | attention of the query box): $figure"
echo "[demo] score it:   $PY tools/test.py $CONFIG $ckpt --cfg-options" \
    "test_dataloader.dataset.data_root=$DATA"
echo "[demo] (SSIM/PSNR, body/MAE = L1 on the body in [0, 1], FlowEPE_1/s ="
echo "       end-point error of the 1/s flow in its own pixels, ZeroFlowEPE"
echo "       = that of no motion)"
echo "[demo] animation: \`make demo-animation\` trains the sequential (animation)"
echo "       model on synthetic clips and animates a test mannequin; not part of"
echo "       this demo because its training takes several times longer (about"
echo "       28 min on 2 cores against this demo's 4)."
