# Copyright (c) OpenMMLab. All rights reserved.
"""GFLAAnimation: chunked training with truncated BPTT, recurrent
inference."""
import copy

import pytest
import torch
from mmagic.structures import DataSample
from mmengine.optim import OptimWrapper, OptimWrapperDict
from mmengine.registry import DefaultScope

from gfla_mm.registry import MODELS
from tests.tiny_models import tiny_animation_cfg

SIZE = 64


def build(**overrides):
    torch.manual_seed(0)
    with DefaultScope.overwrite_default_scope('mmagic'):
        model = MODELS.build(tiny_animation_cfg(**overrides))
    model.init_weights()
    return model


def batch(num_frames=12, num_videos=1, num_valid=None, seed=0):
    g = torch.Generator().manual_seed(seed)
    inputs, samples = [], []
    for _ in range(num_videos):
        inputs.append(
            dict(
                ref_img=torch.rand(3, SIZE, SIZE, generator=g) * 255,
                ref_skeleton=torch.rand(20, SIZE, SIZE, generator=g),
                skeletons=torch.rand(
                    num_frames, 20, SIZE, SIZE, generator=g)))
        sample = DataSample(
            gt_img=torch.rand(num_frames, 3, SIZE, SIZE, generator=g) * 255,
            gt_mask=(torch.rand(num_frames, 1, SIZE, SIZE, generator=g) >
                     0.5).float())
        sample.set_metainfo(
            dict(
                video='v',
                ref_img_channel_order='rgb',
                gt_channel_order='rgb',
                num_valid=num_valid or num_frames))
        samples.append(sample)
    return dict(inputs=inputs, data_samples=samples)


def optimizers(model):
    def adam(module, lr):
        return OptimWrapper(torch.optim.Adam(module.parameters(), lr))

    return OptimWrapperDict(
        generator=adam(model.generator, 1e-3),
        discriminator=adam(model.discriminator, 1e-3),
        temporal_discriminator=adam(model.temporal_discriminator, 1e-3))


def test_train_step_updates_all_three_networks_per_chunk():
    model = build()
    wrappers = optimizers(model)
    before = {
        name: copy.deepcopy(getattr(model, name).state_dict())
        for name in ('generator', 'discriminator', 'temporal_discriminator')
    }
    steps = {}
    for name, wrapper in wrappers.items():
        update = wrapper.update_params

        def counted(loss, *args, _name=name, _update=update, **kwargs):
            steps[_name] = steps.get(_name, 0) + 1
            return _update(loss, *args, **kwargs)

        wrapper.update_params = counted
    logs = model.train_step(batch(num_frames=12), wrappers)
    # 12 frames in chunks of 6: two updates of each network.
    assert steps == dict(
        generator=2, discriminator=2, temporal_discriminator=2)
    assert set(logs) == {
        'loss_d_real', 'loss_d_fake', 'loss_dv_real', 'loss_dv_fake',
        'loss_l1', 'loss_perceptual', 'loss_style', 'loss_correctness_p',
        'loss_correctness_r', 'loss_regularization_p',
        'loss_regularization_r', 'loss_gan', 'loss_gan_v'
    }
    assert all(torch.isfinite(v) for v in logs.values())
    for name, state in before.items():
        now = getattr(model, name).state_dict()
        changed = [k for k in state if not torch.equal(state[k], now[k])]
        assert changed, f'{name} was not updated'
    # Frozen for G's step, trainable again after it.
    assert all(p.requires_grad for p in model.discriminator.parameters())


def test_previous_frame_is_detached_between_chunks():
    model = build()
    calls = []
    forward = model.generator.forward

    def spy(structures, ref, ref_structure, previous=None,
            previous_structure=None):
        out = forward(structures, ref, ref_structure, previous,
                      previous_structure)
        calls.append((previous, out.images))
        return out

    model.generator.forward = spy
    model.train_step(batch(num_frames=18), optimizers(model))
    assert len(calls) == 3
    assert calls[0][0] is None  # the clip starts from the reference
    for (_, chunk_images), (previous, _) in zip(calls, calls[1:]):
        # The last frame of the previous chunk, as a constant: no gradient
        # of this chunk's losses reaches the previous chunk's graph.
        assert not previous.requires_grad and previous.grad_fn is None
        torch.testing.assert_close(previous, chunk_images[:, -1].detach())
    # Within a chunk the frames stay connected (back-propagation through
    # the recurrence).
    assert calls[0][1].grad_fn is not None


