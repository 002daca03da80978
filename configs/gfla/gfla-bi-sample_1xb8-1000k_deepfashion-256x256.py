# Table II "Bi-Sample": flow estimator and renderer, with bilinear warping
# of the source features instead of local attention.
_base_ = ['./gfla_1xb8-1000k_deepfashion-256x256.py']

model = dict(generator=dict(feature_transform='bilinear'))
