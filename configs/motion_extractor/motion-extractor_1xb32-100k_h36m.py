# The Motion Extraction Network (paper §IV-A) on Human3.6M, as the official
# trains it: noisy Detectron COCO-17 detections -> clean Human3.6M-17 joints,
# windows of 24 target frames (+ 40 context frames each side), batch 32,
# Adam 1e-4, MSE x 1000, random scale [1, 1.5) / shift [-0.1, 0.1).
# Train S1, S5, S6, S7, S8; validate/test S9, S11 (VideoPose3D's split).
# Data: VideoPose3D's data_2d_h36m_detectron_pt_coco.npz and
# data_2d_h36m_gt.npz in data/h36m (docs/animation.md, "Human3.6M").
#   python tools/train.py configs/motion_extractor/motion-extractor_1xb32-100k_h36m.py
_base_ = ['../_base_/default_runtime.py']

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
optim_wrapper = dict(
    type='OptimWrapper',
    optimizer=dict(type='Adam', lr=1e-4, betas=(0.9, 0.999)))

default_hooks = dict(
    checkpoint=dict(
        interval=5000, max_keep_ckpts=3, save_best='MPJPE', rule='less'))
visualizer = dict(type='Visualizer', vis_backends={{_base_.vis_backends}})
