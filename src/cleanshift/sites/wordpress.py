"""WordPress: the core version and the inventory of plugins and themes."""

from __future__ import annotations

import logging
import os
import re

from cleanshift.sites.cms import (
    Detection,
    has_files,
    match_version_file,
    note_missing_version,
)
from cleanshift.sites.files import WebRootReader
from cleanshift.sites.headers import clean_version
from cleanshift.sites.wordpress_inventory import (
    list_mu_plugins,
    list_plugins,
    list_themes,
)

logger = logging.getLogger(__name__)

VERSION_FILE = os.path.join(b"wp-includes", b"version.php")
INTERNAL_DIRS = frozenset({b"wp-admin", b"wp-includes", b"wp-content"})
_WP_VERSION = re.compile(
    rb"""^\s*\$wp_version\s*=\s*['"]([^'"\r\n]{1,64})['"]\s*;""", re.MULTILINE
)


def detect_wordpress(reader: WebRootReader, site_dir: bytes) -> Detection | None:
    """WordPress at ``site_dir``: core version, plugins and themes.

    Plugins and themes carry ``active: None``: which ones are switched on is
    kept in the database (``active_plugins``, ``stylesheet``, ``template``),
    not in files. Discovery reads files only; the agent and ``cleanshift
    scan`` then fill the flags from the site's database with
    ``cleanshift.dbscan.activation.fill_activation``, and leave None where
    that database cannot be read. Must-use plugins are listed with the
    others, with ``must_use: True`` and ``active: True``, because WordPress
    loads every one of them on every request.
    """
    if not has_files(reader, site_dir, VERSION_FILE):
        return None
    errors: list[str] = []
    version = read_wordpress_version(reader, site_dir, errors)
    content_dir = os.path.join(site_dir, b"wp-content")
    plugins = list_plugins(reader, site_dir, content_dir, errors)
    plugins.extend(list_mu_plugins(reader, site_dir, content_dir, errors))
    themes = list_themes(reader, site_dir, content_dir, errors)
    logger.debug(
        "WordPress %s at %r: %d plugin(s), %d theme(s)",
        version,
        site_dir,
        len(plugins),
        len(themes),
    )
    return Detection(
        cms="wordpress",
        version=version,
        internal_dirs=INTERNAL_DIRS,
        plugins=plugins,
        themes=themes,
        errors=errors,
    )


def read_wordpress_version(
    reader: WebRootReader, site_dir: bytes, errors: list[str]
) -> str | None:
    """The core version from ``wp-includes/version.php``, read as text."""
    match = match_version_file(reader, site_dir, VERSION_FILE, _WP_VERSION, errors)
    if match is None:
        return None
    version = clean_version(match.group(1))
    if version is None:
        note_missing_version(errors, VERSION_FILE)
    return version
