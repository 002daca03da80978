# The toy pose-transfer model tested by tools/test.py with gfla_mm's metrics
# (random weights: no download). Set test_dataloader.dataset.data_root with
# --cfg-options.
_base_ = './toy_pose_transfer.py'
custom_imports = dict(
    imports=['gfla_mm', 'gfla_toy_plugin', 'gfla_toy_eval_plugin'],
    allow_failed_imports=False)
model = dict(type='GFLAToyPoseTransferEval')

test_pipeline = [
    dict(type='GFLALoadImageFromFile', key='source', channel_order='rgb'),
    dict(type='GFLALoadImageFromFile', key='target', channel_order='rgb'),
    dict(type='Resize', keys=['source', 'target'], scale=(32, 32),
         keep_ratio=False, interpolation='bicubic'),
    dict(type='RescalePoseKeypoints'),
    dict(type='PoseToHeatmap', sigma=3),
    dict(type='PackInputs',
         keys=['source', 'source_heatmap', 'target_heatmap'],
         data_keys=['target'],
         meta_keys=['source_channel_order', 'source_color_type',
                    'target_channel_order', 'target_color_type']),
]
test_dataloader = dict(
    batch_size=2,
    num_workers=0,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type='PosePairDataset',
        data_root='data/synthetic',
        split='test',
        test_mode=True,
        keypoint_frame=(64, 64),
        pipeline=test_pipeline))
test_cfg = dict(type='MultiTestLoop')
test_evaluator = dict(
    type='Evaluator',
    metrics=[
        dict(type='LPIPS', pnet_rand=True),
        dict(type='MaskLPIPS', pnet_rand=True, radius=2),
        dict(type='PaperFID', random_weights=True, input_size=75),
        dict(type='SSIM'),
        dict(type='PSNR'),
    ])
