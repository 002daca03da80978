# DeepFashion pose pairs at 256x176, the protocol of later papers (NTED,
# PIDM, CFLD tables): no stretching. Otherwise as deepfashion_256x256.py.
_base_ = './deepfashion_256x256.py'

load_size = (256, 176)
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
train_dataloader = dict(dataset=dict(pipeline=pipeline))
val_dataloader = dict(dataset=dict(pipeline=pipeline))
test_dataloader = val_dataloader
