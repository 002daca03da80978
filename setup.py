# Copyright (c) OpenMMLab. All rights reserved.
"""Packaging of gfla_mm: metadata, the ``gfla_mm._ext`` extension and the
``.mim`` folder that lets ``mim train gfla_mm CONFIG`` find configs/tools.

Build with ``pip install --no-build-isolation -e .`` (``make test`` does):
the extension is compiled against the torch already installed, which an
isolated build environment would not see.
"""
import glob
import os
import os.path as osp
import shutil
import sys

from setuptools import find_packages, setup

ROOT = osp.dirname(osp.abspath(__file__))
CSRC = osp.join('gfla_mm', 'ops', 'csrc')
# Supported torch: 2.1 (the newest with prebuilt mmcv 2.1 wheels) and newer;
# CI tests 2.14.1. torch.compile/torch.export need 2.4 (torch.library
# custom ops, gfla_mm/ops/library.py).
MIN_TORCH = (2, 1)
MIM_ITEMS = ('configs', 'tools', 'model-index.yml')


def readme() -> str:
    with open(osp.join(ROOT, 'README.md'), encoding='utf-8') as f:
        return f.read()


def get_version() -> str:
    scope: dict = {}
    with open(osp.join(ROOT, 'gfla_mm', 'version.py'), encoding='utf-8') as f:
        exec(compile(f.read(), 'gfla_mm/version.py', 'exec'), scope)
    return scope['__version__']


def parse_requirements(name: str) -> list:
    """Requirement lines of ``requirements/<name>`` without comments."""
    reqs = []
    with open(osp.join(ROOT, 'requirements', name), encoding='utf-8') as f:
        for line in f:
            line = line.split('#', 1)[0].strip()
            if line:
                reqs.append(line)
    return reqs


def want_cuda() -> bool:
    import torch
    return os.getenv('FORCE_CUDA', '0') == '1' or torch.cuda.is_available()


def get_extensions() -> list:
    """The ``gfla_mm._ext`` extension in mmcv's csrc layout.

    CPU kernels always; CUDA kernels when CUDA is available or
    ``FORCE_CUDA=1``. Returns ``[]`` while the package has no C++ sources.
    """
    sources = sorted(
        glob.glob(osp.join(CSRC, 'pytorch', '*.cpp')) +
        glob.glob(osp.join(CSRC, 'pytorch', 'cpu', '*.cpp')))
    if not sources:
        return []
    # Headers: a change to one of them must rebuild the extension.
    depends = sorted(
        glob.glob(osp.join(CSRC, 'common', '*.hpp')) +
        glob.glob(osp.join(CSRC, 'common', 'cuda', '*.cuh')) +
        glob.glob(osp.join(CSRC, 'common', 'cuda', '*.hpp')))
    try:
        import torch
        from torch.utils import cpp_extension
    except ImportError as exc:
        raise RuntimeError(
            'gfla_mm compiles a C++ extension against the installed torch: '
            'install torch first, then `pip install --no-build-isolation '
            '-e .` (or run `make test`).') from exc
    version = tuple(int(v) for v in torch.__version__.split('.')[:2])
    if version < MIN_TORCH:
        raise RuntimeError(
            f'gfla_mm needs torch >= {".".join(map(str, MIN_TORCH))} (found '
            f'{torch.__version__}); CI tests torch 2.14.1. The ops are torch '
            'custom ops from torch 2.4, autograd Functions before.')
    include_dirs = [
        osp.abspath(osp.join(CSRC, 'common')),
        osp.abspath(osp.join(CSRC, 'common', 'cuda')),
        osp.abspath(osp.join(CSRC, 'pytorch')),
    ]
    # -g0: no debug info (it makes the .so 10x larger and the build slower).
    cxx_args = ['-std=c++20', '-O3', '-g0', '-fopenmp']
    define_macros = []
    extra_link_args = ['-fopenmp']
    if want_cuda():
        # torch guesses CUDA_HOME=/usr/local on some machines and then
        # cannot link -lcudart; the toolkit normally lives here.
        if not os.getenv('CUDA_HOME') and osp.exists('/usr/local/cuda'):
            os.environ['CUDA_HOME'] = '/usr/local/cuda'
            cpp_extension.CUDA_HOME = '/usr/local/cuda'
        # +PTX: GPUs newer than 9.0 JIT-compile the 9.0 PTX instead of failing
        # with "no kernel image"; older cards need their arch (docs/ops.md).
        os.environ.setdefault('TORCH_CUDA_ARCH_LIST', '8.0;9.0+PTX')
        sources += sorted(
            glob.glob(osp.join(CSRC, 'pytorch', 'cuda', '*.cu')) +
            glob.glob(osp.join(CSRC, 'pytorch', 'cuda', '*.cpp')))
        define_macros.append(('GFLA_WITH_CUDA', None))
        ext = cpp_extension.CUDAExtension(
            name='gfla_mm._ext',
            sources=sources,
            include_dirs=include_dirs,
            define_macros=define_macros,
            depends=depends,
            extra_compile_args={
                'cxx': cxx_args,
                'nvcc': ['-std=c++20', '-O3', '--expt-relaxed-constexpr'],
            },
            extra_link_args=extra_link_args)
    else:
        ext = cpp_extension.CppExtension(
            name='gfla_mm._ext',
            sources=sources,
            include_dirs=include_dirs,
            define_macros=define_macros,
            depends=depends,
            extra_compile_args={'cxx': cxx_args},
            extra_link_args=extra_link_args)
    return [ext]


