# Copyright (c) OpenMMLab. All rights reserved.
"""The web demo's logic (demo/web_demo/backend.py) without a browser:
upload checks, pose conversions, generation against the inference API, the
animation modes and the messages for photos without a person."""
import base64
import json
import math
import os.path as osp
from io import BytesIO

import cv2
import numpy as np
import pytest
from PIL import Image

from gfla_mm.apis import PoseTransferInferencer
from gfla_mm.datasets.pose_pair_dataset import load_pose_annotations
from gfla_mm.utils import read_video

from .conftest import POSE_CFG, REPO_ROOT, load_web_demo


@pytest.fixture(scope='module')
def web():
    return load_web_demo().load_backend()


@pytest.fixture(scope='module')
def backend(web, demo_files):
    # mmpose with random weights and no detector, so that photos without
    # keypoints are handled offline.
    return web.DemoBackend(demo_files.config, demo_files.checkpoint,
                           device='cpu', data_root=demo_files.data_root,
                           gallery_size=5, pose_model=POSE_CFG,
                           pose_weights=None, det_model=None)


@pytest.fixture(scope='module')
def annotations(demo_files):
    return load_pose_annotations(
        osp.join(demo_files.data_root, 'fasion-annotation-test.csv'), None)


def png(image: np.ndarray, ext: str = '.png') -> bytes:
    ok, buf = cv2.imencode(ext, image)
    assert ok
    return buf.tobytes()


def test_decode_image_checks_type_and_size(web):
    image = np.random.default_rng(0).integers(0, 255, (20, 30, 3), np.uint8)
    np.testing.assert_array_equal(web.decode_image(png(image)), image)
    with pytest.raises(web.DemoError, match='x.txt is not an image: upload '
                       'a JPEG, PNG, BMP or WebP photo') as err:
        web.decode_image(b'hello', 'x.txt')
    assert err.value.status == 415
    buf = BytesIO()  # PIL reads GIFs; the demo takes photos only
    Image.fromarray(image).save(buf, format='GIF')
    with pytest.raises(web.DemoError, match='a.gif is a GIF image') as err:
        web.decode_image(buf.getvalue(), 'a.gif')
    assert err.value.status == 415
    with pytest.raises(web.DemoError, match='p.png is larger than 0.5 MB, '
                       'the upload limit') as err:
        web.decode_image(png(image) + bytes(2**19), 'p.png',
                         max_bytes=2**19)
    assert err.value.status == 413
    wide = np.zeros((2, 41, 3), np.uint8)
    with pytest.raises(web.DemoError, match='41x2 pixels; images are '
                       'limited to 40 pixels a side') as err:
        web.decode_image(png(wide), 'w.png', max_side=40)
    assert err.value.status == 413
    with pytest.raises(web.DemoError, match='empty'):
        web.decode_image(b'', 'e.png')
    truncated = png(image)[:60]
    with pytest.raises(web.DemoError):
        web.decode_image(truncated, 't.png')


def test_pose_files(web, tmp_path):
    kps = np.arange(36, dtype=np.float32).reshape(18, 2)
    kps[3] = -1
    as_dict = json.dumps({'keypoints': kps.tolist()}).encode()
    np.testing.assert_array_equal(web.parse_pose_file(as_dict, 'k.json'),
                                  kps)
    path = tmp_path / 'k.npy'
    np.save(path, np.stack([kps, kps + 1]))
    seq = web.parse_pose_file(path.read_bytes(), 'seq.npy',
                              allow_sequence=True)
    assert seq.shape == (2, 18, 2)
    with pytest.raises(web.DemoError, match='k.txt: keypoints are read from '
                       '.json or .npy files') as err:
        web.parse_pose_file(b'[]', 'k.txt')
    assert err.value.status == 415
    with pytest.raises(web.DemoError) as err:
        web.parse_pose_file(json.dumps(kps[:17].tolist()).encode(), 'b.json')
    # The message names the upload, not the server's temporary file.
    assert err.value.message == (
        'b.json: OpenPose-18 keypoints of shape (18, 2) expected, got '
        '(17, 2)')
    with pytest.raises(web.DemoError, match='bad.json cannot be read'):
        web.parse_pose_file(b'{not json', 'bad.json')


def test_pose_conversions(web):
    kps = np.full((18, 2), -1, np.float32)
    kps[0] = (50, 20)
    kps[1] = (100, 0)
    page = web.normalise_pose(kps, (40, 200))  # frame (H, W)
    assert page[0] == [0.25, 0.5] and page[1] == [0.5, 0.0]
    assert page[2] == [-1, -1]
    back = web.pose_from_page(page, (80, 400))  # another frame: stretched
    np.testing.assert_allclose(back[:2], [[100, 40], [200, 0]])
    assert (back[2:] == -1).all()
    for bad, message in [([[0.5, 0.5]] * 17, 'shape'),
                         ([[0.5, 1.5]] * 18, r'in \[0, 1\]'),
                         ([[0.5, math.nan]] * 18, 'finite'),
                         ([[-1, -1]] * 18, 'every joint is missing'),
                         ('x', '18')]:
        with pytest.raises(web.DemoError, match=message):
            web.pose_from_page(bad, (64, 64))


