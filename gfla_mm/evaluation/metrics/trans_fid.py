# Copyright (c) OpenMMLab. All rights reserved.
"""mmagic's TransFID (the standard FID protocol) made safe for SciPy 1.18
and for edit models' ``output`` predictions."""
from typing import Optional, Sequence, Tuple

import numpy as np
from mmagic.evaluation.metrics.fid import TransFID
from torch import nn

from gfla_mm.registry import METRICS

from .frechet_distance import frechet_distance

__all__ = ['GFLATransFID']


@METRICS.register_module()
class GFLATransFID(TransFID):
    """mmagic's ``TransFID`` (TF-Inception TorchScript, standard protocol)
    with gfla_mm's float64 ``eigh`` Fréchet distance, which needs no
    ``scipy.linalg.sqrtm(disp=...)`` (removed in SciPy 1.18), and reading
    predictions under ``output`` as edit models store them.

    Arguments as ``TransFID``; defaults changed to ``fake_key='pred_img'``,
    ``real_key='gt_img'``, ``sample_model='orig'``. ``inception_path``
    points to ``inception-2015-12-05.pt`` (else mmagic downloads it into
    ``~/.cache/openmmlab/mmagic/``).
    """

    def __init__(self,
                 fake_nums: int = -1,
                 real_nums: int = -1,
                 inception_style: str = 'StyleGAN',
                 inception_path: Optional[str] = None,
                 inception_pkl: Optional[str] = None,
                 fake_key: Optional[str] = 'pred_img',
                 real_key: Optional[str] = 'gt_img',
                 sample_model: str = 'orig',
                 collect_device: str = 'cpu',
                 prefix: Optional[str] = None) -> None:
        super().__init__(fake_nums, real_nums, inception_style,
                         inception_path, inception_pkl, fake_key, real_key,
                         sample_model, collect_device, prefix)

    def prepare(self, module: nn.Module, dataloader) -> None:
        """``fake_nums=-1`` means the whole evaluated dataset."""
        if self.fake_nums == -1:
            self.fake_nums = len(dataloader.dataset)
        super().prepare(module, dataloader)

    def process(self, data_batch: dict, data_samples: Sequence[dict]) -> None:
        """Lifts ``output.<fake_key>`` to the top level, then as TransFID."""
        lifted = []
        for sample in data_samples:
            output = sample.get('output')
            if isinstance(output, dict):
                sample = {**sample, **output}
            lifted.append(sample)
        super().process(data_batch, lifted)

    @staticmethod
    def _calc_fid(sample_mean: np.ndarray,
                  sample_cov: np.ndarray,
                  real_mean: np.ndarray,
                  real_cov: np.ndarray,
                  eps: float = 1e-6) -> Tuple[float, float, float]:
        """(FID, mean term, covariance term) as mmagic's ``_calc_fid``."""
        fid = frechet_distance(sample_mean, sample_cov, real_mean, real_cov)
        diff = np.asarray(sample_mean, np.float64) - np.asarray(
            real_mean, np.float64)
        mean_term = float(diff @ diff)
        return fid, mean_term, fid - mean_term
