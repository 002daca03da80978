# DeepFashion pose pairs, GFLA's protocol: 256x256 loads (the 256x176
# keypoint frame stretched, as the official code does), official pose maps,
# no augmentation. Prepare the data with
# tools/dataset_converters/deepfashion/prepare.py.
dataset_type = 'PosePairDataset'
data_root = 'data/fashion'
keypoint_frame = (256, 176)  # (H, W) of the CSV coordinates
load_size = (256, 256)  # (H, W) the model sees

pipeline = [
    dict(type='GFLALoadImageFromFile', key='source', channel_order='rgb'),
    dict(type='GFLALoadImageFromFile', key='target', channel_order='rgb'),
    dict(
        type='Resize',
        keys=['source', 'target'],
        scale=(load_size[1], load_size[0]),
        keep_ratio=False,
        interpolation='bilinear'),
    dict(type='RescalePoseKeypoints'),
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

train_dataloader = dict(
    batch_size=8,
    num_workers=4,
    persistent_workers=True,
    sampler=dict(type='InfiniteSampler', shuffle=True),
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        split='train',
        keypoint_frame=keypoint_frame,
        pipeline=pipeline))
val_dataloader = dict(
    batch_size=1,
    num_workers=4,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        split='test',
        keypoint_frame=keypoint_frame,
        test_mode=True,
        pipeline=pipeline))
test_dataloader = val_dataloader

# The paper's protocol (Tables II/III; docs/evaluation.md): FID with
# torchvision's Inception-v3 against the statistics of the training images
# (computed once from real_dir, resized straight to 299, so the 256x176
# variant shares them; cached in real_stats), LPIPS, and mmagic's SSIM/PSNR.
# Offline: add inception_weights=/path/to/inception_v3_google-0cc3c7bd.pth.
test_evaluator = dict(
    type='Evaluator',
    metrics=[
        dict(
            type='PaperFID',
            real_dir=data_root + '/train',
            real_stats='work_dirs/fid_stats/deepfashion_train.npz'),
        dict(type='LPIPS'),
        dict(type='SSIM'),
        dict(type='PSNR'),
    ])
