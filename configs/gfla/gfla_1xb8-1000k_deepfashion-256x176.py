# Stage 2 at DeepFashion's native 256x176 (what NTED/PIDM/CFLD report).
_base_ = [
    '../_base_/datasets/deepfashion_256x176.py',
    '../_base_/models/base_gfla.py', '../_base_/gfla_runtime.py'
]

model = dict(
    flow_init='work_dirs/gfla_flow-pretrain_1xb8-200k_deepfashion-256x176')

train_cfg = dict(
    type='IterBasedTrainLoop', max_iters=1000000, val_interval=10000)
