# iPER (official layout `dataset/iPER`, prepared with
# tools/dataset_converters/iper/prepare.py): FashionVideo's protocol with
# the foreground masks of `train_C` (the correctness loss weights the body,
# lambda_correct 2) and rotation only (+-5 degrees), shared with the
# reference (the background must stay aligned).
_base_ = ['./fashionvideo_256x256.py']

data_root = 'data/iPER'
augment = dict(
    type='ClipAffineAugment',
    angle=5,
    shift=(0, 0),
    scale=(1, 1),
    fill=0,
    ref_own_draw=False)
train_pipeline = [
    dict(type='TemporalClipSample', num_frames=30, chunk_size=6),
    dict(type='LoadClipFrames'),
    dict(type='LoadClipSkeletons', driving={{_base_.driving}}),
    augment,
    dict(type='RenderClipSkeletons'),
    dict(type='PackClipInputs'),
]
train_dataloader = dict(
    dataset=dict(
        data_root=data_root, mask_dir='train_C', pipeline=train_pipeline))
val_dataloader = dict(dataset=dict(data_root=data_root))
test_dataloader = val_dataloader
