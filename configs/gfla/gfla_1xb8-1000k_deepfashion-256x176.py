# Stage 2 at DeepFashion's native 256x176 (what NTED/PIDM/CFLD report).
_base_ = [
    '../_base_/datasets/deepfashion_256x176.py',
    '../_base_/models/gfla_deepfashion.py', '../_base_/gfla_runtime.py'
]

model = dict(
    flow_init='work_dirs/gfla_flow-pretrain_1xb8-200k_deepfashion-256x176')

train_cfg = dict(
    type='IterBasedTrainLoop', max_iters=1000000, val_interval=10000)

# The paper's protocol (Tables II/III; docs/evaluation.md): FID with
# torchvision's Inception-v3 against training-set statistics (computed once
# from real_dir, then cached in real_stats), LPIPS, and mmagic's SSIM/PSNR.
# Offline: inception_weights=/path/to/inception_v3_google-0cc3c7bd.pth.
test_evaluator = dict(
    type='Evaluator',
    metrics=[
        dict(
            type='PaperFID',
            real_dir='data/fashion/train',
            real_stats='work_dirs/fid_stats/deepfashion-256x176_train.npz'),
        dict(type='LPIPS'),
        dict(type='SSIM'),
        dict(type='PSNR'),
    ])
