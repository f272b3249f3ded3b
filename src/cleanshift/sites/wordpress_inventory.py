"""WordPress plugins, must-use plugins and themes, read from their headers.

Each entry is a dict ready for the check-in: ``slug`` (the folder name, or
the file name without ``.php`` for a single-file plugin), ``name``,
``version``, ``version_source`` (``"header"``, ``"readme"`` or None),
``active`` and, for plugins, ``must_use`` and ``main_file`` (the path
WordPress's ``active_plugins`` option uses, such as
``akismet/akismet.php``). Themes carry ``template``: the parent theme's
slug when the theme is a child theme.
"""

from __future__ import annotations

import logging
import os
from typing import Any

from cleanshift.engine.paths import display_path
from cleanshift.sites.cms import read_site_file
from cleanshift.sites.files import Entry, SiteFileError, WebRootReader
from cleanshift.sites.headers import (
    HEADER_BYTES,
    clean_name,
    clean_version,
    read_file_headers,
    readme_stable_tag,
)

logger = logging.getLogger(__name__)

PLUGIN_HEADERS = ("Plugin Name", "Version")
THEME_HEADERS = ("Theme Name", "Version", "Template")
# WordPress reads every PHP file at the top of a plugin folder; a folder with
# thousands of them is not a plugin anyone maintains, so stop looking.
MAX_PLUGIN_FILES_READ = 100


def list_plugins(
    reader: WebRootReader, site_dir: bytes, content_dir: bytes, errors: list[str]
) -> list[dict[str, Any]]:
    """Plugins in ``wp-content/plugins``: folders and single PHP files."""
    plugins: list[dict[str, Any]] = []
    for entry in _entries(
        reader, site_dir, os.path.join(content_dir, b"plugins"), errors
    ):
        if entry.kind == "dir":
            plugin = _folder_plugin(reader, site_dir, entry, errors)
        elif entry.kind == "file" and entry.name.endswith(b".php"):
            plugin = _single_file_plugin(reader, site_dir, entry, errors)
        else:
            continue
        if plugin is not None:
            plugins.append(plugin)
    return plugins


def list_mu_plugins(
    reader: WebRootReader, site_dir: bytes, content_dir: bytes, errors: list[str]
) -> list[dict[str, Any]]:
    """Must-use plugins: every PHP file at the top of ``wp-content/mu-plugins``.

    WordPress loads them all, header or not, and never from subfolders.
    """
    plugins: list[dict[str, Any]] = []
    mu_dir = os.path.join(content_dir, b"mu-plugins")
    for entry in _entries(reader, site_dir, mu_dir, errors):
        if entry.kind != "file" or not entry.name.endswith(b".php"):
            continue
        headers = _headers(reader, site_dir, entry.path, PLUGIN_HEADERS, errors)
        version = clean_version(headers.get("Version"))
        plugins.append(
            _plugin(
                slug=entry.name[: -len(b".php")],
                name=headers.get("Plugin Name"),
                version=version,
                source="header" if version else None,
                main_file=entry.name,
                must_use=True,
            )
        )
    return plugins


def list_themes(
    reader: WebRootReader, site_dir: bytes, content_dir: bytes, errors: list[str]
) -> list[dict[str, Any]]:
    """Themes: folders of ``wp-content/themes`` whose ``style.css`` has a name."""
    themes: list[dict[str, Any]] = []
    themes_dir = os.path.join(content_dir, b"themes")
    for entry in _entries(reader, site_dir, themes_dir, errors):
        if entry.kind != "dir":
            continue
        style = os.path.join(entry.path, b"style.css")
        headers = _headers(reader, site_dir, style, THEME_HEADERS, errors)
        if "Theme Name" not in headers:
            logger.debug("%r has no theme header; not a theme", entry.path)
            continue
        readme = os.path.join(entry.path, b"readme.txt")
        version, source = _version(reader, site_dir, readme, headers, errors)
        template = headers.get("Template")
        themes.append(
            {
                "slug": display_path(entry.name),
                "name": clean_name(headers["Theme Name"]),
                "version": version,
                "version_source": source,
                "template": clean_name(template)
                if template and template.encode() != entry.name
                else None,
                "active": None,
            }
        )
    return themes


