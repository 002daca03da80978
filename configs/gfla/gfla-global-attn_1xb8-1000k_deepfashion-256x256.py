# Table II "Global-Attn": the renderer with dense attention between source
# and target features at the attended levels instead of local attention; no
# flow estimator, so no correctness/regularisation loss.
_base_ = ['./gfla_1xb8-1000k_deepfashion-256x256.py']

model = dict(
    generator=dict(feature_transform='global_attention'),
    correctness_loss=None,
    regularization_loss=None,
    flow_init=None)
visualizer = dict(img_keys=[
    'source_img', 'source_pose_img', 'target_pose_img', 'pred_img', 'gt_img'
])
