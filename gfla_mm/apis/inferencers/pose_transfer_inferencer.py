# Copyright (c) OpenMMLab. All rights reserved.
"""Pose transfer with a trained GFLA model: a person image and a target pose
(or a sequence of poses) in, the person in that pose out."""
from typing import Callable, Dict, List, Optional, Sequence, Tuple, Union

import numpy as np
import torch
from mmagic.registry import TRANSFORMS
from mmagic.structures import DataSample
from mmengine.config import Config
from mmengine.dataset import Compose, pseudo_collate
from mmengine.infer import BaseInferencer
from mmengine.registry import DefaultScope
from tqdm import tqdm

from gfla_mm.models.editors.gfla import optimize_for_inference
from gfla_mm.utils import is_image_file, is_video_file, rescale_keypoints

from ..model_index import find_model
from ..pose_extraction import (
    DEFAULT_DET_MODEL,
    DEFAULT_POSE_MODEL,
    DEFAULT_WEIGHTS,
    PoseExtractor,
)
from ..pose_inputs import PoseLike, load_keypoints
from .inference_pipeline import inference_pipeline, loaded_from_array
from .result_writers import bgr_uint8, write_frames, write_image

ImageLike = Union[str, np.ndarray]


class PoseTransferInferencer(BaseInferencer):
    """Image + target pose -> image; image + pose sequence -> video.

    Builds a GFLA model from its config and checkpoint (mmengine's
    inferencer set-up) and runs the config's test pipeline on the source
    image and the poses, so that inference sees exactly what testing sees
    (the same resize, keypoint rescaling and pose maps).

    Poses are OpenPose-18 (x, y) pixels, -1 for a missing joint (see
    :func:`gfla_mm.apis.load_keypoints` for the accepted arrays and files,
    mmpose's prediction JSON included), or an image (for the target also a
    video, one pose per frame) to extract them from (:class:`PoseExtractor`:
    the largest person an mmpose/mmdet detector finds). The source
    pose is in the source image's pixels; the target pose in
    ``pose_frame`` (H, W) pixels, by default the size of the image (or
    video) it was extracted from, else the source image's; a target
    frame of another size is stretched onto the source's (as the official
    data maps its 256x176 keypoints to 256x256).

    Example::

        >>> inferencer = PoseTransferInferencer(
        ...     'configs/gfla/gfla_deepfashion.py', 'gfla_deepfashion.pth')
        >>> out = inferencer('person.jpg', 'pose.json', result_out_dir='o.png')
        >>> out['predictions'][0]['pred_img'].shape  # (256, 256, 3) BGR

    (Built on mmengine's ``BaseInferencer`` rather than mmagic's: importing
    ``mmagic.apis`` fails with the mediapipe of the pinned stack.)

    Args:
        model (str | Config): GFLA config (path or Config), or a model name
            of ``configs/gfla/metafile.yml`` (``mim search gfla_mm``).
        weights (str, optional): Checkpoint (path or URL); None keeps the
            random initialisation (with mmengine's warning).
        device (str, optional): Defaults to CUDA when available.
        pose_model, pose_weights, det_model, det_weights, bbox_thr: The
            :class:`PoseExtractor` for poses given as images or videos
            (mmpose's ``'human'`` models and their weights by default).
        score_thr (float): Joints scoring below it are missing (mmpose
            models and prediction files). Defaults to 0.3.
        show_progress (bool): A progress bar over sequence batches.
        fast (bool): On the CPU, run the generator in its inference form
            (:func:`gfla_mm.models.editors.gfla.optimize_for_inference`,
            ``channels_last``): the same images up to float rounding (at
            most one grey level of uint8 apart), about 1.5x faster at
            256x256 (docs/inference.md). False runs the generator as
            trained, for the pixels ``tools/test.py`` gives. Ignored on
            other devices. Defaults to True.
    """

    def __init__(self,
                 model,
                 weights: Optional[str] = None,
                 device: Optional[str] = None,
                 pose_model: str = DEFAULT_POSE_MODEL,
                 pose_weights: Optional[str] = DEFAULT_WEIGHTS,
                 det_model: Optional[str] = DEFAULT_DET_MODEL,
                 det_weights: Optional[str] = DEFAULT_WEIGHTS,
                 score_thr: float = 0.3,
                 bbox_thr: float = 0.3,
                 show_progress: bool = True,
                 fast: bool = True) -> None:
        self.fast = fast
        self.pose_extractor_args = dict(
            pose_model=pose_model, pose_weights=pose_weights,
            det_model=det_model, det_weights=det_weights,
            score_thr=score_thr, bbox_thr=bbox_thr)
        self.score_thr = score_thr
        self._pose_extractor: Optional[PoseExtractor] = None
        # The config's modules live in mmagic's registries.
        with DefaultScope.overwrite_default_scope('mmagic'):
            super().__init__(model, weights, device, 'mmagic', show_progress)
        if not hasattr(self.model, 'generator') or not hasattr(
                self.model, 'forward_inference'):
            raise TypeError(
                f'{type(self.model).__name__} does not generate images: '
                'pose transfer needs a GFLA model config (configs/gfla/, '
                'not a flow-pretrain one)')

    # -- set-up -------------------------------------------------------------
    def _init_pipeline(self, cfg) -> Compose:
        """The config's test pipeline without the target image
        (:func:`inference_pipeline`); the source loader is kept apart
        (:meth:`_load_source`)."""
        try:
            pipeline = cfg.test_dataloader.dataset.pipeline
        except AttributeError as exc:
            raise ValueError('the config has no test_dataloader.dataset.'
                             'pipeline to prepare inputs with') from exc
        loader, steps = inference_pipeline(pipeline)
        self.source_loader = TRANSFORMS.build(loader)
        return Compose(steps)

    @property
    def pose_extractor(self) -> PoseExtractor:
        """mmpose model for poses given as images (built on first use)."""
        if self._pose_extractor is None:
            self._pose_extractor = PoseExtractor(
                device=str(next(self.model.parameters()).device),
                **self.pose_extractor_args)
        return self._pose_extractor

    # -- preprocess ---------------------------------------------------------
    def _load_source(self, img: ImageLike) -> dict:
        """The config's source loader on a path, or its output for a BGR
        array (mmcv's convention for images in memory)."""
        if isinstance(img, str):
            return self.source_loader(dict(source_path=img))
        return loaded_from_array(self.source_loader, img)

    def _keypoints(self, pose: PoseLike, name: str, sequence: bool,
                   image_name: Optional[str] = None
                   ) -> Tuple[np.ndarray, Optional[tuple]]:
        """(keypoints, frame of an image they came from, else None)."""
        if is_image_file(pose) or (sequence and is_video_file(pose)):
            return self.pose_extractor.from_file(pose, name,
                                                 self.show_progress)
        return load_keypoints(
            pose, name, allow_sequence=sequence, score_thr=self.score_thr,
            image_name=image_name), None

    def __call__(self,
                 img: ImageLike,
                 target_pose: PoseLike,
                 source_pose: Optional[PoseLike] = None,
                 pose_frame: Optional[Sequence[int]] = None,
                 batch_size: int = 8,
                 result_out_dir: Optional[str] = None,
                 fps: float = 25.0,
                 panel: bool = False,
                 return_datasamples: bool = False) -> Dict[str, list]:
        """Generates the person of ``img`` in each target pose.

        Args:
            img (str | np.ndarray): Source person image (path or BGR uint8
                (H, W, 3) array).
            target_pose: (18, 2) keypoints, or (T, 18, 2) for a sequence; a
                ``.json`` / ``.npy`` / annotation ``.csv`` (every pose) file
                (:func:`load_keypoints`); an image or video to extract from.
            source_pose (optional): The source's keypoints (same forms, in
                its pixels; a CSV gives ``img``'s row); None extracts them.
            pose_frame (Sequence[int], optional): (H, W) of the target
                keypoints' frame (see the class docstring).
            batch_size (int): Poses per forward pass. Defaults to 8.
            result_out_dir (str, optional): Where to write the result: an
                image file for one pose; for a sequence a ``.mp4`` /
                ``.avi`` / ``.gif`` file or a folder of numbered PNGs.
            fps (float): Frame rate of a written sequence. Defaults to 25.
            panel (bool): Visualise (and write) source | target pose |
                generated side by side instead of the generated image.
            return_datasamples (bool): Return the model's DataSamples (with
                pose and flow pictures) instead of dicts.

        Returns:
            dict: ``predictions``: per pose a dict with ``pred_img`` (BGR
            uint8 (H, W, 3) at the model's size), ``flows`` ((2, h, w) in
            pixels of their grid, channel 0 = x) and ``masks`` ((1, h, w)
            occlusion masks), coarse to fine (or DataSamples);
            ``visualization``: per pose the ``pred_img``, or the panel.
        """
        data, is_sequence = self.preprocess(img, target_pose, source_pose,
                                            pose_frame)
        preds = self.forward(data, batch_size)
        frames = self.visualize(preds, result_out_dir, fps, is_sequence,
                                panel)
        return self.postprocess(preds, frames, return_datasamples)

    def preprocess(self,
                   img: ImageLike,
                   target_pose: PoseLike,
                   source_pose: Optional[PoseLike] = None,
                   pose_frame: Optional[Sequence[int]] = None
                   ) -> Tuple[List[dict], bool]:
        """Packed model inputs, one per target pose (args as
        :meth:`__call__`), and whether the target is a sequence."""
        results = self._load_source(img)
        src_size = tuple(results['ori_source_shape'][:2])
        if isinstance(img, str) and source_pose is None:
            src_kps, _ = self.pose_extractor.from_file(img, 'img')
        elif source_pose is None:
            src_kps = self.pose_extractor(np.asarray(img), 'img')
        else:
            src_kps, _ = self._keypoints(
                source_pose, 'source_pose', False,
                img if isinstance(img, str) else None)
        tgt_kps, image_frame = self._keypoints(target_pose, 'target_pose',
                                               True)
        frame = tuple(pose_frame or image_frame or src_size)
        if len(frame) != 2 or min(frame) <= 0:
            raise ValueError(f'pose_frame must be (H, W) > 0, got {frame}')
        is_sequence = tgt_kps.ndim == 3
        data = []
        for kps in (tgt_kps if is_sequence else tgt_kps[None]):
            sample = dict(
                results,
                source_keypoints=src_kps,
                target_keypoints=rescale_keypoints(kps, frame, src_size),
                keypoint_frame=src_size)
            data.append(self.pipeline(sample))
        return data, is_sequence

    def forward(self, inputs: List[dict],
                batch_size: int = 8) -> List[DataSample]:
        """The model's test step, ``batch_size`` poses at a time."""
        if batch_size < 1:
            raise ValueError(f'batch_size must be >= 1, got {batch_size}')
        chunks = range(0, len(inputs), batch_size)
        if self.show_progress and len(inputs) > batch_size:
            chunks = tqdm(chunks, desc='pose transfer', unit='batch')
        preds = []
        with torch.no_grad():
            for start in chunks:
                preds += self.model.test_step(
                    self.collate_fn(inputs[start:start + batch_size]))
        return preds

    def visualize(self,
                  preds: List[DataSample],
                  result_out_dir: Optional[str] = None,
                  fps: float = 25.0,
                  is_sequence: bool = False,
                  panel: bool = False) -> List[np.ndarray]:
        """BGR uint8 (H, W, 3) pictures of the results (with ``panel``:
        (H, 3W, 3) source | target pose | generated), written to
        ``result_out_dir`` when given (see :meth:`__call__`)."""
        frames = []
        for pred in preds:
            pictures = [pred.source_img, pred.target_pose_img] if panel else []
            frames.append(
                np.concatenate([
                    bgr_uint8(p) for p in pictures + [pred.output.pred_img]
                ], axis=1))
        if result_out_dir:
            if is_sequence:
                write_frames(frames, result_out_dir, fps)
            else:
                write_image(frames[0], result_out_dir)
        return frames

    def postprocess(self,
                    preds: List[DataSample],
                    visualization: List[np.ndarray],
                    return_datasamples: bool = False) -> Dict[str, list]:
        """mmengine's result layout: ``predictions`` and ``visualization``
        (see :meth:`__call__`)."""
        predictions = preds if return_datasamples else [
            dict(
                pred_img=bgr_uint8(pred.output.pred_img),
                flows=[f.numpy() for f in pred.output.flows],
                masks=[m.numpy() for m in pred.output.masks])
            for pred in preds
        ]
        return dict(predictions=predictions, visualization=visualization)

    def _load_model_from_metafile(self, model: str) -> Tuple[Config, str]:
        """A model name or alias of gfla_mm's metafiles
        (:func:`find_model`): its config and published weights."""
        config, weights = find_model(model)
        return Config.fromfile(config), weights

    def _init_model(self, cfg, weights: Optional[str],
                    device: str = 'cpu') -> torch.nn.Module:
        model = super()._init_model(cfg, weights, device)
        # Inference has no ground truth: the preprocessor would warn about
        # the missing target image in every batch.
        model.data_preprocessor.data_keys = []
        generator = getattr(model, 'generator', None)
        if (self.fast and generator is not None
                and torch.device(device).type == 'cpu'):
            optimize_for_inference(generator, channels_last=True)
        return model

    def _init_collate(self, cfg) -> Callable:
        """mmengine's dataloader default (the configs set no other)."""
        return pseudo_collate

    def _init_visualizer(self, cfg) -> None:
        """No mmengine visualizer: :meth:`visualize` writes the images."""
        return None


__all__ = ['PoseTransferInferencer']
