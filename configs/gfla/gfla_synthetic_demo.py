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
# What differs from the paper, because the demo runs offline on a CPU
# (measurements in configs/gfla/README.md, "The offline demo"):
# - the flows learn from the renderer's known correspondences
#   (FlowSupervisionLoss) instead of the sampling correctness loss, whose
#   minimum is not at the true flow with random VGG19 features;
# - no perceptual/style losses (random VGG19 features; dropping them makes
#   an iteration 3x cheaper); L1 x 5, LSGAN x 2 and L_r as in the paper;
# - the source encoder has no InstanceNorm (source_norm=False): the official
#   one makes the output exactly invariant to recolouring the source, and
#   the synthetic people have random colours on random backgrounds;
# - a third attended level, 1/2 (k=3), beside 1/8 (k=3) and 1/4 (k=5): at
#   64x64 the 1/4 grid is too coarse to carry the shirt patterns;
# - local attention sums its k^2 softmax-weighted taps
#   (attn_tap_reduction='sum') where the official block averages them,
#   which feeds the renderer the attended features at 1/k^2 of their scale;
# - 64x64 images, narrow networks, init gain 1, Adam betas (0.9, 0.999)
#   and 15x the paper's learning rates, constant for 400 iterations, then
#   decaying linearly to 0 at 800 (800 iterations, not 1M; the decay reaches
#   in 800 what a constant rate reached in 1200, for the 5-minute budget).
# With a real VGG19 (--cfg-options model.vgg.pretrained=PATH_OR_URL) put the
# paper's losses back from ../_base_/models/base_gfla.py.
_base_ = [
    '../_base_/datasets/synthetic_64x64.py',
    '../_base_/models/base_gfla.py', '../_base_/gfla_runtime.py'
]

# The flow estimator must match gfla_synthetic_demo_flow.py (flow_init).
model = dict(
    generator=dict(
        base_channels=16,
        max_channels=64,
        attn_kernel_sizes={3: 3, 2: 5, 1: 3},
        attn_tap_reduction='sum',
        source_norm=False,
        init_gain=1.0,
        flow_cfg=dict(base_channels=8, max_channels=32)),
    discriminator=dict(base_channels=16, max_channels=32, layers=3),
    # Offline stand-ins (see the header).
    correctness_loss=None,
    perceptual_loss=None,
    style_loss=None,
    flow_supervision_loss=dict(type='FlowSupervisionLoss', loss_weight=1.0),
    regularization_loss=dict(kernel_sizes=(3, 5, 3)),
    vgg=dict(pretrained=None),
    flow_init='work_dirs/gfla_synthetic_demo_flow')
optim_wrapper = dict(
    generator=dict(optimizer=dict(lr=1.5e-3, betas=(0.9, 0.999))),
    discriminator=dict(optimizer=dict(lr=1.5e-4, betas=(0.9, 0.999))))

train_cfg = dict(type='IterBasedTrainLoop', max_iters=800, val_interval=400)
# Both optimisers (tools/analysis_tools/synthetic_ablation.py rescales the
# schedule with --iters).
param_scheduler = [
    dict(
        type='LinearLR',
        start_factor=1.0,
        end_factor=0.0,
        begin=400,
        end=800,
        by_epoch=False)
]
default_hooks = dict(
    logger=dict(interval=50),
    checkpoint=dict(interval=400, max_keep_ckpts=1))
# One grid per 4 test batches.
custom_hooks = [dict(type='BasicVisualizationHook', interval=dict(val=4))]
# Validation scores what tools/test.py scores (all offline).
val_evaluator = {{_base_.test_evaluator}}
env_cfg = dict(cudnn_benchmark=False, dist_cfg=dict(backend='gloo'))
# Three attended levels: three flows and masks in the grids.
visualizer = dict(img_keys={{_base_.demo_img_keys}})
