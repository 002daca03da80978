# Copyright (c) OpenMMLab. All rights reserved.
"""Pairing a folder of generated results with its ground truth by file
name, as GFLA's official evaluation does: a generated
``<src>_2_<tgt>[_vis].<ext>`` is compared with ``<tgt>.*`` (a generated
file whose name is itself among the ground truth is matched directly);
videos (files or folders of frames) by name, extension ignored."""
import os
import os.path as osp
from typing import List, Tuple

from gfla_mm.utils import is_video_file, list_images


def _stem(name: str) -> str:
    return osp.splitext(name)[0]


def match_images(pred_dir: str, gt_dir: str) -> List[Tuple[str, str]]:
    """(generated file, ground-truth file) names, official naming rules."""
    preds, gts = list_images(pred_dir), list_images(gt_dir)
    if not preds:
        raise ValueError(f'no images in {pred_dir}')
    if not gts:
        raise ValueError(f'no images in {gt_dir}')
    by_stem = {}
    for name in gts:
        by_stem.setdefault(_stem(name), name)
    pairs = []
    for name in preds:
        stem = _stem(name)
        target = stem if stem in by_stem else stem.split('_2_')[-1]
        if target.endswith('_vis') and target not in by_stem:
            target = target[:-len('_vis')]
        if target not in by_stem:
            raise ValueError(f'no ground truth for {osp.join(pred_dir, name)}'
                             f': looked for {target}.* in {gt_dir}')
        pairs.append((name, by_stem[target]))
    return pairs


def match_videos(pred_dir: str, gt_dir: str) -> List[Tuple[str, str]]:
    """(generated, ground-truth) video names (files or frame folders)."""
    def videos(folder):
        if not osp.isdir(folder):
            raise FileNotFoundError(f'not a folder: {folder}')
        found = {}
        for name in sorted(os.listdir(folder)):
            path = osp.join(folder, name)
            if osp.isdir(path) or is_video_file(name):
                found.setdefault(_stem(name) if osp.isfile(path) else name,
                                 name)
        if not found:
            raise ValueError(f'no videos (files or frame folders) in '
                             f'{folder}')
        return found

    preds, gts = videos(pred_dir), videos(gt_dir)
    missing = [preds[k] for k in preds if k not in gts]
    if missing:
        raise ValueError(f'no ground truth in {gt_dir} for '
                         f'{osp.join(pred_dir, missing[0])}'
                         f' ({len(missing)} unmatched)')
    return [(preds[k], gts[k]) for k in preds]


__all__ = ['match_images', 'match_videos']
