"""Site discovery under web roots.

Everything here reads files as text and never runs them: a site's PHP is
the attacker's code as much as the owner's.
"""

from __future__ import annotations

import logging
import os
import re
import stat
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from cleanshift.engine.paths import display_path

logger = logging.getLogger(__name__)

# How deep under a web root a site may sit (/var/www/example.com/public_html
# is two levels down); deeper folders belong to the sites above them.
MAX_SITE_DEPTH = 3
# How deep a folder is searched for PHP files before it counts as a site.
MAX_PHP_PROBE_DEPTH = 4
# Reading more than this of version.php would mean it is not WordPress's.
MAX_VERSION_FILE_BYTES = 64 * 1024
_WP_VERSION = re.compile(rb"""^\s*\$wp_version\s*=\s*['"]([^'"]{1,40})['"]\s*;""", re.M)


@dataclass
class Site:
    """A site found on disk."""

    path: str
    cms: str
    cms_version: str | None = None
    size_bytes: int = 0
    file_count: int = 0
    plugins: list[dict[str, Any]] = field(default_factory=list)
    themes: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """The check-in form of a site."""
        return asdict(self)


def discover_sites(web_roots: list[Path]) -> list[Site]:
    """Every site under the web roots: WordPress installs, then plain PHP."""
    sites: list[Site] = []
    for root in web_roots:
        raw_root = os.fsencode(root)
        if not os.path.isdir(raw_root):
            logger.warning("web root %s is not a directory; skipped", root)
            continue
        wordpress = _find_wordpress(raw_root, 0)
        sites.extend(wordpress)
        taken = {os.fsencode(site.path) for site in wordpress}
        sites.extend(_find_generic_php(raw_root, taken))

    for site in sites:
        site.size_bytes, site.file_count = _measure(os.fsencode(site.path))
    return sorted(sites, key=lambda site: site.path)


def wordpress_version(site_dir: bytes) -> str | None:
    """The core version from ``wp-includes/version.php``, read as text."""
    path = os.path.join(site_dir, b"wp-includes", b"version.php")
    try:
        with open(path, "rb") as handle:
            text = handle.read(MAX_VERSION_FILE_BYTES)
    except OSError:
        return None
    match = _WP_VERSION.search(text)
    return match.group(1).decode("ascii", "replace") if match else None


def _is_wordpress(directory: bytes) -> bool:
    marker = os.path.join(directory, b"wp-includes", b"version.php")
    try:
        return stat.S_ISREG(os.lstat(marker).st_mode)
    except OSError:
        return False


def _find_wordpress(directory: bytes, depth: int) -> list[Site]:
    if _is_wordpress(directory):
        return [
            Site(
                path=display_path(directory),
                cms="wordpress",
                cms_version=wordpress_version(directory),
            )
        ]
    if depth >= MAX_SITE_DEPTH:
        return []
    found: list[Site] = []
    for child in _subdirectories(directory):
        found.extend(_find_wordpress(child, depth + 1))
    return found


def _find_generic_php(web_root: bytes, taken: set[bytes]) -> list[Site]:
    """Children of the web root holding PHP that no CMS site covers."""
    sites = []
    for child in _subdirectories(web_root):
        if any(site == child or site.startswith(child + b"/") for site in taken):
            continue
        if _has_php(child, 0):
            sites.append(Site(path=display_path(child), cms="php"))
    return sites


def _has_php(directory: bytes, depth: int) -> bool:
    try:
        with os.scandir(directory) as listing:
            entries = list(listing)
    except OSError:
        return False
    for entry in entries:
        if entry.is_file(follow_symlinks=False) and entry.name.lower().endswith(
            b".php"
        ):
            return True
    if depth >= MAX_PHP_PROBE_DEPTH:
        return False
    return any(
        _has_php(entry.path, depth + 1)
        for entry in entries
        if entry.is_dir(follow_symlinks=False)
    )


def _subdirectories(directory: bytes) -> list[bytes]:
    try:
        with os.scandir(directory) as listing:
            return sorted(
                entry.path for entry in listing if entry.is_dir(follow_symlinks=False)
            )
    except OSError as error:
        logger.debug("cannot list %r: %s", directory, error)
        return []


def _measure(directory: bytes) -> tuple[int, int]:
    """Total bytes and count of the regular files below ``directory``."""
    total = count = 0
    for base, _dirs, files in os.walk(directory):
        for name in files:
            try:
                info = os.lstat(os.path.join(base, name))
            except OSError:
                continue
            if stat.S_ISREG(info.st_mode):
                total += info.st_size
                count += 1
    return total, count
