# GFLA person image animation on FashionVideo 256x256, the official
# settings ("Ours-Animation" of paper Table IV: driving skeletons cleaned by
# the Motion Extraction Network). One iteration = one clip of 30 frames per
# sample = 5 updates of G, D and D_V (chunks of 6). The official trains
# until convergence at a constant learning rate; 200k iterations here
# (1M updates) is our choice.
#   python tools/train.py configs/gfla_animation/gfla-animation_1xb2-fashionvideo-256x256.py
#   python tools/test.py  configs/gfla_animation/gfla-animation_1xb2-fashionvideo-256x256.py CKPT
_base_ = [
    '../_base_/datasets/fashionvideo_256x256.py',
    '../_base_/models/base_gfla_animation.py',
    '../_base_/gfla_animation_runtime.py'
]

train_cfg = dict(
    type='IterBasedTrainLoop', max_iters=200000, val_interval=10000)
