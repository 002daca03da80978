# Copyright (c) OpenMMLab. All rights reserved.
import os
import os.path as osp
import subprocess
import sys

import cv2
import numpy as np

REPO_ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
TOOLS = osp.join(REPO_ROOT, 'tools', 'dataset_converters')
ANN = 'name:keypoints_y:keypoints_x\n'


def image(path, shape=(300, 200, 3)):
    os.makedirs(osp.dirname(path), exist_ok=True)
    cv2.imwrite(path, np.full(shape, 90, np.uint8))


def test_deepfashion_prepare(tmp_path, run_tool, tool_environ):
    root = tmp_path / 'deepfashion'
    rels = ['WOMEN/Dresses/id_00000002/01_1_front.jpg',
            'WOMEN/Dresses/id_00000002/01_2_side.jpg',
            'MEN/Denim/id_00000080/01_7_additional.jpg']
    for rel in rels:
        image(str(root / 'img_highres' / rel))
    (root / 'train.lst').write_text(
        'fashionWOMENDressesid0000000201_1front.jpg\n'
        'fashionWOMENDressesid0000000201_2side.jpg\n')
    (root / 'test.lst').write_text('fashionMENDenimid0000008001_7additional'
                                   '.jpg\n')
    (root / 'fasion-pairs-train.csv').write_text(
        'from,to\nfashionWOMENDressesid0000000201_1front.jpg,'
        'fashionWOMENDressesid0000000201_2side.jpg\n')
    (root / 'fasion-pairs-test.csv').write_text(
        'from,to\nfashionMENDenimid0000008001_7additional.jpg,'
        'fashionMENDenimid0000008001_1front.jpg\n')
    for split in ('train', 'test'):
        (root / f'fasion-annotation-{split}.csv').write_text(ANN)
    out = tmp_path / 'out'
    tool = osp.join(TOOLS, 'deepfashion', 'prepare.py')
    proc = subprocess.run([sys.executable, tool, str(root), '--out',
                           str(out)], env=tool_environ, capture_output=True,
                          text=True, timeout=300)
    # The test pair names an image that does not exist: reported, exit 1.
    assert proc.returncode == 1, proc.stderr
    assert 'train: 2 of 2 listed images written' in proc.stdout
    assert ('1 images named by' in proc.stderr
            and 'fashionMENDenimid0000008001_1front.jpg' in proc.stderr)
    written = cv2.imread(
        str(out / 'train' / 'fashionWOMENDressesid0000000201_1front.jpg'))
    assert written.shape == (256, 176, 3)  # bicubic resize to the CSV frame
    assert sorted(os.listdir(out)) == [
        'fasion-annotation-test.csv', 'fasion-annotation-train.csv',
        'fasion-pairs-test.csv', 'fasion-pairs-train.csv', 'test', 'train'
    ]


def test_market_prepare(tmp_path, run_tool):
    root = tmp_path / 'market'
    image(str(root / 'bounding_box_train' / '0002_c1s1_000451_03.jpg'),
          (128, 64, 3))
    image(str(root / 'bounding_box_test' / '0001_c1s1_001051_00.jpg'),
          (128, 64, 3))
    image(str(root / 'query' / '0001_c2s1_000301_00.jpg'), (128, 64, 3))
    (root / 'market-pairs-train.csv').write_text('from,to\n')
    (root / 'market-pairs-test.csv').write_text(
        'from,to\n0001_c1s1_001051_00.jpg,0001_c2s1_000301_00.jpg\n')
    for split in ('train', 'test'):
        (root / f'market-annotation-{split}.csv').write_text(ANN)
    out = tmp_path / 'out'
    proc = run_tool([osp.join(TOOLS, 'market1501', 'prepare.py'), str(root),
                     '--out', str(out)], cwd=str(tmp_path))
    assert 'train: 1 images written' in proc.stdout
    assert 'test: 2 images written' in proc.stdout
    assert sorted(os.listdir(out / 'test')) == [
        '0001_c1s1_001051_00.jpg', '0001_c2s1_000301_00.jpg'
    ]
