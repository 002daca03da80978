# The synthetic animation clips (tools/make_synthetic_dataset.py --clips;
# 128x128 renderings of one mannequin moving, in the FashionVideo layout,
# with the exact joints as the clean track) loaded at 64x64: clips of 12
# frames (chunks of 6), the reference one of the video's first 20 frames.
_base_ = ['./fashionvideo_256x256.py']

data_root = 'data/synthetic'
size = (64, 64)
train_pipeline = [
    dict(type='TemporalClipSample', num_frames=12, chunk_size=6),
    dict(type='LoadClipFrames', load_size=size),
    dict(type='LoadClipSkeletons'),
    dict(type='RenderClipSkeletons', sigma=2),
    dict(type='PackClipInputs'),
]
test_pipeline = [
    dict(
        type='TemporalClipSample',
        chunk_size=6,
        test_mode=True,
        ref_index=0),
    dict(type='LoadClipFrames', load_size=size),
    dict(type='LoadClipSkeletons'),
    dict(type='RenderClipSkeletons', sigma=2),
    dict(type='PackClipInputs'),
]
train_dataloader = dict(
    batch_size=2,
    num_workers=0,
    persistent_workers=False,
    dataset=dict(data_root=data_root, pipeline=train_pipeline))
val_dataloader = dict(
    num_workers=0,
    persistent_workers=False,
    dataset=dict(data_root=data_root, pipeline=test_pipeline))
test_dataloader = val_dataloader
# Offline: mmagic's SSIM/PSNR over every frame (the I3D/Inception metrics
# need downloaded weights; tests run them with random weights).
test_evaluator = dict(
    type='Evaluator', metrics=[dict(type='SSIM'),
                               dict(type='PSNR')])
