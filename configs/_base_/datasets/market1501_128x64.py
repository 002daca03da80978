# Market-1501 pose pairs, GFLA's protocol: 128x64, official pose maps, the
# official source/target affine augmentation for training. Prepare the data
# with tools/dataset_converters/market1501/prepare.py.
dataset_type = 'PosePairDataset'
data_root = 'data/market'
keypoint_frame = (128, 64)
common = dict(
    type=dataset_type,
    data_root=data_root,
    pairs_file='market-pairs-{split}.csv',
    annotation_file='market-annotation-{split}.csv',
    keypoint_frame=keypoint_frame)

load = [
    dict(type='GFLALoadImageFromFile', key='source', channel_order='rgb'),
    dict(type='GFLALoadImageFromFile', key='target', channel_order='rgb'),
    dict(
        type='Resize',
        keys=['source', 'target'],
        scale=(64, 128),
        keep_ratio=False,
        interpolation='bilinear'),
    dict(type='RescalePoseKeypoints'),
]
pack = [
    dict(type='PoseToHeatmap', sigma=6, method='official'),
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
train_pipeline = load + [dict(type='PoseAffineAugment')] + pack
test_pipeline = load + pack

train_dataloader = dict(
    batch_size=8,
    num_workers=4,
    persistent_workers=True,
    sampler=dict(type='InfiniteSampler', shuffle=True),
    dataset=dict(split='train', pipeline=train_pipeline, **common))
val_dataloader = dict(
    batch_size=1,
    num_workers=4,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        split='test', test_mode=True, pipeline=test_pipeline, **common))
test_dataloader = val_dataloader

# The paper's protocol (Table III; docs/evaluation.md): FID against the
# training-set statistics, LPIPS, Mask-LPIPS (body mask from the target
# keypoints, decoded from the packed target heatmaps), SSIM/PSNR.
test_evaluator = dict(
    type='Evaluator',
    metrics=[
        dict(
            type='PaperFID',
            real_dir=data_root + '/train',
            real_stats='work_dirs/fid_stats/market_train.npz'),
        dict(type='LPIPS'),
        dict(type='MaskLPIPS'),
        dict(type='SSIM'),
        dict(type='PSNR'),
    ])
