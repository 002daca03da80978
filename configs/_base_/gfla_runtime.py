# Runtime of the GFLA configs: default_runtime.py plus the best checkpoint
# by SSIM, one DDP wrapper per submodule, sample grids
# (source | source pose | target pose | generated | ground truth | flows |
# masks) written to <work_dir>/<timestamp>/vis_data/vis_image.
_base_ = ['./default_runtime.py']

default_hooks = dict(checkpoint=dict(save_best='SSIM', rule='greater'))

# Every submodule wrapped on its own: D and G step separately.
model_wrapper_cfg = dict(
    type='MMSeparateDistributedDataParallel',
    broadcast_buffers=False,
    find_unused_parameters=False)

visualizer = dict(
    type='ConcatImageVisualizer',
    vis_backends={{_base_.vis_backends}},
    fn_key='target_path',
    img_keys=[
        'source_img', 'source_pose_img', 'target_pose_img', 'pred_img',
        'gt_img', 'flow_img_0', 'flow_img_1', 'mask_img_0', 'mask_img_1'
    ],
    bgr2rgb=True)
# One grid per 50 validation images; every test image.
custom_hooks = [
    dict(type='BasicVisualizationHook', interval=dict(val=50, test=1))
]

# Validation is cheap and offline; the dataset bases give test_evaluator
# (the paper's protocol).
val_evaluator = dict(
    type='Evaluator',
    metrics=[dict(type='SSIM'), dict(type='PSNR')])
