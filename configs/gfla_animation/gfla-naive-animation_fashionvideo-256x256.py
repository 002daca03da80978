# "Naive-Animation" of paper Table IV, test only: the image GFLA generator
# (DeepFashion 256x256 architecture) applied frame by frame, every frame
# generated from the reference alone with the 18 OpenPose maps of the
# reference and of the frame's (clean) driving skeleton.
#   python tools/test.py configs/gfla_animation/gfla-naive-animation_fashionvideo-256x256.py IMAGE_GFLA_CKPT
# IMAGE_GFLA_CKPT: a checkpoint of configs/gfla/gfla_1xb8-1000k_deepfashion-256x256.py
# (or the converted official DeepFashion weights); its generator.* keys
# load as they are.
_base_ = [
    '../_base_/datasets/fashionvideo_256x256.py',
    '../_base_/default_runtime.py'
]

model = dict(
    type='GFLANaiveAnimation',
    generator=dict(
        type='GFLAGenerator',
        base_channels=64,
        max_channels=512,
        layers=3,
        num_blocks=2,
        attn_kernel_sizes={3: 3, 2: 5}),
    frames_per_batch=6,
    data_preprocessor=dict(
        type='DataPreprocessor',
        mean=[127.5] * 3,
        std=[127.5] * 3,
        non_image_keys=['ref_pose_map', 'pose_maps'],
        data_keys=['gt_img']))
test_pipeline = [
    dict(type='TemporalClipSample', chunk_size=6, test_mode=True),
    dict(type='LoadClipFrames'),
    dict(type='LoadClipSkeletons'),
    dict(type='RenderClipPoseMaps', sigma=6),
    dict(
        type='PackClipInputs',
        input_keys=('ref_img', 'ref_pose_map', 'pose_maps')),
]
test_dataloader = dict(dataset=dict(pipeline=test_pipeline))
val_dataloader = test_dataloader
custom_hooks = [dict(type='AnimationVisualizationHook', max_videos=4)]
