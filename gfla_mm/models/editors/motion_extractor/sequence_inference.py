# Copyright (c) OpenMMLab. All rights reserved.
"""Denoising whole skeleton tracks of any length with the Motion Extraction
Network: replicate padding, windows of ``chunk`` output frames, batched."""
from typing import Optional

import torch
import torch.nn.functional as F

from .motion_extraction_net import MotionExtractionNet


@torch.no_grad()
def denoise_joints(net: MotionExtractionNet,
                   joints: torch.Tensor,
                   chunk: Optional[int] = 24,
                   batch_size: int = 64) -> torch.Tensor:
    """Clean joints for every frame of a track.

    The track is padded by repeating its first and last frames
    ``receptive_field // 2`` (40) times, as the official pads its training
    windows at sequence ends, so that the output has as many frames as the
    input. It is then cut into windows of ``chunk`` output frames
    (``chunk + 80`` input frames: the training windows' size, so ADALN's
    global feature sees the span it was trained on), run in batches of
    ``batch_size`` windows; the last window is moved back to end at the
    track's end (where it overlaps, the previous window's frames are
    kept).

    Args:
        net (MotionExtractionNet): Run in eval mode (no dropout); its
            mode is restored afterwards.
        joints (Tensor): (T, K, 2) normalised (x, y), no missing joints
            (see :func:`gfla_mm.utils.fill_missing_joints`); T >= 1.
        chunk (int, optional): Output frames per window. None: the whole
            track in one window (the official test).
        batch_size (int): Windows per forward pass.

    Returns:
        Tensor: (T, K, 2).
    """
    if joints.dim() != 3 or joints.shape[0] < 1:
        raise ValueError('denoise_joints needs a (T, K, 2) track with T >= 1,'
                         f' got shape {tuple(joints.shape)}')
    if not torch.isfinite(joints).all():
        raise ValueError('denoise_joints: the track has NaN/inf joints; fill'
                         ' missing joints first (fill_missing_joints)')
    num = joints.shape[0]
    half = net.receptive_field // 2
    # (1, K*2, T) for F.pad's replicate mode, which pads the last dim.
    flat = joints.reshape(1, num, -1).transpose(1, 2)
    padded = F.pad(flat, (half, half), mode='replicate')
    padded = padded.transpose(1, 2).reshape(num + 2 * half, *joints.shape[1:])
    chunk = num if chunk is None else min(chunk, num)
    starts = list(range(0, num - chunk + 1, chunk))
    if starts[-1] + chunk < num:
        starts.append(num - chunk)
    windows = torch.stack(
        [padded[s:s + chunk + 2 * half] for s in starts])
    was_training = net.training
    net.eval()
    try:
        outputs = torch.cat([
            net(windows[i:i + batch_size])
            for i in range(0, len(windows), batch_size)
        ])
    finally:
        net.train(was_training)
    out = joints.new_empty(joints.shape)
    # Backwards, so that where the last window overlaps the one before,
    # the regular window's frames are kept.
    for s, window in reversed(list(zip(starts, outputs))):
        out[s:s + chunk] = window
    return out


__all__ = ['denoise_joints']
