# The GFLA animation model (paper §IV-B; the official `dance` model):
# sequential two-source generator (23.51M), spatial D (4 blocks) on one
# random frame, temporal D_V (6 frames) on a random window, the image
# model's losses and weights (lambda_rec 5, lambda_correct 5, lambda_g 2 for
# both adversarial terms, lambda_style 500, lambda_content 0.5,
# lambda_regularization 0.0025), clips trained in chunks of 6 frames with
# the last generated frame detached between chunks.
# VGG19: torchvision's ImageNet weights; offline, point `pretrained` to a
# local copy of vgg19-dcbb9e9d.pth.
vgg_pretrained = 'https://download.pytorch.org/models/vgg19-dcbb9e9d.pth'

model = dict(
    type='GFLAAnimation',
    generator=dict(
        type='GFLAAnimationGenerator',
        structure_channels=20,
        base_channels=64,
        max_channels=512,
        layers=3,
        num_blocks=2,
        attn_kernel_sizes={3: 3, 2: 5}),
    discriminator=dict(
        type='GFLADiscriminator', base_channels=32, max_channels=128,
        layers=4),
    temporal_discriminator=dict(
        type='GFLATemporalDiscriminator',
        num_frames=6,
        base_channels=32,
        max_channels=128,
        layers=4),
    pixel_loss=dict(type='L1Loss', loss_weight=5.0),
    gan_loss=dict(type='GANLoss', gan_type='lsgan', loss_weight=2.0),
    perceptual_loss=dict(type='GFLAPerceptualLoss', loss_weight=0.5),
    style_loss=dict(type='GFLAStyleLoss', loss_weight=500.0),
    correctness_loss=dict(
        type='SamplingCorrectnessLoss',
        layers=('relu4_1', 'relu3_1'),
        loss_weight=5.0),
    regularization_loss=dict(
        type='AffineRegularizationLoss', kernel_sizes=(3, 5),
        loss_weight=0.0025),
    vgg=dict(type='GFLAVGG19Features', pretrained=vgg_pretrained),
    # Frames per generator call; the datasets' TemporalClipSample chunks.
    train_cfg=dict(chunk_size=6),
    test_cfg=dict(chunk_size=6),
    data_preprocessor=dict(
        type='DataPreprocessor',
        mean=[127.5] * 3,
        std=[127.5] * 3,
        non_image_keys=['ref_skeleton', 'skeletons'],
        data_keys=['gt_img']))

# Adam, betas (0, 0.999); lr 1e-4 for G, 1e-5 for D and D_V (the official
# steps both with one optimiser at lr * ratio_g2d), constant.
optim_wrapper = dict(
    constructor='MultiOptimWrapperConstructor',
    generator=dict(
        optimizer=dict(type='Adam', lr=1e-4, betas=(0.0, 0.999))),
    discriminator=dict(
        optimizer=dict(type='Adam', lr=1e-5, betas=(0.0, 0.999))),
    temporal_discriminator=dict(
        optimizer=dict(type='Adam', lr=1e-5, betas=(0.0, 0.999))))