def add_mim_extension() -> None:
    """Expose configs/, tools/ and model-index.yml under ``gfla_mm/.mim/``.

    mim and mmengine look there after ``pip install``. Editable installs get
    symlinks (edits show through); wheels and sdists get copies.
    """
    if any(cmd in sys.argv for cmd in ('develop', 'editable_wheel')):
        mode = 'symlink'
    elif any(cmd in sys.argv
             for cmd in ('sdist', 'bdist_wheel', 'build', 'install')):
        mode = 'copy'
    else:
        return
    mim_root = osp.join(ROOT, 'gfla_mm', '.mim')
    os.makedirs(mim_root, exist_ok=True)
    for item in MIM_ITEMS:
        src = osp.join(ROOT, item)
        dst = osp.join(mim_root, item)
        if osp.islink(dst) or osp.isfile(dst):
            os.remove(dst)
        elif osp.isdir(dst):
            shutil.rmtree(dst)
        if mode == 'symlink':
            os.symlink(osp.relpath(src, mim_root), dst)
        elif osp.isdir(src):
            shutil.copytree(src, dst)
        else:
            shutil.copy2(src, dst)


if __name__ == '__main__':
    add_mim_extension()
    ext_modules = get_extensions()
    cmdclass = {}
    if ext_modules:
        from torch.utils.cpp_extension import BuildExtension
        cmdclass['build_ext'] = BuildExtension.with_options(use_ninja=True)
    setup(
        name='gfla_mm',
        version=get_version(),
        description='GFLA (Global-Flow Local-Attention) pose-guided person '
        'image generation and animation for OpenMMLab mmagic',
        long_description=readme(),
        long_description_content_type='text/markdown',
        author='gfla_mm contributors',
        keywords='computer vision, pose transfer, person image generation, '
        'GAN, mmagic',
        url='https://github.com/gfla-mm/gfla_mm',
        license='Apache License 2.0',
        classifiers=[
            'Development Status :: 3 - Alpha',
            'License :: OSI Approved :: Apache Software License',
            'Operating System :: POSIX :: Linux',
            'Programming Language :: Python :: 3',
            'Programming Language :: Python :: 3.11',
            'Topic :: Scientific/Engineering :: Artificial Intelligence',
        ],
        python_requires='>=3.9',
        # gfla_mm only: configs/ and tools/ ship inside it as .mim/.
        packages=find_packages(include=('gfla_mm', 'gfla_mm.*')),
        include_package_data=True,
        install_requires=parse_requirements('runtime.txt'),
        extras_require={
            # mmpose itself goes in with --no-deps (requirements/mmpose.txt).
            'pose': parse_requirements('pose.txt'),
            # ONNX export and onnxruntime (tools/deployment/pytorch2onnx.py).
            'deploy': parse_requirements('deploy.txt'),
            # The browser demo (demo/web_demo.py).
            'web': parse_requirements('web.txt'),
            # The tests export to ONNX and run onnxruntime, and start the
            # web demo.
            'tests': parse_requirements('tests.txt') +
            parse_requirements('deploy.txt') + parse_requirements('web.txt'),
        },
        ext_modules=ext_modules,
        cmdclass=cmdclass,
        zip_safe=False)
