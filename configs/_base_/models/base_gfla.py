# The GFLA end-to-end model for DeepFashion (paper §III; official defaults:
# attended levels 1/8 (k=3) and 1/4 (k=5), D with 4 blocks, lambda_rec 5,
# lambda_correct 5, lambda_g 2, lambda_style 500, lambda_content 0.5,
# lambda_regularization 0.0025).
# VGG19: torchvision's ImageNet weights; offline, point `pretrained` to a
# local copy of vgg19-dcbb9e9d.pth (or pre-seed torch's hub cache).
vgg_pretrained = 'https://download.pytorch.org/models/vgg19-dcbb9e9d.pth'

model = dict(
    type='GFLA',
    generator=dict(
        type='GFLAGenerator',
        base_channels=64,
        max_channels=512,
        layers=3,
        num_blocks=2,
        attn_kernel_sizes={3: 3, 2: 5}),
    discriminator=dict(
        type='GFLADiscriminator', base_channels=32, max_channels=128,
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
    flow_init=None,
    data_preprocessor=dict(
        type='DataPreprocessor',
        data_keys='target',
        non_image_keys=['source_heatmap', 'target_heatmap']))

# Adam, betas (0, 0.999); lr 1e-4 for G and 1e-5 for D (ratio_g2d 0.1),
# constant (the official lambda policy never decays).
optim_wrapper = dict(
    constructor='MultiOptimWrapperConstructor',
    generator=dict(
        optimizer=dict(type='Adam', lr=1e-4, betas=(0.0, 0.999))),
    discriminator=dict(
        optimizer=dict(type='Adam', lr=1e-5, betas=(0.0, 0.999))))
