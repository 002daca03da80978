# Copyright (c) OpenMMLab. All rights reserved.
"""GFLA in the browser: upload a person photo (or pick a test image), drag
the skeleton's joints or pick a test pose, and see the generated person with
its flow fields and occlusion masks; a second tab animates the photo along a
pose sequence to a video. Served on localhost (docs/web_demo.md).

Example::

    python demo/web_demo.py configs/gfla/gfla_synthetic_demo.py \\
        work_dirs/gfla_synthetic_demo/iter_800.pth --port 7860
    # then open http://127.0.0.1:7860

A small FastAPI app: one static page (demo/web_demo/static/) and a JSON
API over :class:`DemoBackend` (demo/web_demo/backend.py), which holds the
logic and is tested without a browser.
"""
import argparse
import functools
import importlib.util
import json
import logging
import os.path as osp
import sys
from typing import Annotated, Optional

HERE = osp.dirname(osp.abspath(__file__))
STATIC_DIR = osp.join(HERE, 'web_demo', 'static')
BACKEND_FILE = osp.join(HERE, 'web_demo', 'backend.py')
logger = logging.getLogger('gfla_web_demo')


def load_backend():
    """``demo/web_demo/backend.py`` as a module (demo/ is no package)."""
    name = 'gfla_web_demo_backend'
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, BACKEND_FILE)
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


def create_app(backend):
    """The FastAPI app serving the page and ``backend``'s API.

    Every error reaches the page as ``{"error": message}`` with the
    :class:`DemoError`'s status (500 for anything unexpected, logged).
    """
    from fastapi import FastAPI, File, Form, Request, UploadFile
    from fastapi.exceptions import RequestValidationError
    from fastapi.responses import FileResponse, JSONResponse, Response
    from fastapi.staticfiles import StaticFiles
    from pydantic import BaseModel

    DemoError = load_backend().DemoError
    app = FastAPI(title='GFLA web demo', docs_url=None, redoc_url=None)
    # Multipart framing on top of two files at the byte limit.
    max_body = 2 * backend.max_upload_bytes + 64 * 1024

    @app.exception_handler(DemoError)
    def demo_error(request: Request, exc: DemoError):
        return JSONResponse({'error': exc.message}, status_code=exc.status)

    @app.exception_handler(RequestValidationError)
    def bad_request(request: Request, exc: RequestValidationError):
        problems = '; '.join(
            f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}"
            for e in exc.errors())
        return JSONResponse({'error': f'bad request ({problems})'},
                            status_code=422)

    @app.exception_handler(Exception)
    def internal_error(request: Request, exc: Exception):
        logger.exception('%s %s failed', request.method, request.url.path)
        return JSONResponse(
            {'error': f'internal error: {type(exc).__name__}: {exc}'},
            status_code=500)

    @app.middleware('http')
    async def limit_body(request: Request, call_next):
        # Refuse an oversized upload before it is read.
        length = request.headers.get('content-length')
        if length and length.isdigit() and int(length) > max_body:
            return JSONResponse(
                {'error': f'the upload is {int(length) / 2**20:.1f} MB; '
                 'files are limited to '
                 f'{backend.max_upload_bytes / 2**20:g} MB'},
                status_code=413)
        return await call_next(request)

    def read(upload: Optional[UploadFile]) -> Optional[bytes]:
        """At most one byte over the limit (the backend reports it)."""
        if upload is None or not upload.filename:
            return None
        return upload.file.read(backend.max_upload_bytes + 1)

    class Select(BaseModel):
        index: int

    class Generate(BaseModel):
        source_id: str
        pose: list

    @app.get('/')
    def index():
        return FileResponse(osp.join(STATIC_DIR, 'index.html'))

    @app.get('/api/health')
    def health():
        return {'ready': True}

    @app.get('/api/info')
    def info():
        return backend.info()

    @app.get('/api/gallery/{index}.jpg')
    def thumbnail(index: int):
        return Response(backend.gallery_thumbnail(index),
                        media_type='image/jpeg')

    @app.post('/api/upload')
    def upload(image: Annotated[UploadFile, File()],
               keypoints: Annotated[Optional[UploadFile], File()] = None):
        data = read(image)
        if data is None:
            raise DemoError('choose a photo to upload')
        kps = read(keypoints)
        return backend.upload(data, image.filename, kps,
                              keypoints.filename if kps else '')

    @app.post('/api/select')
    def select(body: Select):
        return backend.select(body.index)

    @app.post('/api/generate')
    def generate(body: Generate):
        return backend.generate(body.source_id, body.pose)

    @app.post('/api/animate')
    def animate(source_id: Annotated[str, Form()],
                mode: Annotated[str, Form()] = 'gallery',
                fps: Annotated[float, Form()] = 8.0,
                inbetween: Annotated[int, Form()] = 3,
                pose: Annotated[Optional[str], Form()] = None,
                frame_h: Annotated[Optional[int], Form()] = None,
                frame_w: Annotated[Optional[int], Form()] = None,
                sequence: Annotated[Optional[UploadFile], File()] = None):
        try:
            target = json.loads(pose) if pose else None
        except json.JSONDecodeError:
            raise DemoError('the target pose is not JSON') from None
        data = read(sequence)
        return backend.animate(
            source_id, mode, fps,
            pose=target,
            sequence=(data, sequence.filename) if data else None,
            sequence_frame=(frame_h, frame_w) if frame_h and frame_w else
            None,
            inbetween=inbetween)

    app.mount('/static', StaticFiles(directory=STATIC_DIR), name='static')
    return app