def _folder_plugin(
    reader: WebRootReader, site_dir: bytes, folder: Entry, errors: list[str]
) -> dict[str, Any] | None:
    try:
        files = _entries(reader, site_dir, folder.path, errors, strict=True)
    except SiteFileError:
        # Something is installed here even if it cannot be read: report it.
        return _plugin(
            slug=folder.name, name=None, version=None, source=None, main_file=None
        )
    php_files = [
        entry
        for entry in files
        if entry.kind == "file" and entry.name.endswith(b".php")
    ]
    # Most plugins name their main file after their folder: try it first.
    php_files.sort(key=lambda entry: (entry.name != folder.name + b".php", entry.name))
    main: Entry | None = None
    headers: dict[str, str] = {}
    for candidate in php_files[:MAX_PLUGIN_FILES_READ]:
        headers = _headers(reader, site_dir, candidate.path, PLUGIN_HEADERS, errors)
        if "Plugin Name" in headers:
            main = candidate
            break
    readme = next(
        (entry.path for entry in files if entry.name.lower() == b"readme.txt"), None
    )
    if main is None and readme is None:
        logger.debug("%r has neither a plugin header nor a readme", folder.path)
        return None
    if main is None:
        headers = {}
    version, source = _version(reader, site_dir, readme, headers, errors)
    return _plugin(
        slug=folder.name,
        name=headers.get("Plugin Name"),
        version=version,
        source=source,
        main_file=folder.name + b"/" + main.name if main else None,
    )


def _single_file_plugin(
    reader: WebRootReader, site_dir: bytes, entry: Entry, errors: list[str]
) -> dict[str, Any] | None:
    headers = _headers(reader, site_dir, entry.path, PLUGIN_HEADERS, errors)
    if "Plugin Name" not in headers:
        return None
    version = clean_version(headers.get("Version"))
    return _plugin(
        slug=entry.name[: -len(b".php")],
        name=headers["Plugin Name"],
        version=version,
        source="header" if version else None,
        main_file=entry.name,
    )


def _plugin(
    *,
    slug: bytes,
    name: str | None,
    version: str | None,
    source: str | None,
    main_file: bytes | None,
    must_use: bool = False,
) -> dict[str, Any]:
    return {
        "slug": display_path(slug),
        "name": clean_name(name),
        "version": version,
        "version_source": source,
        # Must-use plugins always run; for the others only the database knows.
        "active": True if must_use else None,
        "must_use": must_use,
        "main_file": display_path(main_file) if main_file is not None else None,
    }


def _version(
    reader: WebRootReader,
    site_dir: bytes,
    readme: bytes | None,
    headers: dict[str, str],
    errors: list[str],
) -> tuple[str | None, str | None]:
    """The header's version, else the readme's stable tag, with its source."""
    version = clean_version(headers.get("Version"))
    if version is not None:
        return version, "header"
    if readme is None:
        return None, None
    relative = os.path.relpath(readme, site_dir)
    data = read_site_file(reader, site_dir, relative, errors, HEADER_BYTES)
    tag = readme_stable_tag(data) if data is not None else None
    return (tag, "readme") if tag is not None else (None, None)


def _headers(
    reader: WebRootReader,
    site_dir: bytes,
    path: bytes,
    names: tuple[str, ...],
    errors: list[str],
) -> dict[str, str]:
    relative = os.path.relpath(path, site_dir)
    data = read_site_file(reader, site_dir, relative, errors, HEADER_BYTES)
    return read_file_headers(data, names) if data is not None else {}


def _entries(
    reader: WebRootReader,
    site_dir: bytes,
    directory: bytes,
    errors: list[str],
    *,
    strict: bool = False,
) -> list[Entry]:
    """A folder's visible entries; a link out of the web root is noted and left out.

    A folder that cannot be listed is noted in ``errors`` and gives no
    entries, or with ``strict`` raises ``SiteFileError`` after the note.
    """
    if not os.path.lexists(directory):
        return []
    try:
        entries = reader.list_dir(directory, follow_links=True)
    except SiteFileError as error:
        errors.append(f"{display_path(os.path.relpath(directory, site_dir))}: {error}")
        if strict:
            raise
        return []
    kept = []
    for entry in entries:
        if entry.name.startswith(b"."):
            continue
        if entry.kind == "outside":
            relative = os.path.relpath(entry.path, site_dir)
            errors.append(f"{display_path(relative)}: link leads out of the web root")
            continue
        kept.append(entry)
    return kept
