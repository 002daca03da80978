# Runtime of the animation configs: default_runtime.py plus the best
# checkpoint by SSIM over the validated frames, one DDP wrapper per network
# (G, D and D_V step separately), and per validated video a strip of frames
# (reference | driving skeleton | generated | ground truth) and an mp4 in
# <work_dir>/<timestamp>/vis_data/animation/. (The model draws the
# discriminators' frames from torch's generator: default_runtime.py's
# RNGStateHook makes --resume exact.)
_base_ = ['./default_runtime.py']

default_hooks = dict(checkpoint=dict(save_best='SSIM', rule='greater'))
model_wrapper_cfg = dict(
    type='MMSeparateDistributedDataParallel',
    broadcast_buffers=False,
    find_unused_parameters=False)
custom_hooks = [
    dict(type='AnimationVisualizationHook', interval=1, max_videos=4),
]
# Validation is offline and cheap; the dataset bases give test_evaluator.
val_evaluator = dict(
    type='Evaluator', metrics=[dict(type='SSIM'),
                               dict(type='PSNR')])
