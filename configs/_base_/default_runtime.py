# Runtime every gfla_mm config shares: mmagic's scope and gfla_mm's modules,
# seeding, iteration-based logging and checkpoints with optimiser state
# and torch's random state (exact --resume: RNGStateHook; mmengine restores
# neither the animation model's frame draws nor the motion extractor's
# dropout masks without it), local visualisation backend. Algorithm runtimes
# (gfla_runtime.py) and configs add what is theirs (save_best, loops,
# visualiser, evaluators).
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
        save_optimizer=True),
    sampler_seed=dict(type='DistSamplerSeedHook'),
    rng_state=dict(type='RNGStateHook'))

env_cfg = dict(
    cudnn_benchmark=True,
    mp_cfg=dict(mp_start_method='fork', opencv_num_threads=0),
    dist_cfg=dict(backend='nccl'))
log_level = 'INFO'
log_processor = dict(type='LogProcessor', window_size=100, by_epoch=False)
load_from = None
resume = False

vis_backends = [dict(type='LocalVisBackend')]
# mmagic's Evaluator (default_scope 'mmagic') runs under its Multi* loops.
val_cfg = dict(type='MultiValLoop')
test_cfg = dict(type='MultiTestLoop')