def test_gradients_of_one_chunk_stay_in_it():
    # Direct check of truncation on the generator: a loss on chunk 2
    # started from the detached chunk-1 frame gives chunk 1's input no
    # gradient, while the undetached one does.
    model = build()
    gen = model.generator
    data = model.data_preprocessor(batch(num_frames=4), True)['inputs']
    # Chunk 1 sees its own leaf copy of the reference.
    ref = data['ref_img'].clone().requires_grad_()
    s = data['skeletons']
    first = gen(s[:, :2], ref, data['ref_skeleton'])
    last = first.images[:, -1]
    second = gen(s[:, 2:], data['ref_img'], data['ref_skeleton'],
                 last.detach(), s[:, 1])
    second.images.sum().backward()
    assert ref.grad is None
    second = gen(s[:, 2:], data['ref_img'], data['ref_skeleton'], last,
                 s[:, 1])
    second.images.sum().backward()
    assert ref.grad is not None and ref.grad.abs().sum() > 0


def test_correctness_mask_needs_gt_mask_and_changes_the_loss():
    plain = build()
    masked = build(correctness_mask=True)
    masked.load_state_dict(plain.state_dict())
    torch.manual_seed(1)
    a = plain.train_step(batch(num_frames=6), optimizers(plain))
    torch.manual_seed(1)
    b = masked.train_step(batch(num_frames=6), optimizers(masked))
    assert not torch.isclose(a['loss_correctness_r'],
                             b['loss_correctness_r'])
    data = batch(num_frames=6)
    for s in data['data_samples']:
        del s.gt_mask
    with pytest.raises(KeyError, match='gt_mask'):
        masked.train_step(data, optimizers(masked))


def test_clip_must_be_whole_chunks():
    model = build()
    with pytest.raises(ValueError, match='multiple of'):
        model.train_step(batch(num_frames=8), optimizers(model))
    with pytest.raises(ValueError, match='do not fit'):
        build(train_cfg=dict(chunk_size=4))


def test_predict_generates_whole_videos_recurrently():
    model = build().eval()
    data = batch(num_frames=12, num_videos=2, num_valid=10)
    with torch.no_grad():
        samples = model.val_step(data)
    assert len(samples) == 2
    for sample in samples:
        assert sample.output.pred_img.shape == (10, 3, SIZE, SIZE)
        assert sample.gt_img.shape == (10, 3, SIZE, SIZE)
        assert sample.ref_img.shape == (3, SIZE, SIZE)
        assert 0 <= sample.output.pred_img.min()
        assert sample.output.pred_img.max() <= 255
    # Chunks only bound the memory: the same frames for any chunk size.
    inputs = model.data_preprocessor(data, False)['inputs']
    args = (inputs['ref_img'], inputs['ref_skeleton'], inputs['skeletons'])
    done = []
    by6 = model.animate(*args, callback=done.append)
    assert done == [6, 12]
    torch.testing.assert_close(model.animate(*args, chunk_size=12), by6)
    torch.testing.assert_close(model.animate(*args, chunk_size=5), by6)
    # BGR [0, 255] predictions are the RGB [-1, 1] frames.
    torch.testing.assert_close(
        samples[0].output.pred_img,
        ((by6[0, :10].flip(1) + 1) * 127.5).clamp(0, 255),
        atol=1e-3,
        rtol=0)


def test_bad_inputs_name_the_problem():
    model = build()
    with pytest.raises(KeyError, match='skeletons'):
        model(dict(ref_img=torch.zeros(1, 3, SIZE, SIZE)), mode='tensor')
    with pytest.raises(ValueError, match='modes'):
        model(dict(), mode='loss')
    with pytest.raises(ValueError, match='go together'):
        build(gan_loss=None)


def test_flow_supervision_of_both_branches():
    # The offline demo's stand-in for the correctness loss: each branch's
    # flows against its true flow, summed over the frames.
    model = build(
        correctness_loss=None,
        perceptual_loss=None,
        style_loss=None,
        flow_supervision_loss=dict(type='FlowSupervisionLoss'))
    data = batch(num_frames=6)
    for s in data['data_samples']:
        flow = torch.full((6, 2, SIZE, SIZE), 3.0)
        flow[:, :, :8] = float('nan')  # undefined rows are ignored
        s.gt_flow_p, s.gt_flow_r = flow, -flow
    logs = model.train_step(data, optimizers(model))
    # Near-zero initial flows: the error is |(3, 3)| per frame on the
    # coarse and the fine flow, in pixels of each grid (1/8 and 1/4).
    expected = 6 * (3 * 2**0.5 / 8 + 3 * 2**0.5 / 4)
    for k in ('loss_flow_p', 'loss_flow_r'):
        assert abs(float(logs[k]) - expected) < 0.2 * expected, logs[k]
    for s in data['data_samples']:
        del s.gt_flow_r
    with pytest.raises(KeyError, match='gt_flow_r'):
        model.train_step(data, optimizers(model))
