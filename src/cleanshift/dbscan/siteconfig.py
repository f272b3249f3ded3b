"""Finding a site's CMS and reading its database settings from the config.

WordPress keeps them in ``wp-config.php``, Magento 2 in ``app/etc/env.php``,
Drupal in ``sites/default/settings.php`` and Joomla in
``configuration.php``. Each is read as text by ``phptext``; a setting that
is not a plain literal is reported as unreadable rather than guessed.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, TypeAlias

from cleanshift.dbscan.credentials import (
    DatabaseCredentials,
    SiteDatabaseConfig,
    check_table_prefix,
    parse_mysql_host,
    read_config_text,
)
from cleanshift.dbscan.errors import CredentialsError
from cleanshift.dbscan.phptext import read_php_config
from cleanshift.phplexer import PhpValue

logger = logging.getLogger(__name__)

# Keys are str for constants and int | str inside PHP arrays; reading treats
# both alike.
_Settings: TypeAlias = Mapping[Any, PhpValue]

WORDPRESS = "wordpress"
JOOMLA = "joomla"
DRUPAL = "drupal"
MAGENTO = "magento"
_MYSQL_DRIVERS = frozenset({"mysql", "mysqli", "pdomysql"})


def read_site_config(site_path: Path) -> SiteDatabaseConfig:
    """Detect the site's CMS and read its database settings.

    Raises ``CredentialsError`` when no supported configuration is found or
    when the one found does not set its credentials as plain literals.
    """
    readers: list[Callable[[Path], SiteDatabaseConfig | None]] = [
        _read_wordpress,
        _read_magento,
        _read_drupal,
        _read_joomla,
    ]
    for reader in readers:
        config = reader(site_path)
        if config is not None:
            logger.debug("%s configuration found in %s", config.cms, config.config_file)
            return config
    raise CredentialsError(
        "no WordPress, Joomla, Drupal or Magento 2 configuration found"
    )


def _read_wordpress(site: Path) -> SiteDatabaseConfig | None:
    # WordPress also looks one folder up, unless that folder is itself the
    # root of another WordPress install.
    path = site / "wp-config.php"
    if not path.is_file():
        path = site.parent / "wp-config.php"
        if not path.is_file() or (site.parent / "wp-settings.php").exists():
            return None

    config = read_php_config(read_config_text(path))
    constants: _Settings = config.constants
    address = parse_mysql_host(_text(constants, "DB_HOST", path.name, "localhost"))
    credentials = DatabaseCredentials(
        database=_text(constants, "DB_NAME", path.name),
        user=_text(constants, "DB_USER", path.name),
        password=_text(constants, "DB_PASSWORD", path.name),
        host=address.host,
        port=address.port,
        socket=address.socket,
    )
    prefix = _text(config.variables, "table_prefix", path.name, "wp_")
    site_url = constants.get("WP_HOME", constants.get("WP_SITEURL"))
    return SiteDatabaseConfig(
        cms=WORDPRESS,
        config_file=path,
        credentials=credentials,
        prefix=check_table_prefix(prefix, path.name),
        site_url=site_url if isinstance(site_url, str) else None,
        plugins_dir=_wordpress_plugins_dir(site, constants),
    )


def _wordpress_plugins_dir(site: Path, constants: _Settings) -> Path | None:
    # A folder set by an expression (``__DIR__ . '/content'``) cannot be
    # known without PHP; None tells the plugin check not to test existence.
    if "WP_PLUGIN_DIR" in constants:
        return _absolute(constants["WP_PLUGIN_DIR"])
    if "WP_CONTENT_DIR" in constants:
        content_dir = _absolute(constants["WP_CONTENT_DIR"])
        return content_dir / "plugins" if content_dir else None
    return site / "wp-content" / "plugins"


def _absolute(value: PhpValue) -> Path | None:
    if isinstance(value, str) and value.startswith("/"):
        return Path(value)
    return None


def _read_magento(site: Path) -> SiteDatabaseConfig | None:
    path = site / "app" / "etc" / "env.php"
    if not path.is_file():
        return None
    returned = read_php_config(read_config_text(path)).returned
    database = _section(returned, "db", path.name)
    default = _section(
        _section(database, "connection", path.name), "default", path.name
    )
    address = parse_mysql_host(_text(default, "host", path.name, "localhost"))
    credentials = DatabaseCredentials(
        database=_text(default, "dbname", path.name),
        user=_text(default, "username", path.name),
        password=_text(default, "password", path.name, ""),
        host=address.host,
        port=address.port,
        socket=address.socket,
    )
    prefix = _text(database, "table_prefix", path.name, "")
    return SiteDatabaseConfig(
        cms=MAGENTO,
        config_file=path,
        credentials=credentials,
        prefix=check_table_prefix(prefix, path.name),
    )


def _read_drupal(site: Path) -> SiteDatabaseConfig | None:
    path = site / "sites" / "default" / "settings.php"
    if not path.is_file():
        return None
    databases = read_php_config(read_config_text(path)).variables.get("databases")
    local = path.with_name("settings.local.php")
    # Hosting setups often keep the credentials in settings.local.php, which
    # settings.php includes at its end.
    if not isinstance(databases, dict) and local.is_file():
        path = local
        databases = read_php_config(read_config_text(path)).variables.get("databases")
    default = _section(_section(databases, "default", path.name), "default", path.name)

    driver = _text(default, "driver", path.name, "mysql")
    if driver not in _MYSQL_DRIVERS:
        raise CredentialsError(f"{path.name} uses the {driver!r} driver, not MySQL")
    port = _text(default, "port", path.name, "")
    address = parse_mysql_host(
        _text(default, "host", path.name, "localhost"),
        port=int(port) if port.isdigit() else None,
    )
    socket = default.get("unix_socket")
    prefix = default.get("prefix", "")
    if isinstance(prefix, dict):
        prefix = prefix.get("default", "")
    if not isinstance(prefix, str):
        raise CredentialsError(f"{path.name} sets a table prefix that is not a string")
    credentials = DatabaseCredentials(
        database=_text(default, "database", path.name),
        user=_text(default, "username", path.name),
        password=_text(default, "password", path.name, ""),
        host=address.host,
        port=address.port,
        socket=socket if isinstance(socket, str) and socket else address.socket,
    )
    return SiteDatabaseConfig(
        cms=DRUPAL,
        config_file=path,
        credentials=credentials,
        prefix=check_table_prefix(prefix, path.name),
    )


def _read_joomla(site: Path) -> SiteDatabaseConfig | None:
    path = site / "configuration.php"
    if not path.is_file():
        return None
    text = read_config_text(path)
    # Other applications name their config configuration.php too.
    if "JConfig" not in text:
        return None
    properties = read_php_config(text).properties

    driver = _text(properties, "dbtype", path.name, "mysqli").lower()
    if driver not in _MYSQL_DRIVERS:
        raise CredentialsError(f"{path.name} uses the {driver!r} driver, not MySQL")
    address = parse_mysql_host(_text(properties, "host", path.name, "localhost"))
    credentials = DatabaseCredentials(
        database=_text(properties, "db", path.name),
        user=_text(properties, "user", path.name),
        password=_text(properties, "password", path.name, ""),
        host=address.host,
        port=address.port,
        socket=address.socket,
    )
    live_site = _text(properties, "live_site", path.name, "")
    return SiteDatabaseConfig(
        cms=JOOMLA,
        config_file=path,
        credentials=credentials,
        prefix=check_table_prefix(_text(properties, "dbprefix", path.name), path.name),
        site_url=live_site or None,
    )


def _section(values: PhpValue | _Settings, key: str, source: str) -> _Settings:
    section = values.get(key) if isinstance(values, Mapping) else None
    if not isinstance(section, dict):
        raise CredentialsError(f"{source} has no readable {key!r} database section")
    return section


def _text(values: _Settings, key: str, source: str, default: str | None = None) -> str:
    # Messages name the setting, never its value: it may be the password.
    if key not in values:
        if default is None:
            raise CredentialsError(f"{source} does not set {key}")
        return default
    value = values[key]
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    if not isinstance(value, str):
        raise CredentialsError(
            f"{source} sets {key} with an expression, not a plain string; "
            "it cannot be read without running PHP"
        )
    return value
