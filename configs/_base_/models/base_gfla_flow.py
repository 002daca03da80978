# Stage 1: the Global Flow Field Estimator alone (official poseflownet:
# lambda_correct 20, lambda_regularization 0.01, Adam lr 1e-4, betas
# (0, 0.999)).
vgg_pretrained = 'https://download.pytorch.org/models/vgg19-dcbb9e9d.pth'

model = dict(
    type='GFLAFlowPretrainer',
    flow_net=dict(type='GFLAFlowEstimator', attn_layers=(2, 3)),
    correctness_loss=dict(
        type='SamplingCorrectnessLoss',
        layers=('relu4_1', 'relu3_1'),
        loss_weight=20.0),
    regularization_loss=dict(
        type='AffineRegularizationLoss', kernel_sizes=(3, 5),
        loss_weight=0.01),
    vgg=dict(type='GFLAVGG19Features', pretrained=vgg_pretrained),
    data_preprocessor=dict(
        type='DataPreprocessor',
        data_keys='target',
        non_image_keys=['source_heatmap', 'target_heatmap']))

optim_wrapper = dict(
    type='OptimWrapper',
    optimizer=dict(type='Adam', lr=1e-4, betas=(0.0, 0.999)))
