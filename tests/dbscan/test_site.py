"""``scan_site_database``: from a site folder to a report, whatever goes wrong."""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from pathlib import Path

import pytest

from cleanshift.dbscan import scan_site_database
from cleanshift.dbscan.connection import DEFAULT_SOCKETS
from tests.dbscan.conftest import (
    MARIADB_HOST,
    MARIADB_PASSWORD,
    MARIADB_PORT,
    MARIADB_USER,
    ScratchDatabase,
    make_plugins_dir,
)
from tests.dbscan.wordpress_content import SITE_URL, build_clean_wordpress
from tests.dbscan.wordpress_injections import (
    inject_everything,
    inject_options,
    place_of,
)
from tests.dbscan.wordpress_schema import create_wordpress_tables
from tests.dbscan.wordpress_site_options import ACTIVE_PLUGINS, insert_clean_options

WP_CONFIG = """<?php
/**
 * The base configuration for WordPress
 *
 * define( 'DB_NAME', 'database_name_here' );
 */

// ** Database settings - You can get this info from your web host ** //
define( 'DB_NAME',{name_spacing}"{database}" );
define("DB_USER" , '{user}');
#define( 'DB_PASSWORD', 'an old password' );
define (  'DB_PASSWORD',   '{password}'  ) ;
define( 'DB_HOST', '{host}' );
define( 'DB_CHARSET', 'utf8mb4' );
define( 'DB_COLLATE', '' );
define( 'WP_HOME', '{site_url}' );

define( 'AUTH_KEY',         'put your unique phrase here' );
define( 'SECURE_AUTH_KEY',  "put your 'unique' phrase here" );

$table_prefix = 'wp_';

define( 'WP_DEBUG', false );

if ( ! defined( 'ABSPATH' ) ) {{
\tdefine( 'ABSPATH', __DIR__ . '/' );
}}
require_once ABSPATH . 'wp-settings.php';
"""


def write_wp_config(
    site: Path,
    database: str,
    *,
    host: str = f"{MARIADB_HOST}:{MARIADB_PORT}",
    user: str = MARIADB_USER,
    password: str = MARIADB_PASSWORD,
    plugins: Iterable[str] = ACTIVE_PLUGINS,
) -> Path:
    """A WordPress site folder whose wp-config.php points at ``database``.

    ``plugins`` are main files placed in ``wp-content/plugins``.
    """
    site.mkdir(parents=True, exist_ok=True)
    (site / "wp-config.php").write_text(
        WP_CONFIG.format(
            name_spacing="\t",
            database=database,
            user=user,
            password=password,
            host=host,
            site_url=SITE_URL,
        )
    )
    make_plugins_dir(site, plugins)
    return site


def test_scan_from_the_site_folder(
    test_database: ScratchDatabase, tmp_path: Path
) -> None:
    build_clean_wordpress(test_database)
    expected = inject_everything(test_database)
    site = write_wp_config(tmp_path / "www" / "greenthumb", test_database.name)

    report = scan_site_database(site)

    assert report.errors == []
    assert report.cms == "wordpress"
    assert report.database == test_database.name
    assert report.site == str(site)
    assert {place_of(finding) for finding in report.findings} == {
        (item.table, item.column, item.key, item.path) for item in expected
    }
    # The JSON form is plain data, and carries no credentials.
    data = json.loads(json.dumps(report.to_dict()))
    assert len(data["findings"]) == len(expected)
    assert MARIADB_USER not in json.dumps(data["errors"])


def test_unreachable_server_is_reported(tmp_path: Path) -> None:
    site = write_wp_config(tmp_path / "site", "wordpress", host="127.0.0.1:1")

    report = scan_site_database(site)

    assert report.findings == []
    assert [error.where for error in report.errors] == ["connection"]
    assert "(2003)" in report.errors[0].message
    assert report.cms == "wordpress"


def test_wrong_password_is_reported(
    test_database: ScratchDatabase, tmp_path: Path
) -> None:
    site = write_wp_config(
        tmp_path / "site", test_database.name, password="not-the-password-9f2c"
    )

    report = scan_site_database(site)

    assert [error.where for error in report.errors] == ["connection"]
    assert "(1045) Access denied" in report.errors[0].message
    assert "not-the-password-9f2c" not in report.errors[0].message


def test_missing_tables_are_reported_and_the_rest_scanned(
    test_database: ScratchDatabase, tmp_path: Path
) -> None:
    create_wordpress_tables(test_database, tables=["options"])
    insert_clean_options(test_database, "wp_", SITE_URL)
    expected = inject_options(test_database, "wp_", with_missing_plugin=True)
    site = write_wp_config(tmp_path / "site", test_database.name)

    report = scan_site_database(site)

    assert {place_of(finding) for finding in report.findings} == {
        (item.table, item.column, item.key, item.path) for item in expected
    }
    messages = {error.where: error.message for error in report.errors}
    assert messages == {
        "wp_posts": "table wp_posts does not exist",
        "wp_users": "table wp_users does not exist",
    }
    assert report.tables_scanned == 1


def test_a_folder_without_a_cms(tmp_path: Path) -> None:
    report = scan_site_database(tmp_path)

    assert report.findings == []
    assert [error.where for error in report.errors] == ["configuration"]
    assert "no WordPress, Joomla, Drupal or Magento" in report.errors[0].message


def test_credentials_that_need_php_to_read(tmp_path: Path) -> None:
    (tmp_path / "wp-config.php").write_text(
        "<?php\ndefine('DB_NAME', 'wp');\ndefine('DB_USER', 'wp');\n"
        "define('DB_PASSWORD', getenv('WORDPRESS_DB_PASSWORD') ?: 'fallback');\n"
        "$table_prefix = 'wp_';\n"
    )

    report = scan_site_database(tmp_path)

    assert [error.where for error in report.errors] == ["configuration"]
    assert "DB_PASSWORD" in report.errors[0].message
    assert "fallback" not in report.errors[0].message


@pytest.mark.parametrize("prefix", ["wp_", "gt7x_"])
def test_table_prefix_comes_from_the_config(
    test_database: ScratchDatabase, tmp_path: Path, prefix: str
) -> None:
    create_wordpress_tables(test_database, prefix)
    site = write_wp_config(tmp_path / "site", test_database.name)
    config = site / "wp-config.php"
    config.write_text(config.read_text().replace("'wp_'", f"'{prefix}'"))

    report = scan_site_database(site)

    assert report.errors == []
    assert report.tables_scanned == 4


@pytest.mark.skipif(
    not any(os.path.exists(path) for path in DEFAULT_SOCKETS),
    reason="no MySQL socket at a default place on this machine",
)
def test_localhost_means_the_default_socket(
    test_database: ScratchDatabase, tmp_path: Path
) -> None:
    create_wordpress_tables(test_database)
    site = write_wp_config(tmp_path / "site", test_database.name, host="localhost")

    report = scan_site_database(site)

    assert report.errors == []
    assert report.tables_scanned == 4
