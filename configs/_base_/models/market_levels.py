# Market-1501 128x64 (official Market options): one flow and one local
# attention block, at 1/4 (32x16, k=3); L_c on relu3_1, L_r with kz=3. The
# one home of these per-level settings for stage 1 and stage 2 (the models
# also check at build that their lists match their flows).
market_flow_levels = (2, )
market_attn_kernel_sizes = {2: 3}
market_correctness_layers = ('relu3_1', )
market_regularization_kernel_sizes = (3, )
