# GFLA person image animation on iPER 256x256, the official settings: the
# correctness losses weight the foreground (train_C masks) with
# lambda_correct 2 (official `use_mask`), rotation-only augmentation.
_base_ = [
    '../_base_/datasets/iper_256x256.py',
    '../_base_/models/base_gfla_animation.py',
    '../_base_/gfla_animation_runtime.py'
]

model = dict(correctness_mask=True, correctness_loss=dict(loss_weight=2.0))
train_cfg = dict(
    type='IterBasedTrainLoop', max_iters=200000, val_interval=10000)
