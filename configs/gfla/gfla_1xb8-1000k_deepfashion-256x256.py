# Stage 2 on DeepFashion 256x256: the full GFLA model, its flow estimator
# initialised from stage 1 (the work dir of the stage-1 config by default;
# another checkpoint: --cfg-options model.flow_init=PATH; from scratch:
# --cfg-options model.flow_init=None).
#   python tools/train.py configs/gfla/gfla_1xb8-1000k_deepfashion-256x256.py
_base_ = [
    '../_base_/datasets/deepfashion_256x256.py',
    '../_base_/models/base_gfla.py', '../_base_/gfla_runtime.py'
]

model = dict(
    flow_init='work_dirs/gfla_flow-pretrain_1xb8-200k_deepfashion-256x256')

train_cfg = dict(
    type='IterBasedTrainLoop', max_iters=1000000, val_interval=10000)
