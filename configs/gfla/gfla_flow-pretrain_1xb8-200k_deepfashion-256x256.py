# Stage 1 on DeepFashion 256x256: pre-train the flow estimator.
#   python tools/train.py configs/gfla/gfla_flow-pretrain_1xb8-200k_deepfashion-256x256.py
# The official code stopped when the correctness loss reached ~2; 200k
# iterations at batch 8 is our schedule for that.
_base_ = [
    '../_base_/datasets/deepfashion_256x256.py',
    '../_base_/models/base_gfla_flow.py', '../_base_/gfla_runtime.py'
]

train_cfg = dict(
    type='IterBasedTrainLoop', max_iters=200000, val_interval=10000)
default_hooks = dict(checkpoint=dict(save_best=None))
# Stage 1 is scored on the warped source: the cheap validation metrics.
test_evaluator = {{_base_.val_evaluator}}
