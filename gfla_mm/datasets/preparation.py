# Copyright (c) OpenMMLab. All rights reserved.
"""Helpers of the dataset preparation tools (tools/dataset_converters)."""
import csv
import os
import os.path as osp
import shutil
from typing import Callable, Dict, Iterable, List, Optional, Tuple

import cv2


def deepfashion_name(rel_path: str) -> str:
    """The official renaming of a DeepFashion In-shop image.

    ``img_highres/WOMEN/Blouses_Shirts/id_00000001/02_1_front.jpg`` (or the
    same without ``img_highres/``) becomes
    ``fashionWOMENBlouses_Shirtsid0000000102_1front.jpg``: the id loses its
    underscores, the file name keeps only its first one.
    """
    parts = rel_path.replace('\\', '/').split('/')
    if parts[0] == 'img_highres':
        parts = parts[1:]
    if len(parts) != 4:
        raise ValueError(f'expected GENDER/CATEGORY/ID/FILE, got {rel_path!r}')
    gender, category, person, filename = parts
    head, _, tail = filename.partition('_')
    filename = f'{head}_{tail.replace("_", "")}' if tail else head
    return f'fashion{gender}{category}{person.replace("_", "")}{filename}'


def read_pairs_csv(path: str) -> List[Tuple[str, str]]:
    with open(path, newline='') as f:
        rows = list(csv.reader(f))
    if not rows or [c.strip() for c in rows[0]] != ['from', 'to']:
        raise ValueError(f'{path}: header must be "from,to"')
    return [(r[0].strip(), r[1].strip()) for r in rows[1:] if r]


def missing_pair_files(pairs_csv: str, img_dir: str) -> List[str]:
    """Names used by the pairs but absent from ``img_dir`` (sorted)."""
    present = set(os.listdir(img_dir)) if osp.isdir(img_dir) else set()
    needed = {n for pair in read_pairs_csv(pairs_csv) for n in pair}
    return sorted(needed - present)


def write_image(src: str, dst: str, size: Optional[Tuple[int, int]]) -> None:
    """Copies ``src`` to ``dst``, resized to (H, W) with bicubic when
    ``size`` is given (JPEG quality 95)."""
    if not size:
        shutil.copyfile(src, dst)
        return
    img = cv2.imread(src)
    if img is None:
        raise OSError(f'cannot read image {src}')
    img = cv2.resize(img, (size[1], size[0]), interpolation=cv2.INTER_CUBIC)
    if not cv2.imwrite(dst, img, [cv2.IMWRITE_JPEG_QUALITY, 95]):
        raise OSError(f'cannot write image {dst}')


def copy_split(files: Dict[str, str], out_dir: str,
               size: Optional[Tuple[int, int]],
               progress: Callable[[Iterable], Iterable] = iter) -> List[str]:
    """Writes ``{new name: source path}`` into ``out_dir``; returns the
    source paths that could not be read (the rest is written)."""
    os.makedirs(out_dir, exist_ok=True)
    failed = []
    for name in progress(sorted(files)):
        try:
            write_image(files[name], osp.join(out_dir, name), size)
        except OSError:
            failed.append(files[name])
    return failed


def copy_csvs_and_check_pairs(root: str, out: str, split: str,
                              patterns: Tuple[str, str]) -> List[str]:
    """Copies the pairs and annotation CSVs of ``split`` (``patterns`` with
    a ``{}`` for the split, pairs first) from ``root`` to ``out`` and checks
    that every image a pair names was written to ``out/split``.

    Returns:
        list[str]: Problems found (empty when all is well).
    """
    problems = []
    for pattern in patterns:
        src = osp.join(root, pattern.format(split))
        if not osp.isfile(src):
            problems.append(f'missing CSV: {src}')
            continue
        shutil.copyfile(src, osp.join(out, pattern.format(split)))
    pairs = osp.join(out, patterns[0].format(split))
    if osp.isfile(pairs):
        missing = missing_pair_files(pairs, osp.join(out, split))
        if missing:
            problems.append(f'{len(missing)} images named by {pairs} are '
                            'missing, e.g.: ' + ', '.join(missing[:20]))
    return problems


def prepare_split(files: Dict[str, str], root: str, out: str, split: str,
                  size: Optional[Tuple[int, int]],
                  patterns: Tuple[str, str]) -> Tuple[int, List[str]]:
    """One split of a preparation tool: images written to ``out/split``
    (tqdm progress), CSVs copied, pairs checked.

    Returns:
        tuple: Images written, and the problems found (unreadable images,
        missing CSVs, images the pairs name but nobody wrote).
    """
    from tqdm import tqdm
    failed = copy_split(
        files, osp.join(out, split), size,
        progress=lambda it: tqdm(it, desc=split, unit='img'))
    problems = [f'unreadable: {path}' for path in failed]
    problems += copy_csvs_and_check_pairs(root, out, split, patterns)
    return len(files) - len(failed), problems


__all__ = [
    'deepfashion_name', 'read_pairs_csv', 'missing_pair_files',
    'write_image', 'copy_split', 'copy_csvs_and_check_pairs', 'prepare_split'
]
