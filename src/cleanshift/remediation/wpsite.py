"""A WordPress site as the playbooks see it: its root, releases and plugins.

Everything is read as text, never run: the core version from
``wp-includes/version.php``, plugin and theme versions from their headers,
through the same readers site discovery uses.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path

from cleanshift.engine.paths import display_path
from cleanshift.remediation.errors import PayloadError, RemediationError
from cleanshift.remediation.pristine import plugin_release_name
from cleanshift.remediation.targets import find_wordpress_root
from cleanshift.sites.discovery import wordpress_version
from cleanshift.sites.files import WebRootReader
from cleanshift.sites.wordpress_inventory import list_plugins, list_themes

logger = logging.getLogger(__name__)

SOFTWARE_FOLDERS = {"plugin": b"plugins", "theme": b"themes"}


@dataclass(frozen=True)
class ReleaseFile:
    """Which release a site file belongs to, and its path inside the release."""

    name: str
    version: str
    relative: bytes


def locate_release(path: bytes, web_roots: list[Path]) -> ReleaseFile:
    """The release (core, plugin or theme) a site file comes from."""
    shown = display_path(path)
    site = find_wordpress_root(path, web_roots)
    if site is None:
        raise RemediationError(
            f"{shown} is not inside a WordPress site (no wp-includes/version.php "
            "above it); restore it from a backup"
        )
    relative = os.path.relpath(path, site)
    parts = relative.split(b"/")
    if (
        len(parts) > 3
        and parts[0] == b"wp-content"
        and parts[1] in (b"plugins", b"themes")
    ):
        software_type = "plugin" if parts[1] == b"plugins" else "theme"
        slug = parts[2].decode("utf-8", "replace")
        version = installed_version(site, software_type, slug)
        name = plugin_release_name(software_type, slug)
        return ReleaseFile(name, version, b"/".join(parts[3:]))
    core_version = wordpress_version(site)
    if core_version is None:
        raise RemediationError(
            f"cannot read the WordPress version of {display_path(site)}; "
            "restore the file from a backup"
        )
    return ReleaseFile("wordpress", core_version, relative)


def installed_version(site: bytes, software_type: str, slug: str) -> str:
    """The version a plugin's or theme's header states, read as text."""
    reader = WebRootReader(site)
    content = os.path.join(site, b"wp-content")
    errors: list[str] = []
    if software_type == "plugin":
        found = list_plugins(reader, site, content, errors)
    else:
        found = list_themes(reader, site, content, errors)
    for entry in found:
        if entry["slug"] == slug and entry.get("version"):
            return str(entry["version"])
    raise RemediationError(
        f"cannot read the version of the {software_type} {slug} in "
        f"{display_path(site)}; restore the file from a backup"
    )


def software_folder(site_path: str, software_type: str, slug: str) -> bytes:
    """``wp-content/plugins/<slug>`` (or ``themes``) of a site, checked."""
    folder = SOFTWARE_FOLDERS.get(software_type)
    if folder is None:
        raise PayloadError(
            f"cannot disable software of type {software_type!r}; only plugins "
            "and themes"
        )
    if not slug or "/" in slug or "\0" in slug or slug in (".", ".."):
        raise PayloadError(f"{slug!r} is not a plugin or theme slug")
    return os.path.join(
        os.fsencode(site_path), b"wp-content", folder, os.fsencode(slug)
    )
