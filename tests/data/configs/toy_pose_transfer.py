# The pose-pair pipeline (PosePairDataset + gfla_mm transforms + mmagic's
# PackInputs/DataPreprocessor) trained for 2 iterations by the stock tools.
# Set train_dataloader.dataset.data_root with --cfg-options.
default_scope = 'mmagic'
custom_imports = dict(
    imports=['gfla_mm', 'gfla_toy_plugin'], allow_failed_imports=False)

model = dict(
    type='GFLAToyPoseTransfer',
    data_preprocessor=dict(
        type='DataPreprocessor',
        data_keys='target',
        non_image_keys=['source_heatmap', 'target_heatmap']))

train_pipeline = [
    dict(type='GFLALoadImageFromFile', key='source', channel_order='rgb'),
    dict(type='GFLALoadImageFromFile', key='target', channel_order='rgb'),
    dict(type='Resize', keys=['source', 'target'], scale=(32, 32),
         keep_ratio=False, interpolation='bicubic'),
    dict(type='RescalePoseKeypoints'),
    dict(type='FlipPosePair', flip_ratio=0.5),
    dict(type='PoseToHeatmap', sigma=3),
    dict(type='PackInputs',
         keys=['source', 'source_heatmap', 'target_heatmap'],
         data_keys=['target'],
         meta_keys=['source_channel_order', 'source_color_type',
                    'target_channel_order', 'target_color_type']),
]
train_dataloader = dict(
    batch_size=2,
    num_workers=0,
    sampler=dict(type='InfiniteSampler', shuffle=True),
    dataset=dict(
        type='PosePairDataset',
        data_root='data/synthetic',
        keypoint_frame=(64, 64),
        pipeline=train_pipeline))

train_cfg = dict(type='IterBasedTrainLoop', max_iters=2)
optim_wrapper = dict(type='OptimWrapper', optimizer=dict(type='Adam', lr=1e-3))
default_hooks = dict(
    logger=dict(type='LoggerHook', interval=1),
    checkpoint=dict(type='CheckpointHook', interval=2, by_epoch=False))
log_processor = dict(by_epoch=False)
env_cfg = dict(dist_cfg=dict(backend='gloo'))
randomness = dict(seed=0)
