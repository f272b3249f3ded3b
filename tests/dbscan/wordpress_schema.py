"""WordPress's own tables and how WordPress writes rows into them.

The DDL is WordPress 6's ``wp-admin/includes/schema.php`` for the four
tables the scan reads; ``php_serialize`` writes what PHP's ``serialize``
writes, so options and user meta look as they do on a real site.
"""

# ruff: noqa: S608 - fixtures build SQL around fixed table names and
# prefixes; every value goes in as a parameter.

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Mapping, Sequence

from tests.dbscan.conftest import ScratchDatabase

SCHEMA = """
CREATE TABLE {prefix}options (
    option_id bigint(20) unsigned NOT NULL auto_increment,
    option_name varchar(191) NOT NULL default '',
    option_value longtext NOT NULL,
    autoload varchar(20) NOT NULL default 'yes',
    PRIMARY KEY  (option_id),
    UNIQUE KEY option_name (option_name),
    KEY autoload (autoload)
) DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci;
CREATE TABLE {prefix}posts (
    ID bigint(20) unsigned NOT NULL auto_increment,
    post_author bigint(20) unsigned NOT NULL default '0',
    post_date datetime NOT NULL default '0000-00-00 00:00:00',
    post_date_gmt datetime NOT NULL default '0000-00-00 00:00:00',
    post_content longtext NOT NULL,
    post_title text NOT NULL,
    post_excerpt text NOT NULL,
    post_status varchar(20) NOT NULL default 'publish',
    comment_status varchar(20) NOT NULL default 'open',
    ping_status varchar(20) NOT NULL default 'open',
    post_password varchar(255) NOT NULL default '',
    post_name varchar(200) NOT NULL default '',
    to_ping text NOT NULL,
    pinged text NOT NULL,
    post_modified datetime NOT NULL default '0000-00-00 00:00:00',
    post_modified_gmt datetime NOT NULL default '0000-00-00 00:00:00',
    post_content_filtered longtext NOT NULL,
    post_parent bigint(20) unsigned NOT NULL default '0',
    guid varchar(255) NOT NULL default '',
    menu_order int(11) NOT NULL default '0',
    post_type varchar(20) NOT NULL default 'post',
    post_mime_type varchar(100) NOT NULL default '',
    comment_count bigint(20) NOT NULL default '0',
    PRIMARY KEY  (ID),
    KEY post_name (post_name(191)),
    KEY type_status_date (post_type,post_status,post_date,ID),
    KEY post_parent (post_parent),
    KEY post_author (post_author)
) DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci;
CREATE TABLE {prefix}users (
    ID bigint(20) unsigned NOT NULL auto_increment,
    user_login varchar(60) NOT NULL default '',
    user_pass varchar(255) NOT NULL default '',
    user_nicename varchar(50) NOT NULL default '',
    user_email varchar(100) NOT NULL default '',
    user_url varchar(100) NOT NULL default '',
    user_registered datetime NOT NULL default '0000-00-00 00:00:00',
    user_activation_key varchar(255) NOT NULL default '',
    user_status int(11) NOT NULL default '0',
    display_name varchar(250) NOT NULL default '',
    PRIMARY KEY  (ID),
    KEY user_login_key (user_login),
    KEY user_nicename (user_nicename),
    KEY user_email (user_email)
) DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci;
CREATE TABLE {prefix}usermeta (
    umeta_id bigint(20) unsigned NOT NULL auto_increment,
    user_id bigint(20) unsigned NOT NULL default '0',
    meta_key varchar(255) default NULL,
    meta_value longtext,
    PRIMARY KEY  (umeta_id),
    KEY user_id (user_id),
    KEY meta_key (meta_key(191))
) DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci
"""

# A multisite network's settings, from the same file's ms_global_tables.
NETWORK_SCHEMA = """
CREATE TABLE {prefix}sitemeta (
    meta_id bigint(20) unsigned NOT NULL auto_increment,
    site_id bigint(20) unsigned NOT NULL default '0',
    meta_key varchar(255) default NULL,
    meta_value longtext,
    PRIMARY KEY  (meta_id),
    KEY meta_key (meta_key(191)),
    KEY site_id (site_id)
) DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci
"""

WORDPRESS_TABLES = ("options", "posts", "users", "usermeta")
PhpData = (
    None
    | bool
    | int
    | float
    | str
    | Sequence["PhpData"]
    | Mapping[int | str, "PhpData"]
)


