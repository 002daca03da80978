# The demo: a narrow GFLA trained end to end on the synthetic mannequin set
# (tools/make_synthetic_dataset.py) on a CPU in a few minutes.
#   make demo     (or: python tools/make_synthetic_dataset.py --out
#                  data/synthetic && python tools/train.py THIS_CONFIG)
# Sample grids (source | source pose | target pose | generated | ground
# truth | flows | masks) land in work_dirs/gfla_synthetic_demo/<time>/
# vis_data/vis_image/. VGG19 is random here so that the demo runs offline;
# pass --cfg-options model.vgg.pretrained=PATH_OR_URL for real perceptual
# losses.
_base_ = [
    '../_base_/models/gfla_deepfashion.py', '../_base_/gfla_runtime.py'
]

data_root = 'data/synthetic'
size = 64
pipeline = [
    dict(type='GFLALoadImageFromFile', key='source', channel_order='rgb'),
    dict(type='GFLALoadImageFromFile', key='target', channel_order='rgb'),
    dict(
        type='Resize',
        keys=['source', 'target'],
        scale=(size, size),
        keep_ratio=False,
        interpolation='bilinear'),
    dict(type='RescalePoseKeypoints'),
    dict(type='PoseToHeatmap', sigma=2, method='official'),
    dict(
        type='PackInputs',
        keys=['source', 'source_heatmap', 'target_heatmap'],
        data_keys=['target'],
        # The loaders' channel orders: without them mmagic's
        # DataPreprocessor takes the RGB images for BGR, and outputs,
        # metrics and grids get swapped colours.
        meta_keys=[
            'source_name', 'target_name', 'source_path', 'target_path',
            'source_channel_order', 'source_color_type',
            'target_channel_order', 'target_color_type'
        ]),
]
dataset = dict(
    type='PosePairDataset',
    data_root=data_root,
    keypoint_frame=(128, 128),
    pipeline=pipeline)
train_dataloader = dict(
    batch_size=4,
    num_workers=0,
    sampler=dict(type='InfiniteSampler', shuffle=True),
    dataset=dict(split='train', **dataset))
val_dataloader = dict(
    batch_size=4,
    num_workers=0,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(split='test', test_mode=True, **dataset))
test_dataloader = val_dataloader
test_evaluator = {{_base_.val_evaluator}}  # offline

model = dict(
    generator=dict(
        base_channels=16,
        max_channels=64,
        flow_cfg=dict(base_channels=8, max_channels=32)),
    discriminator=dict(base_channels=16, max_channels=32, layers=3),
    vgg=dict(pretrained=None))
# 5x the paper's learning rates: the narrow model then shows the person in
# the target pose within the demo's 300 iterations.
optim_wrapper = dict(
    generator=dict(optimizer=dict(lr=5e-4)),
    discriminator=dict(optimizer=dict(lr=5e-5)))

train_cfg = dict(type='IterBasedTrainLoop', max_iters=300, val_interval=100)
default_hooks = dict(
    logger=dict(interval=10),
    checkpoint=dict(interval=100, max_keep_ckpts=2))
# One grid per 4 test batches.
custom_hooks = [dict(type='BasicVisualizationHook', interval=dict(val=4))]
env_cfg = dict(cudnn_benchmark=False, dist_cfg=dict(backend='gloo'))
