"""What a CMS detector reports, and the shared way of reading a version.

Each detector (``wordpress``, ``joomla``, ``drupal``, ``magento``) looks at
one folder and returns a ``Detection`` when that folder is the CMS's root.
Versions are always read as text with a regular expression, never by
running PHP.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from cleanshift.engine.paths import display_path
from cleanshift.sites.files import SiteFileError, WebRootReader

logger = logging.getLogger(__name__)

# Version files are a few kilobytes (Drupal 7's bootstrap.inc is the largest,
# with its version near the top); reading more would only help an attacker.
VERSION_FILE_BYTES = 64 * 1024


@dataclass
class Detection:
    """A CMS found at a folder, with whatever was read about it.

    ``internal_dirs`` are the CMS's own folders: no other site lives in them,
    so the search for nested sites skips them.
    """

    cms: str
    version: str | None
    internal_dirs: frozenset[bytes] = frozenset()
    plugins: list[dict[str, Any]] = field(default_factory=list)
    themes: list[dict[str, Any]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


Detector = Callable[[WebRootReader, bytes], "Detection | None"]


def has_files(reader: WebRootReader, site_dir: bytes, *relatives: bytes) -> bool:
    """Whether every one of ``relatives`` is a regular file in the site."""
    return all(
        reader.is_file(os.path.join(site_dir, relative)) for relative in relatives
    )


def read_site_file(
    reader: WebRootReader,
    site_dir: bytes,
    relative: bytes,
    errors: list[str],
    limit: int = VERSION_FILE_BYTES,
) -> bytes | None:
    """The head of a file in the site; a failure is noted in ``errors``."""
    try:
        return reader.read_head(os.path.join(site_dir, relative), limit)
    except SiteFileError as error:
        logger.debug("cannot read %r in %r: %s", relative, site_dir, error)
        errors.append(f"{display_path(relative)}: {error}")
        return None


def match_version_file(
    reader: WebRootReader,
    site_dir: bytes,
    relative: bytes,
    pattern: re.Pattern[bytes],
    errors: list[str],
) -> re.Match[bytes] | None:
    """The first match of ``pattern`` in the head of a site's version file.

    A file that cannot be read, or that holds no match, is noted in
    ``errors``; a missing file is not (the caller knows whether it must exist).
    """
    data = read_site_file(reader, site_dir, relative, errors)
    if data is None:
        return None
    match = pattern.search(data)
    if match is None:
        note_missing_version(errors, relative)
    return match


def note_missing_version(errors: list[str], relative: bytes) -> None:
    """Record that a version file was read but held no usable version."""
    errors.append(f"{display_path(relative)}: no version found")
