# "Seq-Animation" of paper Table IV: the sequential model trained and tested
# on the pose detector's noisy skeletons (the noisy OpenPose-18 track
# converted to Human3.6M-17), no Motion Extraction Network.
_base_ = ['./gfla-animation_1xb2-fashionvideo-256x256.py']

driving = 'noisy'
train_pipeline = [
    dict(type='TemporalClipSample', num_frames=30, chunk_size=6),
    dict(type='LoadClipFrames'),
    dict(type='LoadClipSkeletons', driving=driving),
    {{_base_.augment}},
    dict(type='RenderClipSkeletons'),
    dict(type='PackClipInputs'),
]
test_pipeline = [
    dict(type='TemporalClipSample', chunk_size=6, test_mode=True),
    dict(type='LoadClipFrames'),
    dict(type='LoadClipSkeletons', driving=driving),
    dict(type='RenderClipSkeletons'),
    dict(type='PackClipInputs'),
]
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
val_dataloader = dict(dataset=dict(pipeline=test_pipeline))
test_dataloader = val_dataloader
