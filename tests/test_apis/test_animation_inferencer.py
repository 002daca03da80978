# Copyright (c) OpenMMLab. All rights reserved.
"""AnimationInferencer and demo/animation_demo.py with the synthetic demo
animation model (64x64, random weights saved as a checkpoint)."""
import importlib.util
import json
import os
import os.path as osp

import av
import cv2
import numpy as np
import pytest
import torch
from mmagic.registry import DATASETS, MODELS
from mmengine import Config
from mmengine.dataset import pseudo_collate
from mmengine.registry import DefaultScope
from PIL import Image

from gfla_mm.apis import AnimationInferencer, write_frames
from gfla_mm.apis.inferencers.animation_geometry import (
    align_track,
    fit_image,
    fit_keypoints,
    frame_fit,
)
from gfla_mm.datasets import make_synthetic_clips
from gfla_mm.datasets.keypoint_formats import (
    coco17_to_h36m17,
    openpose18_to_coco17,
)
from gfla_mm.datasets.transforms.skeleton_render import (
    COCO17_BONES,
    H36M17_BONES,
    official_bone_image,
    render_structure,
)
from gfla_mm.utils import joints_present

REPO_ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
CFG = osp.join(REPO_ROOT, 'configs', 'gfla_animation',
               'gfla-animation_synthetic-demo.py')
IMAGE_CFG = osp.join(REPO_ROOT, 'configs', 'gfla', 'gfla_synthetic_demo.py')
MEN_CFG = osp.join(REPO_ROOT, 'configs', 'motion_extractor',
                   'motion-extractor_synthetic.py')
POSE_CFG = osp.join(REPO_ROOT, 'tests', 'data', 'configs',
                    'tiny_topdown_coco.py')
DEMO = osp.join(REPO_ROOT, 'demo', 'animation_demo.py')
SRC_SIZE = (96, 80)  # (H, W): not the model's 64x64, not square
# A standing person, OpenPose-18 (x, y) in the source's pixels.
SOURCE_OP18 = np.array(
    [[40, 12], [40, 22], [32, 22], [28, 34], [26, 46], [48, 22], [52, 34],
     [54, 46], [35, 50], [35, 66], [35, 82], [45, 50], [45, 66], [45, 82],
     [38, 10], [42, 10], [36, 11], [44, 11]], np.float64)


def driving_op18(num: int) -> np.ndarray:
    """(num, 18, 2): the source person waving both arms."""
    track = np.repeat(SOURCE_OP18[None], num, 0)
    lift = 6 * np.sin(np.linspace(0, np.pi, num))
    for j in (3, 4, 6, 7):  # elbows, wrists
        track[:, j, 1] -= lift * (2 if j in (4, 7) else 1)
    return track


def source_image() -> np.ndarray:
    """BGR (96, 80, 3): grey background, the skeleton drawn in colour."""
    img = np.full(SRC_SIZE + (3, ), 200, np.uint8)
    bones = official_bone_image(
        openpose18_to_coco17(SOURCE_OP18)[0], SRC_SIZE, COCO17_BONES)
    img[bones.any(-1)] = (40, 90, 160)
    return img


@pytest.fixture(scope='module')
def setup(tmp_path_factory):
    """(inferencer, checkpoint, files) with the synthetic demo model."""
    tmp = tmp_path_factory.mktemp('animate')
    torch.manual_seed(0)
    with DefaultScope.overwrite_default_scope('mmagic'):
        model = MODELS.build(Config.fromfile(CFG).model)
        model.init_weights()
    ckpt = str(tmp / 'anim.pth')
    torch.save(dict(state_dict=model.state_dict()), ckpt)
    src = str(tmp / 'person.png')
    cv2.imwrite(src, source_image())
    src_json = str(tmp / 'person.json')
    with open(src_json, 'w') as f:
        json.dump(SOURCE_OP18.tolist(), f)
    np.save(tmp / 'wave.npy', driving_op18(3))
    inferencer = AnimationInferencer(
        CFG, ckpt, device='cpu', pose_model=POSE_CFG, pose_weights=None,
        det_model=None, score_thr=float('-inf'), show_progress=False)
    files = dict(src=src, src_json=src_json, npy=str(tmp / 'wave.npy'))
    return inferencer, ckpt, files


def decode(path):
    with av.open(path) as container:
        stream = container.streams.video[0]
        codec = stream.codec_context.name
        rgb = [f.to_ndarray(format='rgb24') for f in container.decode(stream)]
    return codec, np.stack(rgb)


