# Table II "Baseline": an auto-encoder on the concatenated source image and
# poses; no attention, no flow, so no correctness/regularisation loss.
_base_ = ['./gfla_1xb8-1000k_deepfashion-256x256.py']

model = dict(
    generator=dict(
        _delete_=True,
        type='GFLABaselineGenerator',
        base_channels=64,
        max_channels=512,
        layers=3,
        num_blocks=2),
    correctness_loss=None,
    regularization_loss=None,
    flow_init=None)
visualizer = dict(img_keys=[
    'source_img', 'source_pose_img', 'target_pose_img', 'pred_img', 'gt_img'
])
