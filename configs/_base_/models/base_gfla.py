# The GFLA end-to-end model for DeepFashion (paper §III; official defaults:
# attended levels 1/8 (k=3) and 1/4 (k=5); the discriminator, losses,
# weights and optimisers of gfla_losses.py).
_base_ = ['./gfla_losses.py']

model = dict(
    type='GFLA',
    generator=dict(
        type='GFLAGenerator',
        base_channels=64,
        max_channels=512,
        layers=3,
        num_blocks=2,
        attn_kernel_sizes={3: 3, 2: 5}),
    flow_init=None,
    data_preprocessor=dict(
        type='DataPreprocessor',
        data_keys='target',
        non_image_keys=['source_heatmap', 'target_heatmap']))
