# FashionVideo (official layout `dataset/danceFashion`, prepared with
# tools/dataset_converters/fashionvideo/prepare.py; docs/animation.md).
# Training: clips of 30 frames (chunks of 6), spacing 1, the reference one of
# the video's first 20 frames with its own affine draw (angle +-5, shift
# (20, 3) px, scale 0.98-1.02, white fill), driving skeletons from the clean
# (Motion Extraction Net) track, the reference skeleton from the noisy one.
# Test: every video whole, 6 frames per generator call.
dataset_type = 'PoseVideoDataset'
data_root = 'data/danceFashion'
chunk_size = 6

# `driving`: the track the driving skeletons come from ('clean' = MEN
# output, 'noisy' = the detector's: the Seq-Animation row of Table IV).
driving = 'clean'
augment = dict(
    type='ClipAffineAugment',
    angle=5,
    shift=(20, 3),
    scale=(0.98, 1.02),
    fill=255,
    ref_own_draw=True)
train_pipeline = [
    dict(type='TemporalClipSample', num_frames=30, chunk_size=chunk_size),
    dict(type='LoadClipFrames'),
    dict(type='LoadClipSkeletons', driving=driving),
    augment,
    dict(type='RenderClipSkeletons'),
    dict(type='PackClipInputs'),
]
test_pipeline = [
    dict(type='TemporalClipSample', chunk_size=chunk_size, test_mode=True),
    dict(type='LoadClipFrames'),
    dict(type='LoadClipSkeletons', driving=driving),
    dict(type='RenderClipSkeletons'),
    dict(type='PackClipInputs'),
]
train_dataloader = dict(
    batch_size=2,
    num_workers=4,
    persistent_workers=True,
    sampler=dict(type='InfiniteSampler', shuffle=True),
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        split='train',
        pipeline=train_pipeline))
val_dataloader = dict(
    batch_size=1,
    num_workers=2,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        split='test',
        test_mode=True,
        pipeline=test_pipeline))
test_dataloader = val_dataloader

# Table IV/V: FID and LPIPS over every generated frame, FID-Video and AED
# over 16-frame clips (docs/evaluation.md; I3D weights: pin the sha256).
test_evaluator = dict(
    type='Evaluator',
    metrics=[
        dict(type='PaperFID'),
        dict(type='LPIPS'),
        dict(type='FIDVideo'),
        dict(type='AED'),
    ])
