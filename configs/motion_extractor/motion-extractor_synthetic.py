# The Motion Extraction Network on synthetic mannequin tracks, offline on a
# CPU in about a minute: exact Human3.6M-17 targets, detector-like noisy
# COCO-17 inputs (jitter, slow drift, bias, outliers, left/right swaps,
# dropped joints: gfla_mm.datasets.synthetic_skeletons). Same network and
# loss as the H36M config; a narrower net (128 channels), no dropout,
# batch 8 at 10x the learning rate, cosine-annealed over 2000 iterations,
# so that it learns in about a minute (many small steps learn faster here
# than few large ones: docs/animation.md, "Training").
#   python tools/train.py configs/motion_extractor/motion-extractor_synthetic.py
_base_ = ['./motion-extractor_1xb32-100k_h36m.py']

model = dict(generator=dict(channels=128, dropout=0.0))

_train = dict(
    _delete_=True,
    type='SyntheticSkeletonDataset',
    num_sequences=256,
    num_frames=240,
    frame_size=(256, 256),
    seed=0,
    target_frames=24,
    pipeline={{_base_.train_pipeline}})
_test = dict(
    _delete_=True,
    type='SyntheticSkeletonDataset',
    num_sequences=8,
    num_frames=240,
    frame_size=(256, 256),
    seed=1,
    target_frames=24,
    pipeline={{_base_.test_pipeline}},
    test_mode=True)
train_dataloader = dict(
    batch_size=8, num_workers=0, persistent_workers=False, dataset=_train)
val_dataloader = dict(num_workers=0, persistent_workers=False, dataset=_test)
test_dataloader = val_dataloader

train_cfg = dict(max_iters=2000, val_interval=1000)
optim_wrapper = dict(optimizer=dict(lr=1e-3))
param_scheduler = [
    dict(type='CosineAnnealingLR', T_max=2000, by_epoch=False, eta_min=0)
]
default_hooks = dict(
    logger=dict(interval=100),
    checkpoint=dict(interval=2000, max_keep_ckpts=1, save_optimizer=False))
env_cfg = dict(cudnn_benchmark=False, dist_cfg=dict(backend='gloo'))
