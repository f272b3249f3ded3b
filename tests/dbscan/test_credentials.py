"""Reading database credentials as text: host strings, WordPress, limits."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from cleanshift.dbscan.credentials import (
    MAX_CONFIG_BYTES,
    HostAddress,
    parse_mysql_host,
    read_config_text,
)
from cleanshift.dbscan.errors import CredentialsError
from cleanshift.dbscan.siteconfig import read_site_config


def write(path: Path, text: str | bytes) -> Path:
    """Write a file, making its folders."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text)
    return path


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("localhost", HostAddress("localhost", 3306, None)),
        ("", HostAddress("localhost", 3306, None)),
        ("db.internal:3307", HostAddress("db.internal", 3307, None)),
        ("127.0.0.1", HostAddress("127.0.0.1", 3306, None)),
        (
            "localhost:/var/run/mysqld/mysqld.sock",
            HostAddress("localhost", 3306, "/var/run/mysqld/mysqld.sock"),
        ),
        (":/tmp/mysql.sock", HostAddress("localhost", 3306, "/tmp/mysql.sock")),
        ("[::1]:3308", HostAddress("::1", 3308, None)),
        ("::1", HostAddress("::1", 3306, None)),
        ("p:db.internal", HostAddress("db.internal", 3306, None)),
        ("  mysql.example.com  ", HostAddress("mysql.example.com", 3306, None)),
    ],
)
def test_host_strings(value: str, expected: HostAddress) -> None:
    assert parse_mysql_host(value) == expected


def test_host_with_a_bad_port() -> None:
    with pytest.raises(CredentialsError, match="port"):
        parse_mysql_host("db:port")


WORDPRESS = r"""<?php
/* define('DB_NAME', 'in_a_comment'); */
// define('DB_USER', 'in_a_line_comment');
# define('DB_PASSWORD', 'in_a_hash_comment');
define(	"DB_NAME"	,	"shop_wp"	);
define ('DB_USER','shop_user') ;
define( 'DB_PASSWORD', 'it\'s-a //#"secret"\\' );
define( 'DB_HOST', "localhost:/run/mysqld/mysqld.sock" );
define('DB_NAME', 'redefined_is_ignored');
define( 'WP_CONTENT_DIR', '/srv/shop/content' );
$table_prefix  =  "shop_";
?>
<p>Inline HTML with define('DB_USER', 'html');</p>
"""


def test_wordpress(tmp_path: Path) -> None:
    write(tmp_path / "wp-config.php", WORDPRESS)

    config = read_site_config(tmp_path)

    assert config.cms == "wordpress"
    credentials = config.credentials
    assert credentials.database == "shop_wp"
    assert credentials.user == "shop_user"
    assert credentials.password == 'it\'s-a //#"secret"\\'
    assert (credentials.host, credentials.socket) == (
        "localhost",
        "/run/mysqld/mysqld.sock",
    )
    assert config.prefix == "shop_"
    assert config.plugins_dir == Path("/srv/shop/content/plugins")


def test_wordpress_config_one_folder_up(tmp_path: Path) -> None:
    write(tmp_path / "wp-config.php", WORDPRESS)
    site = tmp_path / "public_html"
    site.mkdir()

    config = read_site_config(site)

    assert config.config_file == tmp_path / "wp-config.php"
    assert config.plugins_dir == Path("/srv/shop/content/plugins")


def test_wordpress_defaults_and_unknowable_folders(tmp_path: Path) -> None:
    write(
        tmp_path / "wp-config.php",
        "<?php define('DB_NAME','a');define('DB_USER','b');define('DB_PASSWORD','');"
        "define('WP_CONTENT_DIR', __DIR__ . '/content');",
    )

    config = read_site_config(tmp_path)

    assert config.credentials.host == "localhost"
    assert config.credentials.password == ""
    assert config.prefix == "wp_"
    assert config.plugins_dir is None


def test_wordpress_double_quoted_escapes(tmp_path: Path) -> None:
    write(
        tmp_path / "wp-config.php",
        '<?php define("DB_NAME","a");define("DB_USER","b");'
        'define("DB_PASSWORD", "tab\\there \\$notvar \\x41\\101 \\u{e9}");',
    )

    assert read_site_config(tmp_path).credentials.password == "tab\there $notvar AA é"


def test_wordpress_interpolated_password_is_refused(tmp_path: Path) -> None:
    write(
        tmp_path / "wp-config.php",
        '<?php define("DB_NAME","a");define("DB_USER","b");'
        'define("DB_PASSWORD", "pre-$suffix");',
    )

    with pytest.raises(CredentialsError, match="DB_PASSWORD"):
        read_site_config(tmp_path)


def test_wordpress_bad_prefix_is_refused(tmp_path: Path) -> None:
    write(
        tmp_path / "wp-config.php",
        "<?php define('DB_NAME','a');define('DB_USER','b');define('DB_PASSWORD','c');"
        "$table_prefix = 'wp_`; DROP TABLE x; -- ';",
    )

    with pytest.raises(CredentialsError, match="table prefix"):
        read_site_config(tmp_path)


def test_non_utf8_password_bytes_survive(tmp_path: Path) -> None:
    write(
        tmp_path / "wp-config.php",
        b"<?php define('DB_NAME','a');define('DB_USER','b');"
        b"define('DB_PASSWORD','caf\xe9');",
    )

    password = read_site_config(tmp_path).credentials.password
    assert password.encode("utf-8", "surrogateescape") == b"caf\xe9"


def test_reads_are_bounded(tmp_path: Path) -> None:
    path = write(
        tmp_path / "wp-config.php",
        "<?php define('DB_NAME','a');" + " " * (2 * MAX_CONFIG_BYTES),
    )

    assert len(read_config_text(path)) == MAX_CONFIG_BYTES


def test_a_fifo_is_never_opened_for_reading(tmp_path: Path) -> None:
    fifo = tmp_path / "wp-config.php"
    os.mkfifo(fifo)

    # Reading a FIFO would wait for a writer forever.
    with pytest.raises(CredentialsError, match="not a regular file"):
        read_config_text(fifo)
    with pytest.raises(CredentialsError, match="no WordPress"):
        read_site_config(tmp_path)