def test_reads_size_and_drawing_from_the_config(setup):
    inferencer = setup[0]
    assert inferencer.image_size == (64, 64)  # LoadClipFrames.load_size
    assert inferencer.sigma == 2  # RenderClipSkeletons(sigma=2)
    with pytest.raises(TypeError, match='not an animation config'):
        AnimationInferencer(IMAGE_CFG, device='cpu')


def test_inputs_are_what_the_model_is_trained_on(setup):
    inferencer, _, files = setup
    data = inferencer.preprocess(files['src'], files['npy'],
                                 files['src_json'], retarget='none')
    sx, sy = 64 / SRC_SIZE[1], 64 / SRC_SIZE[0]  # stretched, as the data
    coco = openpose18_to_coco17(driving_op18(3))[0]
    want = coco17_to_h36m17(coco) * (sx, sy)
    np.testing.assert_allclose(data['driving_keypoints'], want, atol=1e-9)
    src = openpose18_to_coco17(SOURCE_OP18)[0] * (sx, sy)
    np.testing.assert_allclose(data['source_keypoints'], src, atol=1e-9)
    # Structures drawn as RenderClipSkeletons draws them (H36M-17 bones for
    # the driving frames, COCO-17 for the reference), channels first.
    assert data['structures'].shape == (1, 3, 20, 64, 64)
    np.testing.assert_allclose(
        data['structures'][0, 1].permute(1, 2, 0).numpy(),
        render_structure(want[1], (64, 64), H36M17_BONES, 2.0))
    np.testing.assert_allclose(
        data['ref_structure'][0].permute(1, 2, 0).numpy(),
        render_structure(src, (64, 64), COCO17_BONES, 2.0))
    # OpenPose-format JSON (the official reference skeletons) reads alike.
    openpose = osp.join(osp.dirname(files['src']), 'person_openpose.json')
    with open(openpose, 'w') as f:
        json.dump(dict(people=[dict(pose_keypoints_2d=np.concatenate(
            [SOURCE_OP18, np.ones((18, 1))], 1).ravel().tolist())]), f)
    same = inferencer.preprocess(files['src'], files['npy'], openpose,
                                 retarget='none')
    np.testing.assert_allclose(same['source_keypoints'], src, atol=1e-5)
    # The reference: RGB, bicubic to 64x64, [-1, 1].
    rgb = cv2.resize(source_image(), (64, 64),
                     interpolation=cv2.INTER_CUBIC)[..., ::-1]
    np.testing.assert_allclose(
        data['ref_img'][0].permute(1, 2, 0).numpy(), rgb / 127.5 - 1,
        atol=1e-6)


def test_matches_the_test_pipeline_and_model(setup, tmp_path):
    """A synthetic test clip animated from its first frame, its noisy
    reference skeleton and its clean track gives tools/test.py's frames."""
    inferencer = setup[0]
    root = str(tmp_path / 'clips')
    make_synthetic_clips(root, (0, 1), num_frames=3, size=(128, 128))
    cfg = Config.fromfile(CFG)
    cfg.test_dataloader.dataset.data_root = root
    with DefaultScope.overwrite_default_scope('mmagic'):
        dataset = DATASETS.build(cfg.test_dataloader.dataset)
    with torch.no_grad():
        want = inferencer.model.test_step(pseudo_collate([dataset[0]]))[0]
    want = want.output.pred_img.round().byte().permute(0, 2, 3, 1).numpy()
    split = osp.join(root, 'test_256')
    name = sorted(os.listdir(osp.join(split, 'train_A')))[0]
    out = inferencer(
        osp.join(split, 'train_A', name, '00000.png'),
        osp.join(split, 'train_video2d', name),
        source_keypoints=osp.join(split, 'train_alphapose', name,
                                  '00000.json'),
        driving_format='h36m17',
        retarget='none')
    got = np.stack(out['predictions'])
    assert got.shape == want.shape == (3, 64, 64, 3)
    # Keypoints rescaled in float64 here, float32 there: at most a
    # rounding step apart.
    assert np.abs(got.astype(int) - want.astype(int)).max() <= 1


