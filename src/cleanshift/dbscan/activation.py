"""Which WordPress plugins and themes are switched on, as the database says.

Site discovery reads files only, so it lists plugins and themes with
``active: None``. ``fill_activation`` logs in, read-only, to the database
the site's ``wp-config.php`` names and sets ``active`` from the
``active_plugins`` option, the network's ``active_sitewide_plugins`` on a
multisite install, and the ``stylesheet`` and ``template`` options (the
active theme and its parent). Must-use plugins always run and keep
``active: True``.

A database that cannot be read leaves the flags None and costs one warning
per site and cause, however often the agent looks again.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from cleanshift.dbscan.connection import (
    MYSQL_ERRORS,
    Connection,
    close_quietly,
    connect_read_only,
    describe_mysql_error,
    quote_identifier,
    require_table,
    table_exists,
)
from cleanshift.dbscan.errors import (
    CredentialsError,
    DatabaseAccessError,
    DbScanError,
    MissingTableError,
)
from cleanshift.dbscan.phpserial import SerialValue
from cleanshift.dbscan.siteconfig import WORDPRESS, read_site_config
from cleanshift.dbscan.wordpress_options import parse_option, read_option
from cleanshift.engine.paths import path_from_fields
from cleanshift.sites.discovery import Site

logger = logging.getLogger(__name__)

# Discovery runs before every agent check-in that finds it stale; a server
# that does not answer must not hold the check-in up for long.
CONNECT_TIMEOUT_SECONDS = 3
READ_TIMEOUT_SECONDS = 10
THEME_OPTIONS = ("stylesheet", "template")

# (site path, message) pairs already warned about: the agent looks again
# every few minutes, and one broken site must not fill its log.
_warned: set[tuple[str, str]] = set()


@dataclass(frozen=True)
class ActiveSoftware:
    """What a WordPress database says is switched on.

    ``plugin_files`` are main files as ``active_plugins`` names them
    (``akismet/akismet.php``, ``hello.php``); ``theme_slugs`` are theme
    folder names.
    """

    plugin_files: frozenset[str]
    theme_slugs: frozenset[str]


def fill_activations(sites: Iterable[Site]) -> list[Site]:
    """``fill_activation`` on each site, in order."""
    return [fill_activation(site) for site in sites]


def fill_activation(site: Site) -> Site:
    """The site, its WordPress plugins and themes marked active or not.

    Other CMSes, and WordPress sites whose database cannot be read, come
    back unchanged; a database problem is logged, never raised.
    """
    if site.cms != WORDPRESS or not _has_flags_to_fill(site):
        return site
    folder = Path(os.fsdecode(path_from_fields(site.path, site.raw_path)))
    try:
        active = read_active_software(folder)
    except (DbScanError, OSError) as error:
        _warn_once(site.path, error)
        return site
    except Exception:
        # The config and the database are the site's, possibly an attacker's;
        # a bug they trigger must cost these flags, not the agent's check-in.
        logger.exception("reading which plugins of %s are active failed", site.path)
        return site
    mark_active(site, active)
    return site


def read_active_software(site_folder: Path) -> ActiveSoftware:
    """Read what is switched on from the database of the WordPress at the folder.

    Raises ``DbScanError``: ``CredentialsError`` for an unreadable
    ``wp-config.php``, ``DatabaseAccessError`` when the server cannot be
    reached or refuses the login or a query, ``MissingTableError`` for a
    wrong table prefix, and the base class for a malformed option.
    """
    config = read_site_config(site_folder)
    if config.cms != WORDPRESS:
        raise CredentialsError(f"{config.config_file.name} is not WordPress's")
    connection = connect_read_only(
        config.credentials,
        connect_timeout=CONNECT_TIMEOUT_SECONDS,
        read_timeout=READ_TIMEOUT_SECONDS,
    )
    try:
        return _read_active(connection, config.prefix)
    except MYSQL_ERRORS as error:
        message = config.credentials.redact(describe_mysql_error(error))
        # Not chained: the original error is the unredacted one.
        raise DatabaseAccessError(message) from None
    finally:
        close_quietly(connection)


def mark_active(site: Site, active: ActiveSoftware) -> None:
    """Set ``active`` on the site's plugins and themes; must-use ones stay True.

    A plugin whose main file could not be found is active when an active
    entry lies in its folder: WordPress loads the file the entry names,
    header or not.
    """
    active_folders = {
        entry.split("/", 1)[0] for entry in active.plugin_files if "/" in entry
    }
    for plugin in site.plugins:
        if plugin.get("must_use"):
            continue
        main_file = plugin.get("main_file")
        if main_file is None:
            plugin["active"] = plugin.get("slug") in active_folders
        else:
            plugin["active"] = main_file in active.plugin_files
    for theme in site.themes:
        theme["active"] = theme.get("slug") in active.theme_slugs


def _has_flags_to_fill(site: Site) -> bool:
    return bool(site.themes) or any(not p.get("must_use") for p in site.plugins)


def _read_active(connection: Connection, prefix: str) -> ActiveSoftware:
    options = f"{prefix}options"
    require_table(connection, options)
    plugins = set(_site_plugins(connection, options))

    sitemeta = f"{prefix}sitemeta"
    if table_exists(connection, sitemeta):
        plugins.update(_network_plugins(connection, sitemeta))

    themes = set()
    for name in THEME_OPTIONS:
        option = read_option(connection, options, name)
        if option is not None and option[1]:
            themes.add(option[1])
    return ActiveSoftware(frozenset(plugins), frozenset(themes))


def _site_plugins(connection: Connection, options: str) -> list[str]:
    """The main files in the site's ``active_plugins`` list."""
    option = read_option(connection, options, "active_plugins")
    if option is None:
        return []
    value = parse_option("active_plugins", option[1])
    if not isinstance(value, dict):
        raise DbScanError("option active_plugins is not an array")
    return _strings(value.values())


def _network_plugins(connection: Connection, sitemeta: str) -> list[str]:
    """The main files a multisite network activates on every site.

    ``active_sitewide_plugins`` maps each main file to when it was activated;
    an install with several networks has one row per network.
    """
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT meta_value FROM {quote_identifier(sitemeta)} "  # noqa: S608
            "WHERE meta_key = %s",
            ("active_sitewide_plugins",),
        )
        rows = cursor.fetchall()
    files: list[str] = []
    for (text,) in rows:
        if text is None:
            continue
        value = parse_option("active_sitewide_plugins", str(text))
        if isinstance(value, dict):
            files.extend(_strings(value.keys()))
    return files


def _strings(values: Iterable[SerialValue]) -> list[str]:
    return [value for value in values if isinstance(value, str) and value]


def _warn_once(site_path: str, error: DbScanError | OSError) -> None:
    key = (site_path, str(error))
    if key in _warned:
        logger.debug("active plugins of %s still unknown: %s", site_path, error)
        return
    _warned.add(key)
    logger.warning(
        "cannot tell which plugins and themes of %s are active (%s); check %s",
        site_path,
        error,
        _what_to_check(error),
    )


def _what_to_check(error: DbScanError | OSError) -> str:
    if isinstance(error, OSError):
        return "that this user can read the site's wp-config.php"
    if isinstance(error, CredentialsError):
        return "the database settings in its wp-config.php"
    if isinstance(error, DatabaseAccessError):
        return (
            "that the database server its wp-config.php names is running, "
            "reachable from here and accepts that user and password"
        )
    if isinstance(error, MissingTableError):
        return "$table_prefix in its wp-config.php"
    return "the active_plugins and active_sitewide_plugins values in its database"