def parse_args(argv=None) -> argparse.Namespace:
    from gfla_mm.apis.pose_extraction import add_pose_extractor_args
    parser = argparse.ArgumentParser(
        description='Serve the GFLA pose-transfer demo page on localhost.')
    parser.add_argument('config', help='GFLA config file')
    parser.add_argument('checkpoint', help="checkpoint file, or 'none' for "
                        'random weights (a smoke test)')
    parser.add_argument('--host', default='127.0.0.1',
                        help='address to listen on (default: 127.0.0.1, '
                        'this machine only)')
    parser.add_argument('--port', type=int, default=7860)
    parser.add_argument('--device', default=None,
                        help="e.g. 'cpu', 'cuda:0' (default: CUDA if any)")
    parser.add_argument('--data-root', default=None,
                        help="the test dataset's root (the gallery of test "
                        "images and poses; default: the config's)")
    parser.add_argument('--gallery-size', type=int, default=48,
                        help='test images and poses offered')
    parser.add_argument('--max-upload-mb', type=float, default=10,
                        help='largest upload accepted (default: 10 MB)')
    parser.add_argument('--max-side', type=int, default=4096,
                        help='largest image side accepted (default: 4096)')
    parser.add_argument(
        '--animation-config',
        help='a configs/gfla_animation/ config: the animation tab runs '
        "GFLA's animation model (default: the image model, frame by frame)")
    parser.add_argument('--animation-checkpoint',
                        help='its checkpoint (with --animation-config)')
    add_pose_extractor_args(parser)
    args = parser.parse_args(argv)
    if args.animation_checkpoint and not args.animation_config:
        parser.error('--animation-checkpoint needs --animation-config')
    return args


def main(argv=None) -> int:
    args = parse_args(argv)
    import uvicorn

    from gfla_mm.apis.pose_extraction import pose_extractor_kwargs
    logging.basicConfig(level=logging.INFO, format='%(message)s')
    backend_module = load_backend()
    pose_kwargs = pose_extractor_kwargs(args)
    try:
        animation = {}
        if args.animation_config:
            from gfla_mm.apis import AnimationInferencer
            animation = dict(
                animator=functools.partial(
                    backend_module.animation_model_frames,
                    AnimationInferencer(
                        args.animation_config, args.animation_checkpoint,
                        device=args.device, show_progress=False,
                        **pose_kwargs)),
                animator_name=osp.basename(args.animation_config))
        backend = backend_module.DemoBackend(
            args.config,
            None if args.checkpoint == 'none' else args.checkpoint,
            device=args.device,
            data_root=args.data_root,
            gallery_size=args.gallery_size,
            max_upload_bytes=int(args.max_upload_mb * 2**20),
            max_side=args.max_side,
            **animation,
            **pose_kwargs)
    except (OSError, ValueError, TypeError, KeyError) as exc:
        print(f'error: {exc}', file=sys.stderr)
        return 1
    if backend.gallery_message:
        logger.warning('gallery: %s', backend.gallery_message)
    logger.info('GFLA web demo: http://%s:%d (%d test images in the '
                'gallery)', args.host, args.port, len(backend.gallery))
    uvicorn.run(create_app(backend), host=args.host, port=args.port,
                log_level='warning')
    return 0


if __name__ == '__main__':
    sys.exit(main())
