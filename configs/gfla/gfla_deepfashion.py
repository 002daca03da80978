# GFLA on DeepFashion 256x256, end to end (stage 2, the paper's settings):
# the short name of gfla_1xb8-1000k_deepfashion-256x256.py. Stage 1 first:
#   python tools/train.py configs/gfla/gfla_deepfashion_flow.py
#   python tools/train.py configs/gfla/gfla_deepfashion.py
# Only the stage-1 work dir differs from the long-named config: the one the
# short stage-1 config trains into.
_base_ = ['./gfla_1xb8-1000k_deepfashion-256x256.py']

model = dict(flow_init='work_dirs/gfla_deepfashion_flow')
