# Copyright (c) OpenMMLab. All rights reserved.
__version__ = '0.1.0.dev0'


def parse_version_info(version_str: str) -> tuple:
    """Split a version string into a tuple of ints and a pre-release tag.

    Example: ``'0.1.0.dev0'`` -> ``(0, 1, 0, 'dev0')``.
    """
    parts = []
    for part in version_str.split('.'):
        parts.append(int(part) if part.isdigit() else part)
    return tuple(parts)


version_info = parse_version_info(__version__)

__all__ = ['__version__', 'version_info', 'parse_version_info']
