# Runtime shared by the GFLA configs: mmagic's scope, iteration-based
# training, checkpoints with optimiser state (exact --resume), sample grids
# (source | source pose | target pose | generated | ground truth | flows |
# masks) written to <work_dir>/<timestamp>/vis_data/vis_image.
default_scope = 'mmagic'
custom_imports = dict(imports=['gfla_mm'], allow_failed_imports=False)
randomness = dict(seed=2020, diff_rank_seed=True)

default_hooks = dict(
    timer=dict(type='IterTimerHook'),
    logger=dict(type='LoggerHook', interval=100),
    param_scheduler=dict(type='ParamSchedulerHook'),
    checkpoint=dict(
        type='CheckpointHook',
        interval=10000,
        by_epoch=False,
        max_keep_ckpts=5,
        save_optimizer=True,
        save_best='SSIM',
        rule='greater'),
    sampler_seed=dict(type='DistSamplerSeedHook'))

env_cfg = dict(
    cudnn_benchmark=True,
    mp_cfg=dict(mp_start_method='fork', opencv_num_threads=0),
    dist_cfg=dict(backend='nccl'))
log_level = 'INFO'
log_processor = dict(type='LogProcessor', window_size=100, by_epoch=False)
load_from = None
resume = False

# Every submodule wrapped on its own: D and G step separately.
model_wrapper_cfg = dict(
    type='MMSeparateDistributedDataParallel',
    broadcast_buffers=False,
    find_unused_parameters=False)

vis_backends = [dict(type='LocalVisBackend')]
visualizer = dict(
    type='ConcatImageVisualizer',
    vis_backends=vis_backends,
    fn_key='target_path',
    img_keys=[
        'source_img', 'source_pose_img', 'target_pose_img', 'pred_img',
        'gt_img', 'flow_img_0', 'flow_img_1', 'mask_img_0', 'mask_img_1'
    ],
    bgr2rgb=True)
# One grid per 50 validation images; every test image.
custom_hooks = [
    dict(type='BasicVisualizationHook', interval=dict(val=50, test=1))
]

val_cfg = dict(type='MultiValLoop')
test_cfg = dict(type='MultiTestLoop')
# Validation is cheap and offline; the dataset bases give test_evaluator
# (the paper's protocol).
val_evaluator = dict(
    type='Evaluator',
    metrics=[dict(type='SSIM'), dict(type='PSNR')])