def test_interpolate_poses(web):
    a = np.zeros((18, 2), np.float32)
    b = np.full((18, 2), 10, np.float32)
    a[5] = -1
    poses = web.interpolate_poses(a, b, 5)
    assert poses.shape == (5, 18, 2)
    np.testing.assert_array_equal(poses[0], a)
    np.testing.assert_array_equal(poses[-1], b)
    np.testing.assert_allclose(poses[2, 0], [5, 5])
    # Missing at one end: missing in the frames nearer that end only.
    assert (poses[:2, 5] == -1).all() and (poses[2:, 5] == 10).all()


def test_flow_and_mask_pictures(web):
    flow = np.zeros((2, 4, 4), np.float32)
    flow[0, :, 2:] = 3  # rightwards on the right half: red
    picture, = web.flow_pictures([flow], (16, 16))
    assert picture.shape == (16, 16, 3)
    np.testing.assert_array_equal(picture[0, 0], [255, 255, 255])  # 0: white
    np.testing.assert_array_equal(picture[0, 15], [0, 0, 255])  # BGR red
    mask, = web.mask_pictures([np.full((1, 2, 2), 0.5, np.float32)],
                              (8, 8))
    assert mask.shape == (8, 8) and (mask == 128).all()


def test_gallery_and_generation_match_the_inference_api(
        backend, web, demo_files, annotations):
    info = backend.info()
    assert len(info['gallery']) == 5 and info['gallery_message'] == ''
    assert len(info['limbs']) == 17 and len(info['joint_names']) == 18
    first = info['gallery'][0]
    source = backend.select(0)
    assert source['width'] == source['height'] == 128
    assert source['pose'] == first['pose']  # 128x128 images, same frame
    target = info['gallery'][3]['pose']
    out = backend.generate(source['source_id'], target)
    assert (out['width'], out['height']) == (64, 64)
    assert len(out['flows']) == len(out['masks']) == 3
    image = cv2.imdecode(
        np.frombuffer(base64.b64decode(out['image'].split(',')[1]),
                      np.uint8), cv2.IMREAD_COLOR)
    # The pixels PoseTransferInferencer gives for that pair.
    names = sorted(annotations)
    inferencer = PoseTransferInferencer(demo_files.config,
                                        demo_files.checkpoint, device='cpu',
                                        show_progress=False)
    ref = inferencer(
        osp.join(demo_files.data_root, 'test', names[0]),
        annotations[names[3]], source_pose=annotations[names[0]],
        pose_frame=(128, 128))['predictions'][0]['pred_img']
    np.testing.assert_array_equal(image, ref)
    thumb = cv2.imdecode(np.frombuffer(backend.gallery_thumbnail(1),
                                       np.uint8), cv2.IMREAD_COLOR)
    assert thumb.shape == (128, 128, 3)
    with pytest.raises(web.DemoError, match='no test image number 7'):
        backend.select(7)


def test_upload_with_keypoints_and_missing_sources(backend, web, demo_files,
                                                   annotations, monkeypatch):
    name = sorted(annotations)[1]
    with open(osp.join(demo_files.data_root, 'test', name), 'rb') as f:
        photo = f.read()
    kps = json.dumps(annotations[name].tolist()).encode()
    source = backend.upload(photo, name, kps, 'pose.json')
    assert source['pose'] == backend.info()['gallery'][1]['pose']
    with pytest.raises(web.DemoError, match='no longer on the server') as err:
        backend.generate('nope', source['pose'])
    assert err.value.status == 404
    with pytest.raises(web.DemoError, match='every joint is missing'):
        backend.upload(photo, name, json.dumps([[-1, -1]] * 18).encode(),
                       'pose.json')
    # The least recently used sources go first.
    monkeypatch.setattr(web, 'MAX_SOURCES', 2)
    first, second = backend.select(0), backend.select(1)
    backend.source(first['source_id'])  # used: second is now the oldest
    backend.select(2)
    backend.source(first['source_id'])
    with pytest.raises(web.DemoError, match='no longer on the server'):
        backend.source(second['source_id'])


def test_photos_without_keypoints_use_mmpose(backend, web, demo_files):
    image = cv2.imread(backend.gallery[0].path)
    extractor = backend.inferencer.pose_extractor
    old = extractor.score_thr
    try:
        extractor.score_thr = -math.inf  # random weights: every joint
        source = backend.upload(png(image), 'me.png')
        want = extractor(image, 'me.png')
        assert (want >= 0).any()
        assert source['pose'] == web.normalise_pose(want, (128, 128))
        extractor.score_thr = math.inf  # nobody
        with pytest.raises(web.DemoError,
                           match='No person found in me.png') as err:
            backend.upload(png(image), 'me.png')
        assert err.value.status == 422
    finally:
        extractor.score_thr = old