def test_align_moves_the_track_onto_the_source(setup):
    inferencer, _, files = setup
    # The same person at half size elsewhere in the frame.
    track = driving_op18(3)
    track = track * 0.5 + (10, 30)
    data = inferencer.preprocess(files['src'], track, files['src_json'])
    src_h36m = coco17_to_h36m17(data['source_keypoints'])
    seen = joints_present(src_h36m)
    np.testing.assert_allclose(data['driving_keypoints'][0][seen],
                               src_h36m[seen], atol=1e-6)
    # One transform for the whole track: the motion is kept, scaled x2.
    motion = data['driving_keypoints'][2] - data['driving_keypoints'][0]
    unaligned = inferencer.preprocess(
        files['src'], track, files['src_json'], retarget='none')
    raw = unaligned['driving_keypoints'][2] - unaligned['driving_keypoints'][0]
    np.testing.assert_allclose(motion, 2 * raw, atol=1e-6)


def test_geometry_helpers():
    fit = frame_fit((96, 80), (64, 64), 'pad')  # scale 2/3, centred
    assert fit.resized == (64, 53) and fit.offset == (5, 0)
    img = np.zeros((96, 80, 3), np.uint8)
    img[45:51, 30:36] = 255  # a block around (x, y) = (32.5, 47.5)
    out = fit_image(img, (64, 64), fit)
    assert out.shape == (64, 64, 3)
    x, y = fit_keypoints(np.array([[32.5, 47.5]]), fit)[0]
    ys, xs = np.nonzero(out[..., 0] > 128)
    assert abs(xs.mean() - x) < 1 and abs(ys.mean() - y) < 1
    assert (fit_keypoints(np.array([[-1., -1.]]), fit) == -1).all()
    with pytest.raises(ValueError, match='fit must be one of'):
        frame_fit((96, 80), (64, 64), 'crop')
    # Alignment falls back from the pelvis to the thorax.
    src = np.full((17, 2), -1.0)
    src[[8, 11, 14]] = [[30, 20], [36, 20], [24, 20]]
    track = np.zeros((2, 17, 2))
    track[:, 8], track[:, 11], track[:, 14] = [5, 5], [8, 5], [2, 5]
    aligned, scale, _ = align_track(track, src)
    assert scale == pytest.approx(2.0)
    np.testing.assert_allclose(aligned[0, 8], [30, 20])
    with pytest.raises(ValueError, match='no joint to align'):
        align_track(track, np.full((17, 2), -1.0))


def test_animates_to_h264_gif_frames_side_by_side(setup, tmp_path):
    inferencer, _, files = setup
    mp4, gif = str(tmp_path / 'out.mp4'), str(tmp_path / 'out.gif')
    folder = str(tmp_path / 'frames')
    out = inferencer(files['src'], files['npy'], files['src_json'],
                     result_out=[mp4, gif, folder], fps=10,
                     side_by_side=True)
    assert out['files'] == [mp4, gif, folder]
    assert len(out['predictions']) == 3
    assert out['predictions'][0].shape == (64, 64, 3)
    # driving skeleton | generated: twice as wide.
    strip = out['visualization'][1]
    assert strip.shape == (64, 128, 3)
    np.testing.assert_array_equal(strip[:, 64:], out['predictions'][1])
    np.testing.assert_array_equal(
        strip[:, :64], official_bone_image(out['driving_keypoints'][1],
                                           (64, 64), H36M17_BONES)[..., ::-1])
    codec, rgb = decode(mp4)
    assert codec == 'h264' and rgb.shape == (3, 64, 128, 3)
    # Random weights draw fine noise, which crf 18 smooths: compare 8x8
    # block means (the channel order and the frame order must hold).
    def blocks(x):
        return x.reshape(3, 8, 8, 16, 8, 3).mean((2, 4))

    got = blocks(rgb[..., ::-1].astype(float))
    want = blocks(np.stack(out['visualization']).astype(float))
    assert np.abs(got - want).mean() < 3
    assert Image.open(gif).n_frames == 3
    assert sorted(os.listdir(folder)) == [
        f'frame_{i:05d}.png' for i in range(3)
    ]


def test_driving_video_and_men(setup, tmp_path):
    inferencer, ckpt, files = setup
    video = str(tmp_path / 'driving.mp4')
    write_frames([source_image()] * 3, video, fps=10)
    data = inferencer.preprocess(files['src'], video, files['src_json'],
                                 max_frames=2)
    assert data['driving_keypoints'].shape == (2, 17, 2)
    assert data['structures'].shape[1] == 2
    plain = inferencer.preprocess(files['src'], files['npy'],
                                  files['src_json'], retarget='none')
    men = AnimationInferencer(CFG, ckpt, device='cpu', men_config=MEN_CFG,
                              show_progress=False)
    assert men.men is not None
    cleaned = men.preprocess(files['src'], files['npy'], files['src_json'],
                             retarget='none')
    assert cleaned['driving_keypoints'].shape == (3, 17, 2)
    assert np.isfinite(cleaned['driving_keypoints']).all()
    # The (random) network changed the detections.
    assert np.abs(cleaned['driving_keypoints'] -
                  plain['driving_keypoints']).max() > 0.1
    with pytest.raises(ValueError, match='men_checkpoint needs men_config'):
        AnimationInferencer(CFG, ckpt, men_checkpoint=ckpt)


