# Stage 1 on Market-1501 128x64: one flow at 1/4 (32x16), correctness on
# relu3_1, affine regularisation with kz=3 (official Market options; the
# levels in ../_base_/models/market_levels.py, shared with stage 2).
_base_ = [
    '../_base_/datasets/market1501_128x64.py',
    '../_base_/models/base_gfla_flow.py',
    '../_base_/models/market_levels.py', '../_base_/gfla_runtime.py'
]

model = dict(
    flow_net=dict(attn_layers={{_base_.market_flow_levels}}),
    correctness_loss=dict(layers={{_base_.market_correctness_layers}}),
    regularization_loss=dict(
        kernel_sizes={{_base_.market_regularization_kernel_sizes}}))

train_cfg = dict(
    type='IterBasedTrainLoop', max_iters=200000, val_interval=10000)
default_hooks = dict(checkpoint=dict(save_best=None))
# Stage 1 is scored on the warped source: the cheap validation metrics.
test_evaluator = {{_base_.val_evaluator}}
visualizer = dict(img_keys=[
    'source_img', 'source_pose_img', 'target_pose_img', 'pred_img', 'gt_img',
    'flow_img_0', 'mask_img_0'
])
