#!/usr/bin/env bash
# `make demo-animation`: train the narrow sequential GFLA of
# configs/gfla_animation/gfla-animation_synthetic-demo.py on synthetic clips
# (made on first use) on the CPU, then animate the first test mannequin
# along its test clip's skeletons with demo/animation_demo.py (H.264 mp4 and
# GIF, driving skeleton | generated), and score the held-out clips against
# copying the reference (tools/analysis_tools/animation_demo_eval.py). About
# 28 min on 2 cores. Extra arguments go to tools/train.py.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
DATA=${DATA:-data/synthetic_clips}
WORK_DIR=${WORK_DIR:-work_dirs/gfla-animation_synthetic-demo}
CONFIG=configs/gfla_animation/gfla-animation_synthetic-demo.py

# 48 training clips (people): with 8 the model memorised their outfits.
CLIPS=(48 4)
have=$({ ls "$DATA/train_256/train_layout" 2>/dev/null || true; } | wc -l)
if [ "$have" -ne "${CLIPS[0]}" ]; then
    echo "[demo-animation] making ${CLIPS[0]} + ${CLIPS[1]} synthetic clips in $DATA"
    # Only the clip folders this script writes (an older, smaller set).
    rm -rf "$DATA/train_256" "$DATA/test_256"
    "$PY" tools/make_synthetic_dataset.py --out "$DATA" --train-ids 2 \
        --test-ids 1 --clips "${CLIPS[@]}"
fi
echo "[demo-animation] training $CONFIG on the CPU"
"$PY" tools/train.py "$CONFIG" --work-dir "$WORK_DIR" --cfg-options \
    "train_dataloader.dataset.data_root=$DATA" \
    "val_dataloader.dataset.data_root=$DATA" \
    "test_dataloader.dataset.data_root=$DATA" "$@"
ckpt=$(cat "$WORK_DIR/last_checkpoint")
clip=$(ls "$DATA/test_256/train_A" | head -1)
out="$WORK_DIR/animation.mp4"
echo "[demo-animation] animating test clip $clip's first frame"
"$PY" demo/animation_demo.py "$CONFIG" "$ckpt" \
    --source "$DATA/test_256/train_A/$clip/00000.png" \
    --source-keypoints "$DATA/test_256/train_alphapose/$clip/00000.json" \
    --driving "$DATA/test_256/train_video2d/$clip" --retarget none \
    --out "$out" --gif --side-by-side --device cpu
echo "[demo-animation] held-out clips against copying the reference photo"
"$PY" tools/analysis_tools/animation_demo_eval.py "$CONFIG" "$ckpt" \
    --data "$DATA" --strip "$WORK_DIR/heldout_strip.png"
strips=$(ls -td "$WORK_DIR"/*/vis_data/animation 2>/dev/null | head -1)
echo
echo "[demo-animation] done."
echo "[demo-animation] checkpoint: $ckpt"
echo "[demo-animation] animation (driving skeleton | generated): $out" \
    "and ${out%.mp4}.gif"
echo "[demo-animation] held-out strip (per clip ground truth, generated):" \
    "$WORK_DIR/heldout_strip.png"
echo "[demo-animation] validation strips (reference | driving skeleton |"
echo "       generated | ground truth) and videos: ${strips:-<none>}"
