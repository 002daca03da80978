# Stage 1 of GFLA on DeepFashion 256x256 (the flow estimator alone): the
# short name of gfla_flow-pretrain_1xb8-200k_deepfashion-256x256.py.
#   python tools/train.py configs/gfla/gfla_deepfashion_flow.py
_base_ = ['./gfla_flow-pretrain_1xb8-200k_deepfashion-256x256.py']
