# What the GFLA image model (base_gfla.py) and the animation model
# (base_gfla_animation.py) share: the spatial discriminator (4 blocks), the
# losses and their weights (official defaults: lambda_rec 5, lambda_correct
# 5, lambda_g 2, lambda_style 500, lambda_content 0.5, lambda_regularization
# 0.0025) and the optimisers of G and D.
# VGG19: torchvision's ImageNet weights; offline, point `pretrained` to a
# local copy of vgg19-dcbb9e9d.pth (or pre-seed torch's hub cache).
vgg_pretrained = 'https://download.pytorch.org/models/vgg19-dcbb9e9d.pth'

model = dict(
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
    vgg=dict(type='GFLAVGG19Features', pretrained=vgg_pretrained))

# Adam, betas (0, 0.999); lr 1e-4 for G and 1e-5 for D (ratio_g2d 0.1),
# constant (the official lambda policy never decays).
optim_wrapper = dict(
    constructor='MultiOptimWrapperConstructor',
    generator=dict(
        optimizer=dict(type='Adam', lr=1e-4, betas=(0.0, 0.999))),
    discriminator=dict(
        optimizer=dict(type='Adam', lr=1e-5, betas=(0.0, 0.999))))
