# Copyright (c) OpenMMLab. All rights reserved.
import os
import os.path as osp

import numpy as np
import pytest

from gfla_mm.datasets import PoseVideoDataset
from gfla_mm.datasets.transforms import (
    LoadClipFlows,
    LoadClipFrames,
    TemporalClipSample,
)


def sampled(root, **kwargs):
    info = PoseVideoDataset(root).get_data_info(0)
    args = dict(num_frames=6, start=3, ref_index=1)
    args.update(kwargs)
    return LoadClipFrames()(TemporalClipSample(**args)(info))


def warp_nearest(image, flow):
    """target(p) = source(p + flow(p)), nearest pixel; NaN flow -> NaN."""
    h, w = image.shape[:2]
    ys, xs = np.mgrid[:h, :w]
    ok = np.isfinite(flow).all(0)
    qx = np.clip(np.round(xs + np.nan_to_num(flow[0])), 0, w - 1).astype(int)
    qy = np.clip(np.round(ys + np.nan_to_num(flow[1])), 0, h - 1).astype(int)
    out = image[qy, qx].astype(np.float64)
    out[~ok] = np.nan
    return out


def test_flows_carry_the_sources_onto_each_frame(clip_root):
    results = LoadClipFlows()(sampled(clip_root))
    frames, ref = results['frames'], results['ref_img']
    fr, fp = results['flows_reference'], results['flows_previous']
    assert fr.shape == fp.shape == (6, 2, 48, 40)
    assert fr.dtype == np.float32
    # Frame 0's previous frame is the reference, as in the model.
    np.testing.assert_array_equal(fp[0], fr[0])
    for i in range(6):
        # The reference is 2-7 frames away (large motion), the previous
        # frame one (small motion).
        for source, flow, gain in ((ref, fr[i], 0.7),
                                   (ref if i == 0 else frames[i - 1], fp[i],
                                    1.0)):
            ok = np.isfinite(flow).all(0)
            assert ok.mean() > 0.05  # the body, mostly visible
            warped = warp_nearest(source, flow)
            err = np.abs(warped[ok] - frames[i][ok]).mean()
            # Textures match where defined (anti-aliased part edges aside);
            # without the flow they do not.
            still = np.abs(source[ok].astype(float) - frames[i][ok]).mean()
            assert err < 20, (i, err)
            assert err < gain * still, (i, err, still)


def test_missing_layout_names_the_file(clip_copy):
    results = sampled(clip_copy)
    layout = LoadClipFlows().layout_path(results['clip_frame_paths'][2])
    assert osp.isfile(layout)
    os.remove(layout)
    with pytest.raises(FileNotFoundError, match=osp.basename(layout)):
        LoadClipFlows()(results)
    with pytest.raises(ValueError, match="not in a 'frames' folder"):
        LoadClipFlows(frame_dir='frames')(sampled(clip_copy))
