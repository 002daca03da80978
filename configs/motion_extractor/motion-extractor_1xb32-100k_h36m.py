# The Motion Extraction Network (paper §IV-A) on Human3.6M, as the official
# trains it: noisy Detectron COCO-17 detections -> clean Human3.6M-17 joints,
# windows of 24 target frames (+ 40 context frames each side), batch 32,
# Adam 1e-4, MSE x 1000, random scale [1, 1.5) / shift [-0.1, 0.1).
# Train S1, S5, S6, S7, S8; validate/test S9, S11 (VideoPose3D's split).
# Data: VideoPose3D's data_2d_h36m_detectron_pt_coco.npz and
# data_2d_h36m_gt.npz in data/h36m (docs/animation.md, "Human3.6M").
#   python tools/train.py configs/motion_extractor/motion-extractor_1xb32-100k_h36m.py
default_scope = 'mmagic'
custom_imports = dict(imports=['gfla_mm'], allow_failed_imports=False)
randomness = dict(seed=2020, diff_rank_seed=True)

model = dict(
    type='MotionExtractor',
    generator=dict(
        type='MotionExtractionNet',
        num_joints=17,
        channels=256,
        layers=4,
        dropout=0.15),
    loss_type='mse',  # official; 'l1' = the paper's eq. 16
    loss_weight=1000.0)

dataset_type = 'H36MSkeletonDataset'
data_root = 'data/h36m'
train_pipeline = [
    dict(type='RandomSkeletonScaleShift', scale=(1.0, 1.5), shift=(-0.1, 0.1)),
    dict(type='PackSkeletonInputs')
]
test_pipeline = [dict(type='PackSkeletonInputs')]
train_dataloader = dict(
    batch_size=32,
    num_workers=4,
    persistent_workers=True,
    sampler=dict(type='InfiniteSampler', shuffle=True),
    collate_fn=dict(type='default_collate'),
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        subjects=('S1', 'S5', 'S6', 'S7', 'S8'),
        target_frames=24,
        pipeline=train_pipeline))
val_dataloader = dict(
    batch_size=32,
    num_workers=4,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    collate_fn=dict(type='default_collate'),
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        subjects=('S9', 'S11'),
        target_frames=24,
        pipeline=test_pipeline,
        test_mode=True))
test_dataloader = val_dataloader
val_evaluator = dict(type='Evaluator', metrics=[dict(type='MPJPE')])
test_evaluator = val_evaluator

# The official code sets no end; 100k iterations = ~50 epochs of the
# training windows.
train_cfg = dict(type='IterBasedTrainLoop', max_iters=100000,
                 val_interval=5000)
# mmagic's Evaluator (default_scope 'mmagic') runs under its Multi* loops.
val_cfg = dict(type='MultiValLoop')
test_cfg = dict(type='MultiTestLoop')
optim_wrapper = dict(
    type='OptimWrapper',
    optimizer=dict(type='Adam', lr=1e-4, betas=(0.9, 0.999)))

default_hooks = dict(
    timer=dict(type='IterTimerHook'),
    logger=dict(type='LoggerHook', interval=100),
    param_scheduler=dict(type='ParamSchedulerHook'),
    checkpoint=dict(
        type='CheckpointHook',
        interval=5000,
        by_epoch=False,
        max_keep_ckpts=3,
        save_optimizer=True,
        save_best='MPJPE',
        rule='less'),
    sampler_seed=dict(type='DistSamplerSeedHook'))
env_cfg = dict(
    cudnn_benchmark=True,
    mp_cfg=dict(mp_start_method='fork', opencv_num_threads=0),
    dist_cfg=dict(backend='nccl'))
log_level = 'INFO'
log_processor = dict(type='LogProcessor', window_size=100, by_epoch=False)
vis_backends = [dict(type='LocalVisBackend')]
visualizer = dict(type='Visualizer', vis_backends=vis_backends)
load_from = None
resume = False
