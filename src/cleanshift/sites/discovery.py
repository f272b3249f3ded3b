"""Site discovery under web roots.

Everything here reads files as text and never runs them: a site's PHP is
the attacker's code as much as the owner's. Each folder down to
``MAX_SITE_DEPTH`` below a web root is checked for a CMS (WordPress, Joomla,
Drupal, Magento 2, in that order); the search goes on inside a CMS site,
skipping the CMS's own folders, so a WordPress in another site's ``/blog``
is found as a site of its own. Children of a web root that hold PHP but no
CMS are reported as generic ``php`` sites.
"""

from __future__ import annotations

import logging
import os
import stat
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from cleanshift.engine.paths import display_path, raw_path_field
from cleanshift.sites.cms import Detection, Detector
from cleanshift.sites.drupal import detect_drupal
from cleanshift.sites.files import SiteFileError, WebRootReader
from cleanshift.sites.joomla import detect_joomla
from cleanshift.sites.magento import detect_magento
from cleanshift.sites.vhosts import VirtualHost, find_vhost_roots, match_virtual_hosts
from cleanshift.sites.wordpress import detect_wordpress, read_wordpress_version

logger = logging.getLogger(__name__)

# How deep under a web root a site may sit (/var/www/example.com/public_html
# is two levels down, a blog inside it three); deeper folders belong to the
# sites above them.
MAX_SITE_DEPTH = 3
# How deep a folder is searched for PHP files before it counts as a site.
MAX_PHP_PROBE_DEPTH = 4
# A shared host's /home can hold tens of thousands of accounts; beyond this a
# folder is an attack on the walk, not a list of sites.
MAX_SUBDIRECTORIES = 100_000
# A check-in carries every site; a hostile tree must not make it huge.
MAX_ERRORS_PER_SITE = 20
DETECTORS: tuple[Detector, ...] = (
    detect_wordpress,
    detect_joomla,
    detect_drupal,
    detect_magento,
)


@dataclass
class Site:
    """A site found on disk, in the form the agent reports it.

    ``plugins`` and ``themes`` are filled for WordPress (see
    ``cleanshift.sites.wordpress``); ``url`` and ``vhost`` come from the web
    server configuration when a virtual host serves the site; ``raw_path``
    is set when ``path`` is not valid UTF-8; ``errors`` lists what could
    not be read, relative to the site.
    """

    path: str
    cms: str
    cms_version: str | None = None
    size_bytes: int = 0
    file_count: int = 0
    plugins: list[dict[str, Any]] = field(default_factory=list)
    themes: list[dict[str, Any]] = field(default_factory=list)
    url: str | None = None
    raw_path: str | None = None
    vhost: dict[str, Any] | None = None
    errors: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """The check-in form of a site."""
        return asdict(self)


def discover_sites(
    web_roots: list[Path], *, virtual_hosts: Sequence[VirtualHost] | None = None
) -> list[Site]:
    """Every site under the web roots: CMS installs, then plain PHP.

    ``virtual_hosts`` give sites their URLs; None reads the system's web
    server configuration with ``find_vhost_roots()``.
    """
    found: dict[bytes, Site] = {}
    for root in web_roots:
        raw_root = os.fsencode(root)
        if not os.path.isdir(raw_root):
            logger.warning("web root %s is not a directory; skipped", root)
            continue
        reader = WebRootReader(raw_root)
        cms_sites = _find_cms_sites(reader, raw_root, 0)
        taken = set(cms_sites)
        generic = _find_generic_php(reader, raw_root, taken)
        for raw_path, site in [*cms_sites.items(), *generic.items()]:
            found.setdefault(raw_path, site)

    hosts = _system_virtual_hosts() if virtual_hosts is None else virtual_hosts
    matches = match_virtual_hosts(list(found), hosts)
    for raw_path, site in found.items():
        site.size_bytes, site.file_count = _measure(raw_path)
        if raw_path in matches:
            site.url, host = matches[raw_path]
            site.vhost = host.to_dict()
    return sorted(found.values(), key=lambda site: site.path)


