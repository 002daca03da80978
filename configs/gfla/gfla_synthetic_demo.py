# The demo: a narrow GFLA trained on the synthetic mannequin set
# (tools/make_synthetic_dataset.py) on a CPU in a few minutes, in the
# official two stages: gfla_synthetic_demo_flow.py (the flow estimator
# alone), then this config end to end from its checkpoint (flow_init).
#   make demo     (or: python tools/make_synthetic_dataset.py --out
#                  data/synthetic && python tools/train.py
#                  configs/gfla/gfla_synthetic_demo_flow.py && python
#                  tools/train.py THIS_CONFIG)
# Sample grids (source | source pose | target pose | generated | ground
# truth | flows | masks) land in work_dirs/gfla_synthetic_demo/<time>/
# vis_data/vis_image/.
# What differs from the paper, because the demo runs offline (no ImageNet
# VGG19; measurements in configs/gfla/README.md, "The offline demo"):
# - the flows learn from the renderer's known correspondences
#   (FlowSupervisionLoss) instead of the sampling correctness loss, whose
#   minimum is not at the true flow with random VGG19 features;
# - no perceptual/style losses (random VGG19 features; dropping them makes
#   an iteration 3x cheaper); L1 x 5, LSGAN x 2 and L_r as in the paper;
# - 64x64 images, narrow networks, 5x the paper's learning rates.
# With a real VGG19 (--cfg-options model.vgg.pretrained=PATH_OR_URL) put the
# paper's losses back from ../_base_/models/gfla_deepfashion.py.
_base_ = [
    '../_base_/datasets/synthetic_64x64.py',
    '../_base_/models/gfla_deepfashion.py', '../_base_/gfla_runtime.py'
]

model = dict(
    generator=dict(
        base_channels=16,
        max_channels=64,
        flow_cfg=dict(base_channels=8, max_channels=32)),
    discriminator=dict(base_channels=16, max_channels=32, layers=3),
    # Offline stand-ins (see the header).
    correctness_loss=None,
    perceptual_loss=None,
    style_loss=None,
    flow_supervision_loss=dict(type='FlowSupervisionLoss', loss_weight=1.0),
    vgg=dict(pretrained=None),
    flow_init='work_dirs/gfla_synthetic_demo_flow')
# 5x the paper's learning rates.
optim_wrapper = dict(
    generator=dict(optimizer=dict(lr=5e-4)),
    discriminator=dict(optimizer=dict(lr=5e-5)))

train_cfg = dict(type='IterBasedTrainLoop', max_iters=900, val_interval=300)
default_hooks = dict(
    logger=dict(interval=50),
    checkpoint=dict(interval=300, max_keep_ckpts=1))
# One grid per 4 test batches.
custom_hooks = [dict(type='BasicVisualizationHook', interval=dict(val=4))]
# Validation scores what tools/test.py scores (all offline).
val_evaluator = {{_base_.test_evaluator}}
env_cfg = dict(cudnn_benchmark=False, dist_cfg=dict(backend='gloo'))
