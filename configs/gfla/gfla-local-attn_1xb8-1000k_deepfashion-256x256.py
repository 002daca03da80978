# Table II "Local-Attn": the full architecture trained without the sampling
# correctness and affine regularisation losses (and without stage 1, whose
# only losses those are).
_base_ = ['./gfla_1xb8-1000k_deepfashion-256x256.py']

model = dict(
    correctness_loss=None, regularization_loss=None, flow_init=None)
