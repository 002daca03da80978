# Stage 2 on Market-1501 128x64: local attention at 1/4 only (k=3),
# discriminator with 3 blocks (official Market options; the levels in
# ../_base_/models/market_levels.py, shared with stage 1).
_base_ = [
    '../_base_/datasets/market1501_128x64.py',
    '../_base_/models/base_gfla.py', '../_base_/models/market_levels.py',
    '../_base_/gfla_runtime.py'
]

model = dict(
    generator=dict(
        _delete_=True,  # replace, not merge, the attended levels
        type='GFLAGenerator',
        base_channels=64,
        max_channels=512,
        layers=3,
        num_blocks=2,
        attn_kernel_sizes={{_base_.market_attn_kernel_sizes}}),
    discriminator=dict(layers=3),
    correctness_loss=dict(layers={{_base_.market_correctness_layers}}),
    regularization_loss=dict(
        kernel_sizes={{_base_.market_regularization_kernel_sizes}}),
    flow_init='work_dirs/gfla_flow-pretrain_1xb8-200k_market-128x64')

train_cfg = dict(
    type='IterBasedTrainLoop', max_iters=1000000, val_interval=10000)
visualizer = dict(img_keys=[
    'source_img', 'source_pose_img', 'target_pose_img', 'pred_img', 'gt_img',
    'flow_img_0', 'mask_img_0'
])
