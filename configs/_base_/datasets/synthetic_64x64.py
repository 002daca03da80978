# The synthetic mannequin set (tools/make_synthetic_dataset.py), 128x128
# renderings used at 64x64, with the renderer's ground truth: the flow of
# every pair ({split}_flow/, for FlowSupervisionLoss and FlowEPE) and the
# target's body mask ({split}_body/, for the body-masked L1 = MAE).
dataset_type = 'PosePairDataset'
data_root = 'data/synthetic'
size = 64
common = dict(
    type=dataset_type,
    data_root=data_root,
    keypoint_frame=(128, 128),
    flow_dir='{split}_flow',
    body_mask_dir='{split}_body')

load = [
    dict(type='GFLALoadImageFromFile', key='source', channel_order='rgb'),
    dict(type='GFLALoadImageFromFile', key='target', channel_order='rgb'),
    # (H, W, 2) in pixels of the 128x128 rendering; FlowEPE and
    # FlowSupervisionLoss bring it to each flow's grid.
    dict(type='LoadFlowFromFile', key='gt_flow'),
    dict(
        type='Resize',
        keys=['source', 'target'],
        scale=(size, size),
        keep_ratio=False,
        interpolation='bilinear'),
    dict(type='RescalePoseKeypoints'),
    dict(type='PoseToHeatmap', sigma=2, method='official'),
]
load_body_mask = [
    dict(
        type='GFLALoadImageFromFile',
        key='body_mask',
        color_type='grayscale'),
    dict(
        type='Resize',
        keys=['body_mask'],
        scale=(size, size),
        keep_ratio=False,
        interpolation='nearest'),
]


def pack(data_keys):
    return dict(
        type='PackInputs',
        keys=['source', 'source_heatmap', 'target_heatmap'],
        data_keys=data_keys,
        # The loaders' channel orders: without them mmagic's
        # DataPreprocessor takes the RGB images for BGR, and outputs,
        # metrics and grids get swapped colours.
        meta_keys=[
            'source_name', 'target_name', 'source_path', 'target_path',
            'source_channel_order', 'source_color_type',
            'target_channel_order', 'target_color_type'
        ])


train_pipeline = load + [pack(['target', 'gt_flow'])]
test_pipeline = load + load_body_mask + [
    pack(['target', 'gt_flow', 'body_mask'])
]
train_dataloader = dict(
    batch_size=4,
    num_workers=0,
    sampler=dict(type='InfiniteSampler', shuffle=True),
    dataset=dict(split='train', pipeline=train_pipeline, **common))
val_dataloader = dict(
    batch_size=4,
    num_workers=0,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        split='test', test_mode=True, pipeline=test_pipeline, **common))
test_dataloader = val_dataloader

# Offline: SSIM/PSNR of the whole image, L1 on the target's body (mmagic's
# MAE with a mask, in [0, 1] units) and the flows' end-point errors.
test_evaluator = dict(
    type='Evaluator',
    metrics=[
        dict(type='SSIM'),
        dict(type='PSNR'),
        dict(type='MAE', mask_key='body_mask', prefix='body'),
        dict(type='FlowEPE'),
    ])

# The grids of both demo stages: three attended levels, three flows/masks.
demo_img_keys = [
    'source_img', 'source_pose_img', 'target_pose_img', 'pred_img', 'gt_img',
    'flow_img_0', 'flow_img_1', 'flow_img_2', 'mask_img_0', 'mask_img_1',
    'mask_img_2'
]
