# Copyright (c) OpenMMLab. All rights reserved.
import torch


def test_metrics_are_registered_without_downloading(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError(f'download attempted: {args}')

    # Importing (already done by the session) and building the registry
    # entries must not fetch weights; only building a metric may.
    monkeypatch.setattr(torch.hub, 'download_url_to_file', refuse)
    monkeypatch.setattr(torch.hub, 'load_state_dict_from_url', refuse)
    from mmagic.registry import METRICS

    import gfla_mm.evaluation as evaluation
    for name in ('LPIPS', 'MaskLPIPS', 'PaperFID', 'GFLATransFID',
                 'FIDVideo', 'AED'):
        assert METRICS.get(name) is getattr(evaluation, name)
    # Random-weight builds are offline too.
    METRICS.build(dict(type='AED', random_weights=True))