def test_pose_estimation_failure_says_what_to_do(web, backend, monkeypatch):

    class Offline:

        def __call__(self, image, name):
            raise OSError('no network to download the weights')

    monkeypatch.setattr(backend.inferencer, '_pose_extractor', Offline())
    image = cv2.imread(backend.gallery[0].path)
    with pytest.raises(web.DemoError) as err:
        backend.upload(png(image), 'me.jpg')
    assert err.value.status == 503
    assert err.value.message == (
        'could not estimate the pose in me.jpg with mmpose (OSError: no '
        'network to download the weights); upload its keypoints as a .json '
        'file with the photo instead')


def test_animation_modes(backend, web, tmp_path):
    source = backend.select(0)
    sid = source['source_id']
    out = backend.animate(sid, 'gallery', fps=4, inbetween=1)
    assert out['frames'] == 4 * 2 + 1  # 5 test poses, 1 between each pair
    assert (out['width'], out['height']) == (64, 64)
    video = tmp_path / 'a.mp4'
    video.write_bytes(base64.b64decode(out['video'].split(',')[1]))
    assert read_video(str(video)).shape[:3] == (9, 64, 64)

    calls = []

    def recorder(inferencer, image, source_pose, poses, frame):
        calls.append((poses, frame))
        return [np.zeros((64, 64, 3), np.uint8)] * len(poses)

    backend.animator, old = recorder, backend.animator
    try:
        backend.animate(sid, 'target', pose=backend.info()['gallery'][2][
            'pose'], inbetween=0)
        poses, frame = calls[-1]
        # inbetween 0 still goes through one pose in between each way.
        assert poses.shape == (5, 18, 2) and frame == (128, 128)
        np.testing.assert_allclose(poses[0], poses[-1])
        seq = np.stack([backend.gallery[i].keypoints for i in range(3)])
        backend.animate(sid, 'upload',
                        sequence=(json.dumps(seq.tolist()).encode(),
                                  'dance.json'),
                        sequence_frame=(256, 256))
        poses, frame = calls[-1]
        np.testing.assert_array_equal(poses, seq)
        assert frame == (256, 256)
    finally:
        backend.animator = old
    for kwargs, message in [(dict(mode='dance'), 'unknown animation mode'),
                            (dict(mode='upload'), 'choose a pose sequence'),
                            (dict(mode='gallery', inbetween=99),
                             'in-between frames must be 0 to 30'),
                            (dict(mode='gallery', fps=0), 'fps must be'),
                            (dict(mode='upload', sequence=(json.dumps(
                                [seq[0].tolist()] * 241).encode(), 's.json')),
                             '241 frames; animations are limited to 240')]:
        with pytest.raises(web.DemoError, match=message):
            backend.animate(sid, **kwargs)


def test_animation_tab_on_the_animation_model(backend, web, tmp_path):
    """``animation_model_frames``: the tab's call switched to
    AnimationInferencer (``demo/web_demo.py --animation-config``)."""

    import torch
    from mmagic.registry import MODELS
    from mmengine import Config
    from mmengine.registry import DefaultScope

    from gfla_mm.apis import AnimationInferencer
    cfg = osp.join(REPO_ROOT, 'configs', 'gfla_animation',
                   'gfla-animation_synthetic-demo.py')
    torch.manual_seed(0)
    with DefaultScope.overwrite_default_scope('mmagic'):
        model = MODELS.build(Config.fromfile(cfg).model)  # torch's init
    ckpt = str(tmp_path / 'anim.pth')
    torch.save(dict(state_dict=model.state_dict()), ckpt)
    animation = AnimationInferencer(cfg, ckpt, device='cpu',
                                    show_progress=False)
    source = backend.select(0)
    src = backend.sources[source['source_id']]
    seq = np.stack([backend.gallery[i].keypoints for i in (1, 2)])
    shown = []

    def animator(*args):
        shown.append(web.animation_model_frames(animation, *args))
        return shown[-1]

    old, backend.animator = backend.animator, animator
    try:
        out = backend.animate(
            source['source_id'], 'upload',
            sequence=(json.dumps(seq.tolist()).encode(), 'seq.json'))
    finally:
        backend.animator = old
    assert out['frames'] == 2 and out['video'].startswith('data:video/mp4')
    # The frames of the inferencer called directly on those poses.
    want = animation(src.image, seq, source_keypoints=src.keypoints,
                     driving_frame=(128, 128), driving_format='openpose18',
                     retarget='none')['predictions']
    assert len(shown[0]) == 2 and shown[0][0].shape == want[0].shape
    for a, b in zip(shown[0], want):
        np.testing.assert_array_equal(a, b)
