# Copyright (c) OpenMMLab. All rights reserved.
"""True flows of synthetic clips, from the renderer's frame layouts."""
import os.path as osp
from typing import Dict

import numpy as np
from mmcv.transforms import BaseTransform

from gfla_mm.registry import TRANSFORMS

from ..synthetic import FrameLayout, layout_flow, load_layout


@TRANSFORMS.register_module()
class LoadClipFlows(BaseTransform):
    """The true flows of the animation model's two branches for every clip
    frame, where the renderer knows them (synthetic clips written with
    ``write_layouts``): the offline stand-in for the correctness loss's
    pretrained VGG19, as ``LoadFlowFromFile`` is for the image demo.

    For clip frame i (i = 0 .. T-1):

    - ``flows_reference`` [i]: frame i <- the reference frame;
    - ``flows_previous`` [i]: frame i <- clip frame i - 1, and frame 0 <-
      the reference (a clip starts from the reference, as the model does).

    Layouts are found beside the frames: ``.../<frame_dir>/VIDEO/00012.png``
    -> ``.../<layout_dir>/VIDEO/00012.npz``. Flows are in pixels of the
    rendering (the layouts' size), NaN where undefined (background, hidden
    points); the losses bring them to each flow's grid. Geometric
    augmentations would invalidate them: use none with this transform.

    Required Keys:

    - clip_frame_paths, ref_frame_path

    Added Keys:

    - flows_previous, flows_reference (np.ndarray): (T, 2, H, W) float32,
      channel 0 = x.

    Args:
        frame_dir (str): Folder name of the frames. Defaults to 'train_A'.
        layout_dir (str): Folder name of the layouts. Defaults to
            'train_layout'.
    """

    def __init__(self,
                 frame_dir: str = 'train_A',
                 layout_dir: str = 'train_layout') -> None:
        self.frame_dir = frame_dir
        self.layout_dir = layout_dir

    def layout_path(self, frame_path: str) -> str:
        """The layout file of a frame."""
        video_dir, name = osp.split(frame_path)
        frames_dir, video = osp.split(video_dir)
        root, kind = osp.split(frames_dir)
        if kind != self.frame_dir:
            raise ValueError(f'frame {frame_path} is not in a '
                             f'{self.frame_dir!r} folder: cannot find its '
                             'layout')
        return osp.join(root, self.layout_dir, video,
                        osp.splitext(name)[0] + '.npz')

    def transform(self, results: dict) -> dict:
        cache: Dict[str, FrameLayout] = {}

        def layout(frame_path: str) -> FrameLayout:
            path = self.layout_path(frame_path)
            if path not in cache:
                cache[path] = load_layout(path)
            return cache[path]

        def flow(source: str, target: str) -> np.ndarray:
            return layout_flow(layout(source),
                               layout(target)).transpose(2, 0, 1)

        ref = results['ref_frame_path']
        frames = results['clip_frame_paths']
        results['flows_reference'] = np.stack([flow(ref, f) for f in frames])
        results['flows_previous'] = np.stack(
            [flow(p, f) for p, f in zip([ref] + frames[:-1], frames)])
        return results

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(frame_dir={self.frame_dir!r}, '
                f'layout_dir={self.layout_dir!r})')


__all__ = ['LoadClipFlows']
