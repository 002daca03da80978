# A 2-iteration CPU training config for the tool tests. It uses only what a
# user's own mmagic config would: default_scope='mmagic' + custom_imports.
default_scope = 'mmagic'
custom_imports = dict(
    imports=['gfla_mm', 'gfla_toy_plugin'], allow_failed_imports=False)

model = dict(type='GFLAToyRegressor', channels=3)

train_dataloader = dict(
    batch_size=2,
    num_workers=0,
    sampler=dict(type='InfiniteSampler', shuffle=True),
    collate_fn=dict(type='default_collate'),
    dataset=dict(type='GFLAToyDataset', length=8, size=8))
test_dataloader = dict(
    batch_size=2,
    num_workers=0,
    sampler=dict(type='DefaultSampler', shuffle=False),
    collate_fn=dict(type='default_collate'),
    dataset=dict(type='GFLAToyDataset', length=4, size=8))

train_cfg = dict(type='IterBasedTrainLoop', max_iters=2)
test_cfg = dict(type='TestLoop')
test_evaluator = dict(type='GFLAToyMAE')

optim_wrapper = dict(
    type='OptimWrapper', optimizer=dict(type='Adam', lr=1e-3))

default_hooks = dict(
    timer=dict(type='IterTimerHook'),
    logger=dict(type='LoggerHook', interval=1),
    param_scheduler=dict(type='ParamSchedulerHook'),
    checkpoint=dict(type='CheckpointHook', interval=2, by_epoch=False))
log_processor = dict(by_epoch=False)
env_cfg = dict(
    cudnn_benchmark=False, dist_cfg=dict(backend='gloo'),
    mp_cfg=dict(mp_start_method='fork'))
randomness = dict(seed=0)
