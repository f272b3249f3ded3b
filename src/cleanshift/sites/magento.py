"""Magento 2: recognised by ``app/etc/env.php``, versioned by Composer files.

A Magento 2 install has no version constant in PHP. Composer records it:
``composer.lock`` holds the exact version of the product metapackage
(``magento/product-community-edition``, or the enterprise one) and of
``magento/magento2-base``; ``vendor/magento/magento2-base/composer.json``
holds the latter too; and the root ``composer.json`` of a git checkout
(``magento/magento2ce``) carries a ``version`` of its own.
"""

from __future__ import annotations

import json
import logging
import os
import re
from typing import Any

from cleanshift.sites.cms import Detection, has_files, read_site_file
from cleanshift.sites.files import WebRootReader
from cleanshift.sites.headers import clean_version

logger = logging.getLogger(__name__)

ENV_FILE = os.path.join(b"app", b"etc", b"env.php")
MARKERS = (os.path.join(b"app", b"etc", b"di.xml"), os.path.join(b"bin", b"magento"))
LOCK_FILE = b"composer.lock"
ROOT_COMPOSER = b"composer.json"
BASE_COMPOSER = os.path.join(b"vendor", b"magento", b"magento2-base", b"composer.json")
# In order of preference: the product a shop bought, then the base code.
PACKAGES = (
    "magento/product-enterprise-edition",
    "magento/product-community-edition",
    "magento/magento2-base",
)
CHECKOUT_NAMES = ("magento/magento2ce", "magento/magento2ee")
# Magento's composer.lock is one to two megabytes.
LOCK_FILE_BYTES = 8 * 1024 * 1024
COMPOSER_FILE_BYTES = 256 * 1024
INTERNAL_DIRS = frozenset(
    {b"app", b"bin", b"dev", b"generated", b"lib", b"setup", b"var", b"vendor"}
)
_EXACT_VERSION = re.compile(r"v?\d+(?:\.\d+)*(?:-[0-9A-Za-z.]+)?")


def detect_magento(reader: WebRootReader, site_dir: bytes) -> Detection | None:
    """Magento 2 at ``site_dir``, with its version when Composer records it."""
    if not has_files(reader, site_dir, ENV_FILE):
        return None
    if not any(has_files(reader, site_dir, marker) for marker in MARKERS):
        return None
    errors: list[str] = []
    version = (
        _lock_version(reader, site_dir, errors)
        or _base_version(reader, site_dir, errors)
        or _root_version(reader, site_dir, errors)
    )
    if version is None:
        errors.append("composer files: no Magento version found")
    return Detection("magento", version, INTERNAL_DIRS, errors=errors)


def _lock_version(
    reader: WebRootReader, site_dir: bytes, errors: list[str]
) -> str | None:
    lock = _read_json(reader, site_dir, LOCK_FILE, LOCK_FILE_BYTES, errors)
    if lock is None:
        return None
    versions: dict[str, str] = {}
    for key in ("packages", "packages-dev"):
        packages = lock.get(key)
        if not isinstance(packages, list):
            continue
        for package in packages:
            if isinstance(package, dict) and package.get("name") in PACKAGES:
                version = clean_version(_text(package.get("version")))
                if version is not None:
                    versions.setdefault(package["name"], version.removeprefix("v"))
    return next((versions[name] for name in PACKAGES if name in versions), None)


def _base_version(
    reader: WebRootReader, site_dir: bytes, errors: list[str]
) -> str | None:
    base = _read_json(reader, site_dir, BASE_COMPOSER, COMPOSER_FILE_BYTES, errors)
    if base is None:
        return None
    return clean_version(_text(base.get("version")))


def _root_version(
    reader: WebRootReader, site_dir: bytes, errors: list[str]
) -> str | None:
    root = _read_json(reader, site_dir, ROOT_COMPOSER, COMPOSER_FILE_BYTES, errors)
    if root is None:
        return None
    if root.get("name") in CHECKOUT_NAMES:
        return clean_version(_text(root.get("version")))
    required = root.get("require")
    if not isinstance(required, dict):
        return None
    for name in PACKAGES:
        # Only a pinned version says what is installed; "^2.4" does not.
        constraint = _text(required.get(name))
        if constraint and _EXACT_VERSION.fullmatch(constraint):
            return clean_version(constraint.removeprefix("v"))
    return None


def _read_json(
    reader: WebRootReader,
    site_dir: bytes,
    relative: bytes,
    limit: int,
    errors: list[str],
) -> dict[str, Any] | None:
    data = read_site_file(reader, site_dir, relative, errors, limit + 1)
    if data is None:
        return None
    if len(data) > limit:
        errors.append(f"{relative.decode()}: larger than {limit} bytes; not read")
        return None
    try:
        parsed = json.loads(data)
    # RecursionError: a file of ten million "[" is valid input to json.loads.
    except (ValueError, RecursionError) as error:
        logger.debug("%r in %r is not JSON: %s", relative, site_dir, error)
        errors.append(f"{relative.decode()}: not valid JSON")
        return None
    return parsed if isinstance(parsed, dict) else None


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None
