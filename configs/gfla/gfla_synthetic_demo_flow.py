# Stage 1 of the demo: the narrow flow estimator of gfla_synthetic_demo.py
# alone, on the synthetic mannequin set (the official two-stage recipe).
#   python tools/train.py configs/gfla/gfla_synthetic_demo_flow.py
# Offline there is no ImageNet VGG19, and a random one leaves the sampling
# correctness loss without a minimum at the true flow (configs/gfla/
# README.md, "The offline demo"), so here the flows learn from the
# renderer's known correspondences (FlowSupervisionLoss) instead of L_c;
# the affine regularisation stays (official weight 0.01).
_base_ = [
    '../_base_/datasets/synthetic_64x64.py',
    '../_base_/models/base_gfla_flow.py', '../_base_/gfla_runtime.py'
]

# The flow estimator of gfla_synthetic_demo.py (its three attended levels).
model = dict(
    flow_net=dict(base_channels=8, max_channels=32, attn_layers=(1, 2, 3)),
    correctness_loss=None,  # no VGG19 is built without it
    flow_supervision_loss=dict(type='FlowSupervisionLoss', loss_weight=1.0),
    regularization_loss=dict(kernel_sizes=(3, 5, 3)))
# 5x the paper's learning rate, as the end-to-end demo.
optim_wrapper = dict(optimizer=dict(lr=5e-4))

train_cfg = dict(type='IterBasedTrainLoop', max_iters=600, val_interval=600)
default_hooks = dict(
    logger=dict(interval=50),
    checkpoint=dict(
        interval=600, max_keep_ckpts=1, save_best=None,
        save_optimizer=False))
# Stage 1 predicts the source warped by its finer flow: image metrics on
# that, and the flows' end-point errors.
custom_hooks = [dict(type='BasicVisualizationHook', interval=dict(val=4))]
# Validation scores what tools/test.py scores (all offline).
val_evaluator = {{_base_.test_evaluator}}
env_cfg = dict(cudnn_benchmark=False, dist_cfg=dict(backend='gloo'))
visualizer = dict(img_keys={{_base_.demo_img_keys}})
