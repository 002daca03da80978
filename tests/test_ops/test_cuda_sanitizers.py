# Copyright (c) OpenMMLab. All rights reserved.
"""The emulated CUDA kernels under ThreadSanitizer and under
AddressSanitizer + UndefinedBehaviorSanitizer (incl. float-cast-overflow).

Each run is ``test_cuda_emulation.py`` (its small cases) in a Python started
with the sanitizer's runtime preloaded; a report ends that process with a
non-zero status, which fails the test with the report. The canaries show
that each sanitizer does report the bug it is here for.
"""
import os
import subprocess
import sys

import pytest

from .cuda_emulation import build as emulation

HERE = os.path.dirname(os.path.abspath(__file__))
REPORTS = ('WARNING: ThreadSanitizer', 'ERROR: AddressSanitizer',
           'runtime error:')


# Uninstrumented third-party libraries the runs do not need, kept out of the
# process: onnxruntime (the deploy extra; diffusers imports it whenever it is
# installed) makes TSan report its own thread pool's teardown at exit.
UNCHECKED_MODULES = ('onnxruntime', )
PYTEST = ('import sys; sys.modules.update(dict.fromkeys({!r})); '
          'import pytest; sys.exit(pytest.main(sys.argv[1:]))').format(
              UNCHECKED_MODULES)


def sanitized(variant, args, timeout=900):
    """``python ARGS`` (``-m pytest`` runs pytest without
    :data:`UNCHECKED_MODULES`) under ``variant``."""
    env = emulation.sanitizer_env(variant, dict(os.environ))
    env['CUDA_VISIBLE_DEVICES'] = ''
    if args[:2] == ['-m', 'pytest']:
        args = ['-c', PYTEST, *args[2:]]
    return subprocess.run([sys.executable, *args],
                          cwd=emulation.REPO_ROOT,
                          env=env,
                          capture_output=True,
                          text=True,
                          timeout=timeout)


def reports(proc):
    return [r for r in REPORTS if r in proc.stderr + proc.stdout]


pytestmark = pytest.mark.slow


@pytest.mark.skipif(
    os.environ.get(emulation.VARIANT_ENV, 'plain') != 'plain',
    reason='already inside a sanitized run')
@pytest.mark.parametrize('variant', ['tsan', 'asan'])
def test_emulated_kernels_pass_under_sanitizer(variant):
    # -s: a sanitizer aborts the process, and a report pytest captured
    # would be lost with it.
    proc = sanitized(variant, [
        '-m', 'pytest', '-q', '-x', '-s', '-p', 'no:cacheprovider',
        os.path.join(HERE, 'test_cuda_emulation.py')
    ])
    found = reports(proc)
    assert proc.returncode == 0 and not found, (
        f'{variant}: exit {proc.returncode}, reports {found}\n'
        f'--- stdout ---\n{proc.stdout[-6000:]}\n'
        f'--- stderr ---\n{proc.stderr[-12000:]}')
    assert ' passed' in proc.stdout, proc.stdout[-2000:]


CANARIES = [
    # (variant, canary, report expected in the output)
    ('tsan', 'missing_barrier', 'WARNING: ThreadSanitizer: data race'),
    ('asan', 'shared_underflow',
     'ERROR: AddressSanitizer: heap-buffer-overflow'),
    ('asan', 'float_cast',
     'is outside the range of representable values of type'),
]


@pytest.mark.parametrize('variant,name,report', CANARIES)
def test_sanitizer_reports_the_bug_it_is_for(variant, name, report):
    proc = sanitized(variant, [emulation.__file__, 'canary', variant, name],
                     timeout=300)
    assert proc.returncode != 0, proc.stdout + proc.stderr[-4000:]
    assert report in proc.stderr, proc.stderr[-4000:]


@pytest.mark.parametrize('variant', ['tsan', 'asan'])
def test_sanitizers_quiet_on_correct_kernels(variant):
    """No report from the emulation itself: a barrier-synchronised block sum
    and atomics across blocks and slots."""
    for name in ('block_sum', 'atomics', 'uninitialised_shared'):
        proc = sanitized(variant,
                         [emulation.__file__, 'canary', variant, name],
                         timeout=300)
        assert proc.returncode == 0 and not reports(proc), (
            name, proc.stderr[-4000:])
        assert proc.stdout.startswith('0 '), proc.stdout