def wordpress_version(site_dir: bytes) -> str | None:
    """The core version of the WordPress at ``site_dir``, read as text.

    Reads stay inside ``site_dir``; None when there is no readable version.
    """
    return read_wordpress_version(WebRootReader(site_dir), site_dir, [])


def detect_cms(reader: WebRootReader, directory: bytes) -> Detection | None:
    """The first CMS whose markers are in ``directory``, or None."""
    for detector in DETECTORS:
        try:
            detection = detector(reader, directory)
        except Exception:
            # The folder is attacker-shaped input; a detector bug it triggers
            # must cost that folder, not the agent's whole check-in.
            logger.exception("CMS detection failed in %r", directory)
            continue
        if detection is not None:
            return detection
    return None


def _system_virtual_hosts() -> list[VirtualHost]:
    try:
        return find_vhost_roots()
    except Exception:
        # Without URLs the sites are still worth reporting.
        logger.exception("reading the web server configuration failed")
        return []


def _find_cms_sites(
    reader: WebRootReader, directory: bytes, depth: int
) -> dict[bytes, Site]:
    found: dict[bytes, Site] = {}
    detection = detect_cms(reader, directory)
    skipped: frozenset[bytes] = frozenset()
    if detection is not None:
        found[directory] = _site_from(directory, detection)
        skipped = detection.internal_dirs
    if depth >= MAX_SITE_DEPTH:
        return found
    for child in _subdirectories(reader, directory):
        if os.path.basename(child) not in skipped:
            found.update(_find_cms_sites(reader, child, depth + 1))
    return found


def _site_from(directory: bytes, detection: Detection) -> Site:
    errors = detection.errors[:MAX_ERRORS_PER_SITE]
    if len(detection.errors) > MAX_ERRORS_PER_SITE:
        errors.append(f"and {len(detection.errors) - MAX_ERRORS_PER_SITE} more")
    return Site(
        path=display_path(directory),
        raw_path=raw_path_field(directory),
        cms=detection.cms,
        cms_version=detection.version,
        plugins=detection.plugins,
        themes=detection.themes,
        errors=errors,
    )


def _find_generic_php(
    reader: WebRootReader, web_root: bytes, taken: set[bytes]
) -> dict[bytes, Site]:
    """Children of the web root with PHP of their own, outside any CMS site.

    A folder whose only PHP is a CMS site inside it (``example.com`` holding
    a WordPress in ``public_html``) is not a site; one with PHP beside the
    CMS (an app at the top, a WordPress in ``/blog``) is.
    """
    sites: dict[bytes, Site] = {}
    if web_root in taken:
        # Its folders are the CMS's own, or belong to it.
        return sites
    for child in _subdirectories(reader, web_root):
        if child not in taken and _has_php(reader, child, 0, taken):
            sites[child] = Site(
                path=display_path(child), raw_path=raw_path_field(child), cms="php"
            )
    return sites


def _has_php(
    reader: WebRootReader, directory: bytes, depth: int, taken: set[bytes]
) -> bool:
    try:
        entries = reader.list_dir(directory, follow_links=False)
    except SiteFileError:
        return False
    if any(e.kind == "file" and e.name.lower().endswith(b".php") for e in entries):
        return True
    if depth >= MAX_PHP_PROBE_DEPTH:
        return False
    return any(
        _has_php(reader, entry.path, depth + 1, taken)
        for entry in entries
        if entry.kind == "dir" and entry.path not in taken
    )


def _subdirectories(reader: WebRootReader, directory: bytes) -> list[bytes]:
    """Real folders only: a link could loop or lead out of the web root."""
    try:
        entries = reader.list_dir(
            directory, follow_links=False, limit=MAX_SUBDIRECTORIES
        )
    except SiteFileError as error:
        logger.debug("cannot list %r: %s", directory, error)
        return []
    return [entry.path for entry in entries if entry.kind == "dir"]


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
