# The GFLA animation model (paper §IV-B; the official `dance` model):
# sequential two-source generator (23.51M), spatial D on one random frame
# and the image model's losses and weights (gfla_losses.py; lambda_g 2 for
# both adversarial terms), temporal D_V (6 frames) on a random window,
# clips trained in chunks of 6 frames with the last generated frame
# detached between chunks.
_base_ = ['./gfla_losses.py']

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
    temporal_discriminator=dict(
        type='GFLATemporalDiscriminator',
        num_frames=6,
        base_channels=32,
        max_channels=128,
        layers=4),
    # Frames per generator call; the datasets' TemporalClipSample chunks.
    train_cfg=dict(chunk_size=6),
    test_cfg=dict(chunk_size=6),
    data_preprocessor=dict(
        type='DataPreprocessor',
        mean=[127.5] * 3,
        std=[127.5] * 3,
        non_image_keys=['ref_skeleton', 'skeletons'],
        data_keys=['gt_img']))

# D_V as D: Adam, betas (0, 0.999), lr 1e-5 (the official steps both with
# one optimiser at lr * ratio_g2d), constant.
optim_wrapper = dict(
    temporal_discriminator=dict(
        optimizer=dict(type='Adam', lr=1e-5, betas=(0.0, 0.999))))
