# Stage 1 at DeepFashion's native 256x176 (no stretching). The flow
# estimator pads 176 to 192 internally; its flows come out at 32x22 / 64x44.
_base_ = [
    '../_base_/datasets/deepfashion_256x176.py',
    '../_base_/models/base_gfla_flow.py', '../_base_/gfla_runtime.py'
]

train_cfg = dict(
    type='IterBasedTrainLoop', max_iters=200000, val_interval=10000)
default_hooks = dict(checkpoint=dict(save_best=None))
# Stage 1 is scored on the warped source: the cheap validation metrics.
test_evaluator = {{_base_.val_evaluator}}