def test_clear_errors(setup, tmp_path):
    inferencer, _, files = setup
    src, src_json = files['src'], files['src_json']
    nobody = str(tmp_path / 'nobody.json')
    with open(nobody, 'w') as f:
        json.dump(np.full((18, 2), -1).tolist(), f)
    with pytest.raises(ValueError, match=f'no person found in source {src}'):
        inferencer.preprocess(src, files['npy'], nobody)
    bad_video = str(tmp_path / 'broken.mp4')
    with open(bad_video, 'wb') as f:
        f.write(b'not a video')
    with pytest.raises(ValueError,
                       match=f'no frame could be read from video {bad_video}'):
        inferencer.preprocess(src, bad_video, src_json)
    with pytest.raises(ValueError, match='too short: 3 frames, at least 5'):
        inferencer.preprocess(src, files['npy'], src_json, min_frames=5)
    empty = str(tmp_path / 'empty.npy')
    np.save(empty, np.zeros((0, 18, 2)))
    with pytest.raises(ValueError, match=f'{empty}: the driving sequence '
                       'is too short: 0 frames'):
        inferencer.preprocess(src, empty, src_json)
    wrong = str(tmp_path / 'wrong.npy')
    np.save(wrong, np.zeros((3, 16, 2)))
    with pytest.raises(ValueError,
                       match=rf'{wrong}: a skeleton track must be .*'
                       r'got \(3, 16, 2\)'):
        inferencer.preprocess(src, wrong, src_json)
    with pytest.raises(ValueError, match=r'wave.npy: a Human3.6M-17 track '
                       r'must be \(T, 17, 2 \| 3\), got \(3, 18, 2\)'):
        inferencer.preprocess(src, files['npy'], src_json,
                              driving_format='h36m17')
    unseen = str(tmp_path / 'unseen.npy')
    np.save(unseen, np.full((4, 18, 2), -1.0))
    with pytest.raises(ValueError, match=f'{unseen}: no joint in any of its '
                       r'4 frames \(no person found\)'):
        inferencer.preprocess(src, unseen, src_json)
    with pytest.raises(FileNotFoundError, match='none.npy does not exist'):
        inferencer.preprocess(src, str(tmp_path / 'none.npy'), src_json)
    with pytest.raises(FileNotFoundError, match='missing.png does not exist'):
        inferencer.preprocess(str(tmp_path / 'missing.png'), files['npy'],
                              src_json)


def test_demo_cli(setup, tmp_path, run_tool, capsys):
    _, ckpt, files = setup
    out = str(tmp_path / 'anim.mp4')
    proc = run_tool([
        DEMO, CFG, ckpt, '--source', files['src'], '--source-keypoints',
        files['src_json'], '--driving', files['npy'], '--out', out, '--gif',
        '--frames', str(tmp_path / 'frames'), '--max-frames', '2',
        '--device', 'cpu'
    ], str(tmp_path))
    assert (f'wrote {out}, {tmp_path / "anim.gif"}, {tmp_path / "frames"} '
            '(2 frames, 64x64, 15 fps)') in proc.stdout
    codec, rgb = decode(out)
    assert codec == 'h264' and rgb.shape == (2, 64, 64, 3)
    assert Image.open(tmp_path / 'anim.gif').n_frames == 2
    assert len(os.listdir(tmp_path / 'frames')) == 2
    # Bad input in process (one interpreter start is enough): an error
    # line naming the file, exit status 1, no traceback.
    spec = importlib.util.spec_from_file_location('animation_demo', DEMO)
    demo = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(demo)
    missing = str(tmp_path / 'none.npy')
    assert demo.main([
        CFG, ckpt, '--source', files['src'], '--source-keypoints',
        files['src_json'], '--driving', missing, '--out', out, '--device',
        'cpu'
    ]) == 1
    err = capsys.readouterr().err
    assert f'error: driving {missing} does not exist' in err
    assert 'Traceback' not in err
