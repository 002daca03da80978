# GFLA on Market-1501 128x64, end to end (stage 2, the official Market
# options): the short name of gfla_1xb8-1000k_market-128x64.py. Stage 1:
#   python tools/train.py configs/gfla/gfla_market_flow.py
#   python tools/train.py configs/gfla/gfla_market.py
# Only the stage-1 work dir differs from the long-named config.
_base_ = ['./gfla_1xb8-1000k_market-128x64.py']

model = dict(flow_init='work_dirs/gfla_market_flow')
