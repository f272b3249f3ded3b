"""Drupal: 8 and later by ``core/lib/Drupal.php``, 6 and 7 by ``includes/``.

Drupal 8+ declares ``const VERSION = '10.2.3';`` in its ``Drupal`` class.
Drupal 7 calls ``define('VERSION', '7.98');`` in ``includes/bootstrap.inc``;
Drupal 6 makes the same call in ``modules/system/system.module``.
"""

from __future__ import annotations

import os
import re

from cleanshift.sites.cms import Detection, has_files, match_version_file
from cleanshift.sites.files import WebRootReader
from cleanshift.sites.headers import clean_version

MODERN_FILE = os.path.join(b"core", b"lib", b"Drupal.php")
BOOTSTRAP_FILE = os.path.join(b"includes", b"bootstrap.inc")
SYSTEM_MODULE = os.path.join(b"modules", b"system", b"system.module")
MODERN_INTERNAL_DIRS = frozenset(
    {b"core", b"modules", b"profiles", b"sites", b"themes", b"vendor"}
)
LEGACY_INTERNAL_DIRS = frozenset(
    {b"includes", b"misc", b"modules", b"profiles", b"scripts", b"sites", b"themes"}
)
_CONST_VERSION = re.compile(
    rb"""^[ \t]*(?:public\s+)?const\s+VERSION\s*=\s*['"]([^'"\r\n]{1,64})['"]\s*;""",
    re.MULTILINE,
)
_DEFINE_VERSION = re.compile(
    rb"""define\s*\(\s*['"]VERSION['"]\s*,\s*['"]([^'"\r\n]{1,64})['"]\s*\)"""
)


def detect_drupal(reader: WebRootReader, site_dir: bytes) -> Detection | None:
    """Drupal at ``site_dir``, with its version when it can be read."""
    errors: list[str] = []
    if has_files(reader, site_dir, MODERN_FILE):
        match = match_version_file(
            reader, site_dir, MODERN_FILE, _CONST_VERSION, errors
        )
        version = clean_version(match.group(1)) if match else None
        return Detection("drupal", version, MODERN_INTERNAL_DIRS, errors=errors)

    if not has_files(reader, site_dir, BOOTSTRAP_FILE, SYSTEM_MODULE):
        return None
    # Drupal 6's bootstrap.inc has no VERSION, so its absence there is only
    # worth noting when system.module has none either.
    version_errors: list[str] = []
    match = match_version_file(
        reader, site_dir, BOOTSTRAP_FILE, _DEFINE_VERSION, version_errors
    )
    if match is None:
        match = match_version_file(
            reader, site_dir, SYSTEM_MODULE, _DEFINE_VERSION, errors
        )
        if match is None:
            errors[:0] = version_errors
    version = clean_version(match.group(1)) if match else None
    return Detection("drupal", version, LEGACY_INTERNAL_DIRS, errors=errors)
