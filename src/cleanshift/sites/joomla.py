"""Joomla: recognised by its version class and its administrator folder.

Joomla 3.8 and later keep the version in ``libraries/src/Version.php`` as
``MAJOR_VERSION``, ``MINOR_VERSION`` and ``PATCH_VERSION`` constants (plus
``EXTRA_VERSION`` for pre-releases, joined with a dash as Joomla's own
``getShortVersion()`` does). Joomla 2.5 to 3.7 keep ``RELEASE`` ("3.6") and
``DEV_LEVEL`` ("5") in ``libraries/cms/version/version.php``, and 1.5 in
``libraries/joomla/version.php``.
"""

from __future__ import annotations

import os
import re

from cleanshift.sites.cms import (
    Detection,
    has_files,
    note_missing_version,
    read_site_file,
)
from cleanshift.sites.files import WebRootReader
from cleanshift.sites.headers import clean_version

CONSTANTS_FILE = os.path.join(b"libraries", b"src", b"Version.php")
RELEASE_FILES = (
    os.path.join(b"libraries", b"cms", b"version", b"version.php"),
    os.path.join(b"libraries", b"joomla", b"version.php"),
)
INTERNAL_DIRS = frozenset(
    {
        b"administrator",
        b"api",
        b"cache",
        b"cli",
        b"components",
        b"includes",
        b"language",
        b"layouts",
        b"libraries",
        b"media",
        b"modules",
        b"plugins",
        b"templates",
        b"tmp",
    }
)
# `const X = 5;`, `public const X = '5';`, `public $X = '5';` or `var $X = '5';`
# (each form is used by some Joomla release).
_MEMBER = (
    rb"^[ \t]*(?:(?:public|final|protected|private|static|var)\s+)*"
    rb"(?:const\s+|\$)%s\s*=\s*['\"]?([0-9A-Za-z._-]{0,40})['\"]?\s*;"
)


def detect_joomla(reader: WebRootReader, site_dir: bytes) -> Detection | None:
    """Joomla at ``site_dir``, with its version when it can be read."""
    if not reader.is_dir(os.path.join(site_dir, b"administrator")):
        return None
    errors: list[str] = []
    if has_files(reader, site_dir, CONSTANTS_FILE):
        version = _constants_version(reader, site_dir, errors)
    else:
        release_file = next(
            (path for path in RELEASE_FILES if has_files(reader, site_dir, path)),
            None,
        )
        if release_file is None:
            return None
        version = _release_version(reader, site_dir, release_file, errors)
    return Detection("joomla", version, INTERNAL_DIRS, errors=errors)


def _constants_version(
    reader: WebRootReader, site_dir: bytes, errors: list[str]
) -> str | None:
    data = read_site_file(reader, site_dir, CONSTANTS_FILE, errors)
    if data is None:
        return None
    major, minor, patch, extra = (
        _member(data, name)
        for name in (
            b"MAJOR_VERSION",
            b"MINOR_VERSION",
            b"PATCH_VERSION",
            b"EXTRA_VERSION",
        )
    )
    if not (major and minor is not None and patch is not None):
        note_missing_version(errors, CONSTANTS_FILE)
        return None
    version = f"{major}.{minor or 0}.{patch or 0}" + (f"-{extra}" if extra else "")
    return _checked(version, errors, CONSTANTS_FILE)


def _release_version(
    reader: WebRootReader, site_dir: bytes, relative: bytes, errors: list[str]
) -> str | None:
    data = read_site_file(reader, site_dir, relative, errors)
    if data is None:
        return None
    release, level = _member(data, b"RELEASE"), _member(data, b"DEV_LEVEL")
    if not release:
        note_missing_version(errors, relative)
        return None
    return _checked(f"{release}.{level}" if level else release, errors, relative)


def _member(data: bytes, name: bytes) -> str | None:
    match = re.search(_MEMBER % re.escape(name), data, re.MULTILINE)
    return match.group(1).decode("ascii") if match else None


def _checked(version: str, errors: list[str], relative: bytes) -> str | None:
    cleaned = clean_version(version)
    if cleaned is None:
        note_missing_version(errors, relative)
    return cleaned