def create_wordpress_tables(
    database: ScratchDatabase, prefix: str = "wp_", tables: Sequence[str] = ()
) -> None:
    """Create WordPress's tables (all four, or only those named)."""
    for statement in SCHEMA.format(prefix=prefix).split(";\n"):
        name = statement.split("(", 1)[0].split()[-1].removeprefix(prefix)
        if not tables or name in tables:
            database.execute(statement)


def php_serialize(value: PhpData) -> str:
    """What PHP's ``serialize`` writes for this value (lists are arrays)."""
    if value is None:
        return "N;"
    if isinstance(value, bool):
        return f"b:{int(value)};"
    if isinstance(value, int):
        return f"i:{value};"
    if isinstance(value, float):
        return f"d:{value!r};"
    if isinstance(value, str):
        return f's:{len(value.encode())}:"{value}";'
    items = value.items() if isinstance(value, Mapping) else enumerate(value)
    body = "".join(php_serialize(key) + php_serialize(item) for key, item in items)
    return f"a:{len(value)}:{{{body}}}"


def cron_key(args: Sequence[PhpData]) -> str:
    """The key WordPress files a cron event under: md5 of its serialised args."""
    return hashlib.md5(php_serialize(list(args)).encode()).hexdigest()  # noqa: S324


def insert_option(
    database: ScratchDatabase,
    prefix: str,
    name: str,
    value: PhpData,
    autoload: str = "yes",
) -> None:
    """Add an option, serialising arrays as ``update_option`` does."""
    text = value if isinstance(value, str) else php_serialize(value)
    database.execute(
        f"INSERT INTO {prefix}options (option_name, option_value, autoload) "
        "VALUES (%s, %s, %s)",
        (name, text, autoload),
    )


def create_network_tables(database: ScratchDatabase, prefix: str = "wp_") -> None:
    """Create the network table a multisite install adds: ``sitemeta``."""
    database.execute(NETWORK_SCHEMA.format(prefix=prefix))


def insert_network_option(
    database: ScratchDatabase, prefix: str, name: str, value: PhpData, network: int = 1
) -> None:
    """Add a network option, as ``update_network_option`` does on multisite."""
    text = value if isinstance(value, str) else php_serialize(value)
    database.execute(
        f"INSERT INTO {prefix}sitemeta (site_id, meta_key, meta_value) "
        "VALUES (%s, %s, %s)",
        (network, name, text),
    )


def option_id(database: ScratchDatabase, prefix: str, name: str) -> int:
    """The primary key of an option."""
    with database.writer.cursor() as cursor:
        cursor.execute(
            f"SELECT option_id FROM {prefix}options WHERE option_name = %s", (name,)
        )
        row = cursor.fetchone()
    assert row is not None, name
    return int(row[0])


def insert_user(
    database: ScratchDatabase,
    prefix: str,
    user_id: int,
    login: str,
    email: str,
    registered: datetime.datetime | str,
    role: str,
) -> None:
    """Add a user with the meta rows ``wp_insert_user`` writes."""
    when = (
        registered
        if isinstance(registered, str)
        else registered.strftime("%Y-%m-%d %H:%M:%S")
    )
    database.execute(
        f"INSERT INTO {prefix}users (ID, user_login, user_pass, user_nicename, "
        "user_email, user_registered, display_name) "
        "VALUES (%s, %s, %s, %s, %s, %s, %s)",
        (
            user_id,
            login,
            "$P$B" + hashlib.sha256(login.encode()).hexdigest()[:30],
            login.replace(".", "-").replace("_", "-")[:50],
            email,
            when,
            login.split("@")[0].replace(".", " ").title(),
        ),
    )
    level = {"administrator": 10, "editor": 7, "author": 2}.get(role, 0)
    meta: list[tuple[str, str]] = [
        ("nickname", login),
        ("first_name", ""),
        ("last_name", ""),
        ("description", ""),
        ("rich_editing", "true"),
        ("syntax_highlighting", "true"),
        ("comment_shortcuts", "false"),
        ("admin_color", "fresh"),
        ("use_ssl", "0"),
        ("show_admin_bar_front", "true"),
        ("locale", ""),
        (f"{prefix}capabilities", php_serialize({role: True})),
        (f"{prefix}user_level", str(level)),
        ("dismissed_wp_pointers", ""),
    ]
    database.executemany(
        f"INSERT INTO {prefix}usermeta (user_id, meta_key, meta_value) "
        "VALUES (%s, %s, %s)",
        [(user_id, key, value) for key, value in meta],
    )
