# Copyright (c) OpenMMLab. All rights reserved.
import pytest

from gfla_mm.datasets.preparation import deepfashion_name


def test_official_deepfashion_renaming():
    assert deepfashion_name(
        'img_highres/WOMEN/Blouses_Shirts/id_00000001/02_1_front.jpg'
    ) == 'fashionWOMENBlouses_Shirtsid0000000102_1front.jpg'
    assert deepfashion_name('MEN/Denim/id_00000080/01_7_additional.jpg') == (
        'fashionMENDenimid0000008001_7additional.jpg')


def test_bad_path():
    with pytest.raises(ValueError, match='GENDER/CATEGORY/ID/FILE'):
        deepfashion_name('WOMEN/x.jpg')
