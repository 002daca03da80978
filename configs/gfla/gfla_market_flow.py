# Stage 1 of GFLA on Market-1501 128x64 (the flow estimator alone): the
# short name of gfla_flow-pretrain_1xb8-200k_market-128x64.py.
#   python tools/train.py configs/gfla/gfla_market_flow.py
_base_ = ['./gfla_flow-pretrain_1xb8-200k_market-128x64.py']
