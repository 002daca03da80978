# Copyright (c) OpenMMLab. All rights reserved.
"""demo/web_demo.py in a real browser: the test starts the server on a free
localhost port and drives headless Chromium (Debian's chromium +
chromium-driver, installed by tools/setup_env.sh) with selenium: upload a
photo, drag a joint, wait for the new result; a non-image upload; the
animation tab. A screenshot is kept (``$GFLA_MM_SCREENSHOT_DIR`` too)."""
import base64
import http.client
import json
import os
import os.path as osp
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import cv2
import numpy as np
import pytest

from gfla_mm.datasets.pose_pair_dataset import load_pose_annotations

from .conftest import REPO_ROOT, WEB_DEMO

SCREENSHOT_ENV = 'GFLA_MM_SCREENSHOT_DIR'
SETUP_HINT = ('`bash tools/setup_env.sh` apt-installs chromium and '
              'chromium-driver (or put a Chromium and its chromedriver on '
              'PATH as chromium/chromedriver, or set CHROME_BIN and '
              'CHROMEDRIVER)')
MAX_UPLOAD_MB = 10  # the default
WAIT_S = 60


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


@pytest.fixture(scope='module')
def server(demo_files, tmp_path_factory):
    """The demo on a free localhost port; its URL. Stopped afterwards."""
    port = free_port()
    log_path = tmp_path_factory.mktemp('server') / 'server.log'
    env = dict(os.environ, CUDA_VISIBLE_DEVICES='', OMP_NUM_THREADS='1')
    with open(log_path, 'w') as log:
        proc = subprocess.Popen([
            sys.executable, WEB_DEMO, demo_files.config,
            demo_files.checkpoint, '--port', str(port), '--device', 'cpu',
            '--data-root', demo_files.data_root
        ], cwd=REPO_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f'http://127.0.0.1:{port}'

    def log_tail() -> str:
        with open(log_path) as f:
            return f.read()[-4000:]

    deadline = time.time() + 120
    while True:
        if proc.poll() is not None:
            pytest.fail(f'the web demo exited {proc.returncode}:\n'
                        f'{log_tail()}')
        try:
            with urllib.request.urlopen(url + '/api/health', timeout=2):
                break
        except OSError:
            if time.time() > deadline:
                proc.kill()
                pytest.fail(f'the web demo did not answer in 120 s:\n'
                            f'{log_tail()}')
            time.sleep(0.5)
    yield url
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    assert proc.returncode in (0, -15), log_tail()


def find_browser():
    """(chromium binary, chromedriver) or a failure saying how to get
    them: the browser test must not skip silently."""
    binary = os.environ.get('CHROME_BIN') or next(
        (shutil.which(n) for n in ('chromium', 'chromium-browser')
         if shutil.which(n)), None)
    driver = os.environ.get('CHROMEDRIVER') or shutil.which('chromedriver')
    if not binary or not driver:
        missing = ' and '.join(n for n, p in (('chromium', binary),
                                              ('chromedriver', driver))
                               if not p)
        pytest.fail(f'{missing} not found: the web demo test needs a '
                    f'headless Chromium; {SETUP_HINT}')
    return binary, driver


@pytest.fixture(scope='module')
def browser():
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError as exc:
        pytest.fail(f'selenium is not installed ({exc}): run '
                    '`bash tools/setup_env.sh` (requirements/tests.txt)')
    binary, driver_path = find_browser()
    options = webdriver.ChromeOptions()
    options.binary_location = binary
    for arg in ('--headless=new', '--no-sandbox', '--disable-gpu',
                '--disable-dev-shm-usage', '--window-size=1280,900',
                '--hide-scrollbars'):
        options.add_argument(arg)
    try:
        driver = webdriver.Chrome(service=Service(driver_path),
                                  options=options)
    except Exception as exc:
        pytest.fail(f'headless Chromium ({binary}, driver {driver_path}) '
                    f'did not start: {exc}; {SETUP_HINT}')
    yield driver
    driver.quit()


def wait_for(driver, condition, what: str, timeout: float = WAIT_S):
    from selenium.common.exceptions import TimeoutException
    from selenium.webdriver.support.ui import WebDriverWait
    try:
        return WebDriverWait(driver, timeout, poll_frequency=0.1).until(
            lambda d: condition(d))
    except TimeoutException:
        message = driver.execute_script(
            "return document.getElementById('message').textContent")
        pytest.fail(f'timed out after {timeout} s waiting for {what}; the '
                    f'page says: {message!r}')


def idle(driver) -> bool:
    return driver.execute_script(
        'const s = window.gflaDemo.state; return !s.busy && !s.pending')


def result_version(driver) -> int:
    return int(driver.find_element('id', 'result-img').get_attribute(
        'data-version'))


def result_pixels(driver) -> np.ndarray:
    """The generated image the page shows, decoded (BGR)."""
    src = driver.find_element('id', 'result-img').get_attribute('src')
    assert src.startswith('data:image/png;base64,'), src[:40]
    data = np.frombuffer(base64.b64decode(src.split(',', 1)[1]), np.uint8)
    return cv2.imdecode(data, cv2.IMREAD_COLOR)


def wait_for_result(driver, after: int, what: str) -> np.ndarray:
    wait_for(driver, lambda d: result_version(d) > after and idle(d), what)
    return result_pixels(driver)


def page_message(driver) -> str:
    return driver.execute_script(
        "const m = document.getElementById('message');"
        "return m.hidden ? '' : m.textContent")


def save_screenshot(driver, tmp_path, name='web_demo.png') -> str:
    path = str(tmp_path / name)
    assert driver.save_screenshot(path), 'no screenshot written'
    out_dir = os.environ.get(SCREENSHOT_ENV)
    if out_dir:
        os.makedirs(out_dir, exist_ok=True)
        shutil.copy(path, osp.join(out_dir, name))
    return path


@pytest.fixture(scope='module')
def photo(demo_files, tmp_path_factory):
    """(test photo path, its keypoints JSON path)."""
    names = sorted(os.listdir(osp.join(demo_files.data_root, 'test')))
    image = osp.join(demo_files.data_root, 'test', names[0])
    table = load_pose_annotations(
        osp.join(demo_files.data_root, 'fasion-annotation-test.csv'), None)
    kps = tmp_path_factory.mktemp('kps') / 'person.json'
    kps.write_text(json.dumps({'keypoints': table[names[0]].tolist()}))
    return image, str(kps), table[names[0]]


def test_upload_drag_a_joint_and_errors(server, browser, photo, tmp_path):
    from selenium.webdriver.common.action_chains import ActionChains
    driver = browser
    driver.get(server)
    wait_for(driver, lambda d: d.execute_script(
        'return document.body.dataset.ready === "true"'), 'the page')
    # A file that is not an image: the server's message in the page.
    not_image = tmp_path / 'notes.txt'
    not_image.write_text('not a photo')
    driver.find_element('id', 'image-file').send_keys(str(not_image))
    driver.find_element('id', 'upload-button').click()
    wait_for(driver, page_message, 'the error message')
    assert page_message(driver) == (
        'notes.txt is not an image: upload a JPEG, PNG, BMP or WebP photo')
    assert result_version(driver) == 0

    # The photo with its keypoints: the page renders the source pose.
    image, kps_file, kps = photo
    driver.find_element('id', 'image-file').clear()
    driver.find_element('id', 'image-file').send_keys(image)
    driver.find_element('id', 'keypoints-file').send_keys(kps_file)
    driver.find_element('id', 'upload-button').click()
    before = wait_for_result(driver, 0, 'the first result')
    assert page_message(driver) == ''
    assert before.shape == (64, 64, 3)  # the model's output size
    assert len(driver.find_elements('css selector', '#flows img')) == 3
    assert len(driver.find_elements('css selector', '#masks img')) == 3

    # Drag the right wrist (joint 4) 30 px right and 20 px up.
    joint = driver.execute_script('return window.gflaDemo.jointPoint(4)')
    assert joint is not None
    canvas = driver.find_element('id', 'pose-canvas')
    version = result_version(driver)
    ActionChains(driver).move_to_element_with_offset(
        canvas, int(joint['x'] - joint['width'] / 2),
        int(joint['y'] - joint['height'] / 2)).click_and_hold().move_by_offset(
            15, -10).move_by_offset(15, -10).release().perform()
    after = wait_for_result(driver, version, 'the result after the drag')
    moved = driver.execute_script(
        'return window.gflaDemo.state.target[4]')
    src_x, src_y = kps[4] / 128  # the photo is 128x128
    assert moved[0] > src_x + 0.1 and moved[1] < src_y - 0.05, moved
    natural = driver.execute_script(
        "const i = document.getElementById('result-img');"
        'return [i.naturalWidth, i.naturalHeight]')
    assert natural == [64, 64]
    assert after.shape == (64, 64, 3)
    assert np.abs(after.astype(int) - before).max() > 0, (
        'the result did not change after moving a joint')
    assert page_message(driver) == ''
    save_screenshot(driver, tmp_path)

    # A test pose of the gallery, then the animation tab.
    version = result_version(driver)
    driver.find_elements('css selector', '#pose-gallery canvas')[2].click()
    wait_for_result(driver, version, 'the result for a gallery pose')
    driver.find_element('id', 'tab-animate-button').click()
    driver.find_element('css selector',
                        'input[name="mode"][value="target"]').click()
    inbetween = driver.find_element('id', 'inbetween')
    inbetween.clear()
    inbetween.send_keys('1')
    driver.find_element('id', 'animate-button').click()
    wait_for(driver, lambda d: d.find_element('id', 'video').get_attribute(
        'src').startswith('data:video/mp4'), 'the animation')
    assert page_message(driver) == ''
    status = driver.find_element('id', 'animate-status').text
    assert status.startswith('5 frames of 64×64'), status


def post(url: str, body: bytes, content_type: str):
    request = urllib.request.Request(url, body,
                                     {'Content-Type': content_type})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as err:
        return err.code, json.load(err)


def multipart(field: str, name: str, data: bytes):
    boundary = 'gflaboundary'
    body = (f'--{boundary}\r\nContent-Disposition: form-data; name="{field}"'
            f'; filename="{name}"\r\nContent-Type: application/octet-stream'
            f'\r\n\r\n').encode() + data + f'\r\n--{boundary}--\r\n'.encode()
    return body, f'multipart/form-data; boundary={boundary}'


def test_upload_limits_and_bad_requests(server):
    # Over the limit in one file (the backend), and in the whole body (the
    # server refuses it before reading).
    big = np.random.default_rng(0).integers(0, 255, (1900, 1900, 3),
                                            np.uint8)
    ok, png = cv2.imencode('.png', big)
    assert ok and len(png) > MAX_UPLOAD_MB * 2**20
    status, body = post(server + '/api/upload', *multipart(
        'image', 'big.png', png.tobytes()))
    assert status == 413
    assert body['error'] == 'big.png is larger than 10 MB, the upload limit'
    # Only the headers: the server answers before the body is sent.
    host, port = server.rsplit('/', 1)[1].split(':')
    conn = http.client.HTTPConnection(host, int(port), timeout=30)
    conn.putrequest('POST', '/api/upload')
    conn.putheader('Content-Type', 'multipart/form-data; boundary=b')
    conn.putheader('Content-Length', str(30 * 2**20))
    conn.endheaders()
    response = conn.getresponse()
    assert response.status == 413
    assert json.load(response)['error'] == (
        'the upload is 30.0 MB; files are limited to 10 MB')
    conn.close()
    status, body = post(server + '/api/generate', b'{"source_id": "x"}',
                        'application/json')
    assert status == 422 and body['error'].startswith('bad request (body.'
                                                      'pose: Field required')
    status, body = post(server + '/api/generate',
                        b'{"source_id": "x", "pose": []}',
                        'application/json')
    assert status == 404 and 'upload or pick it again' in body['error']


def test_a_missing_browser_fails_and_says_how_to_install_it(monkeypatch):
    monkeypatch.delenv('CHROME_BIN', raising=False)
    monkeypatch.delenv('CHROMEDRIVER', raising=False)
    monkeypatch.setattr(shutil, 'which', lambda name: None)
    with pytest.raises(pytest.fail.Exception,
                       match='chromium and chromedriver not found: .*'
                       'tools/setup_env.sh` apt-installs chromium'):
        find_browser()
