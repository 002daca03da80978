# Copyright (c) OpenMMLab. All rights reserved.
import pytest
import torch

from gfla_mm.evaluation import LPIPS, MaskLPIPS, build_lpips


def _samples(pred, gt):
    return [
        dict(output=dict(pred_img=p), gt_img=g) for p, g in zip(pred, gt)
    ]


@pytest.fixture(scope='module')
def metric():
    torch.manual_seed(0)
    return LPIPS(pnet_rand=True)


def _score(metric, pred, gt):
    metric.results.clear()
    metric.process(None, _samples(pred, gt))
    return metric.evaluate()['LPIPS']


def test_identical_images_score_zero(metric):
    x = torch.rand(3, 3, 32, 32) * 255
    assert _score(metric, x, x) == pytest.approx(0, abs=1e-7)


def test_symmetric_and_positive(metric):
    x, y = torch.rand(2, 3, 3, 32, 32) * 255
    xy, yx = _score(metric, x, y), _score(metric, y, x)
    assert xy > 0
    assert xy == pytest.approx(yx, rel=1e-5)


def test_matches_the_lpips_package_in_rgb_minus_one_one(metric):
    x, y = torch.rand(2, 2, 3, 32, 32) * 255
    # BGR 0-255 in the data samples -> RGB [-1, 1] for lpips.
    want = metric.lpips(x.flip(1) / 127.5 - 1, y.flip(1) / 127.5 - 1).mean()
    assert _score(metric, x, y) == pytest.approx(float(want), rel=1e-5)


def test_video_is_mean_over_frames(metric):
    x, y = torch.rand(2, 1, 4, 3, 32, 32) * 255
    per_frame = _score(metric, x[0], y[0])  # 4 frames as 4 images
    assert _score(metric, x, y) == pytest.approx(per_frame, rel=1e-5)


def test_top_level_prediction_and_clear_errors(metric):
    x = torch.rand(3, 32, 32) * 255
    metric.results.clear()
    metric.process(None, [dict(pred_img=x, gt_img=x)])
    assert metric.results == [pytest.approx(0, abs=1e-7)]
    with pytest.raises(KeyError, match="no 'gt_img'"):
        metric.process(None, [dict(output=dict(pred_img=x))])
    with pytest.raises(ValueError, match='differ in shape'):
        metric.process(None, _samples([x], [x[:, :16]]))


def test_mask_of_ones_equals_plain_lpips(metric, monkeypatch):
    masked = MaskLPIPS(pnet_rand=True)
    masked.lpips = metric.lpips
    monkeypatch.setattr(masked, 'sample_mask',
                        lambda *args: torch.ones(1, 1, 32, 32))
    x, y = torch.rand(2, 2, 3, 32, 32) * 255
    masked.process(None, _samples(x, y))
    assert masked.evaluate()['MaskLPIPS'] == pytest.approx(
        _score(metric, x, y), rel=1e-6)


def test_local_backbone_weights(tmp_path):
    from torchvision.models import alexnet
    torch.manual_seed(1)
    trunk = alexnet()
    path = tmp_path / 'alexnet.pth'
    torch.save(trunk.state_dict(), path)
    model = build_lpips(backbone_weights=str(path))
    first, last = getattr(model.net.slice1, '0'), getattr(model.net.slice5,
                                                            '10')
    assert torch.equal(first.weight, trunk.features[0].weight)
    assert torch.equal(last.bias, trunk.features[10].bias)
    torch.save({'x': torch.zeros(1)}, path)
    with pytest.raises(ValueError, match='features.0.weight'):
        build_lpips(backbone_weights=str(path))
    with pytest.raises(ValueError, match='sha256'):
        build_lpips(backbone_weights=str(path), backbone_sha256='deadbeef')
