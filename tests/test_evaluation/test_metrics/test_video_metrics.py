# Copyright (c) OpenMMLab. All rights reserved.
import pytest
import torch
from torch import nn

from gfla_mm.evaluation import AED, FIDVideo, video_to_clips


class _TinyI3D(nn.Module):
    """Cheap stand-in for I3D (a random I3D forward costs ~1-5 s here)."""

    def __init__(self):
        super().__init__()
        self.w = nn.Parameter(torch.ones(1))

    def forward(self, x, feature='logits'):
        assert x.shape[2:] == (16, 224, 224)
        return nn.functional.adaptive_avg_pool3d(x, (2, 2, 2)).flatten(1)


def _videos(pred, gt):
    return [
        dict(output=dict(pred_img=p), gt_img=g) for p, g in zip(pred, gt)
    ]


def test_video_to_clips_protocol():
    video = torch.linspace(-1, 1, 40).view(40, 1, 1, 1).expand(40, 3, 8, 8)
    clips = video_to_clips(video)
    # Frames 0-15 and 16-31; the 8-frame tail is dropped.
    assert clips.shape == (2, 3, 16, 224, 224)
    assert torch.allclose(clips[1, 0, :, 0, 0], video[16:32, 0, 0, 0])
    assert video_to_clips(video, clip_stride=8).shape[0] == 4
    with pytest.raises(ValueError, match='shorter than clip_len=16'):
        video_to_clips(video[:10])
    padded = video_to_clips(video[:10], short_video='pad')
    assert padded.shape == (1, 3, 16, 224, 224)
    assert torch.equal(padded[0, :, 9:],
                       padded[0, :, 9:10].expand_as(padded[0, :, 9:]))


def test_aed_of_identical_videos_is_zero():
    aed = AED(random_weights=True)
    aed.i3d = _TinyI3D()
    videos = torch.rand(2, 20, 3, 32, 32) * 255
    aed.process(None, _videos(videos, videos.clone()))
    assert aed.evaluate() == {'AED': pytest.approx(0, abs=1e-12)}


def test_aed_and_fid_video_aggregation():
    torch.manual_seed(0)
    aed = AED(random_weights=True)
    fid = FIDVideo(random_weights=True)
    aed.i3d = fid.i3d = _TinyI3D()
    videos = torch.rand(3, 32, 3, 16, 16) * 255  # 2 clips each
    noisy = (videos + 60 * torch.randn_like(videos)).clamp(0, 255)
    aed.process(None, _videos(noisy, videos))
    assert aed.results[0]['fake'].shape == (2, 24)
    want = sum((r['fake'] - r['real']).__pow__(2).sum(1).__pow__(0.5).mean()
               for r in aed.results) / 3
    assert aed.evaluate()['AED'] == pytest.approx(want, rel=1e-9)
    fid.process(None, _videos(videos, videos))
    assert fid.evaluate() == {'FID-Video': pytest.approx(0, abs=1e-9)}
    fid.process(None, _videos(noisy, videos))
    assert fid.evaluate()['FID-Video'] > 0


def test_video_metric_input_errors():
    aed = AED(random_weights=True)
    aed.i3d = _TinyI3D()
    with pytest.raises(ValueError, match=r'\(T, 3, H, W\) video'):
        aed.process(None, _videos([torch.zeros(3, 32, 32)],
                                  [torch.zeros(3, 32, 32)]))
    with pytest.raises(ValueError, match='sample 0: video of 4 frames'):
        aed.process(None, _videos([torch.zeros(4, 3, 32, 32)],
                                  [torch.zeros(4, 3, 32, 32)]))
    with pytest.raises(ValueError, match='distance'):
        AED(distance='cosine', random_weights=True)
    with pytest.raises(ValueError, match='clip_len >= 9'):
        AED(clip_len=8, random_weights=True)
