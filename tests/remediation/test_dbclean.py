"""db-clean against the real MariaDB: findings of a real scan, cleaned and undone."""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pymysql  # type: ignore[import-untyped, unused-ignore]
import pytest

from cleanshift.dbscan import scan_site_database
from cleanshift.dbscan.matching import value_digest
from cleanshift.remediation import RemediationContext
from tests.remediation.conftest import VERSION_PHP, Run, write

HOST = os.environ.get("CLEANSHIFT_TEST_MARIADB_HOST", "127.0.0.1")
PORT = int(os.environ.get("CLEANSHIFT_TEST_MARIADB_PORT", "3306"))
USER = os.environ.get("CLEANSHIFT_TEST_MARIADB_USER", "root")
PASSWORD = os.environ.get("CLEANSHIFT_TEST_MARIADB_PASSWORD", "")

SCHEMA = (
    """CREATE TABLE wp_options (
        option_id bigint(20) unsigned NOT NULL auto_increment,
        option_name varchar(191) NOT NULL default '',
        option_value longtext NOT NULL,
        autoload varchar(20) NOT NULL default 'yes',
        PRIMARY KEY (option_id),
        UNIQUE KEY option_name (option_name)
    ) DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci""",
    """CREATE TABLE wp_posts (
        ID bigint(20) unsigned NOT NULL auto_increment,
        post_content longtext NOT NULL,
        post_title text NOT NULL,
        post_name varchar(200) NOT NULL default '',
        post_modified datetime NOT NULL default '2024-01-01 00:00:00',
        PRIMARY KEY (ID)
    ) DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci""",
)
WIDGET_TEXT = (
    "<p>Visit our shop, ünïcode.</p>"
    '<script src="https://cdn.jquery-cdn.top/jquery.min.js"></script>'
)
POST = (
    "<!-- wp:paragraph -->\n<p>Hello world.</p>\n<!-- /wp:paragraph -->\n"
    "<script>eval(atob('ZG9jdW1lbnQud3JpdGUoMSk='))</script>\n"
)
CLEAN_POST = "<!-- wp:paragraph -->\n<p>Hello world.</p>\n<!-- /wp:paragraph -->\n"


def php_string(text: str) -> str:
    return f's:{len(text.encode())}:"{text}";'


def widget(text: str) -> str:
    return (
        "a:2:{i:2;a:3:{"
        + php_string("title")
        + php_string("Promo")
        + php_string("text")
        + php_string(text)
        + php_string("filter")
        + "b:1;}"
        + php_string("_multiwidget")
        + "i:1;}"
    )


PLUGINS = (
    "a:3:{i:0;"
    + php_string("akismet/akismet.php")
    + "i:1;"
    + php_string("../../../../tmp/.x/loader.php")
    + "i:2;"
    + php_string("hello.php")
    + "}"
)


def connect(database: str | None = None) -> pymysql.Connection:
    return pymysql.connect(
        host=HOST,
        port=PORT,
        user=USER,
        password=PASSWORD,
        database=database,
        charset="utf8mb4",
        autocommit=True,
    )


def rows(database: str) -> dict[str, list[tuple[Any, ...]]]:
    with connect(database) as connection, connection.cursor() as cursor:
        result = {}
        for table, key in (("wp_options", "option_id"), ("wp_posts", "ID")):
            cursor.execute(f"SELECT * FROM {table} ORDER BY {key}")  # noqa: S608
            result[table] = list(cursor.fetchall())
        return result


@pytest.fixture
def database() -> Iterator[str]:
    name = f"cleanshift_test_{secrets.token_hex(4)}"
    with connect() as connection, connection.cursor() as cursor:
        cursor.execute(f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4")
    try:
        with connect(name) as connection, connection.cursor() as cursor:
            for statement in SCHEMA:
                cursor.execute(statement)
            cursor.executemany(
                "INSERT INTO wp_options (option_name, option_value) VALUES (%s, %s)",
                [
                    ("siteurl", "https://example.com"),
                    ("widget_text", widget(WIDGET_TEXT)),
                    ("active_plugins", PLUGINS),
                    ("blogname", "Example"),
                ],
            )
            cursor.executemany(
                "INSERT INTO wp_posts (post_content, post_title, post_name) "
                "VALUES (%s, %s, %s)",
                [
                    ("<p>About us.</p>", "About", "about"),
                    (POST, "Hello", "hello-world"),
                ],
            )
        yield name
    finally:
        with connect() as connection, connection.cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS `{name}`")


@pytest.fixture
def db_site(site: Path, database: str) -> Path:
    write(
        site,
        "wp-config.php",
        (
            "<?php\n"
            f"define('DB_NAME', '{database}');\n"
            f"define('DB_USER', '{USER}');\n"
            f"define('DB_PASSWORD', '{PASSWORD}');\n"
            f"define('DB_HOST', '{HOST}:{PORT}');\n"
            "$table_prefix = 'wp_';\n"
        ).encode(),
    )
    write(site, "wp-includes/version.php", VERSION_PHP)
    # The plugins active_plugins names, so only the planted entry is flagged.
    write(site, "wp-content/plugins/akismet/akismet.php", b"<?php\n")
    write(site, "wp-content/plugins/hello.php", b"<?php\n")
    return site


def findings(site: Path) -> dict[str, dict[str, Any]]:
    """The real database scan's findings, keyed by the option or post name."""
    report = scan_site_database(site)
    names = [finding.location.name for finding in report.findings]
    assert len(names) == len(set(names)), names
    return {
        finding.location.name: {
            "threat_id": "thr_db",
            "path": None,
            "raw_path": None,
            **finding.to_dict(),
        }
        for finding in report.findings
    }


def test_scan_findings_are_cleaned_and_rolled_back_exactly(
    db_site: Path, database: str, remediate: Run, rollback: Run
) -> None:
    before = rows(database)
    found = findings(db_site)
    assert {"widget_text", "active_plugins", "hello-world"} <= set(found)

    summaries = []
    for name in ("widget_text", "active_plugins", "hello-world"):
        status, summary = remediate("db-clean", found[name])
        assert status == "completed", (name, summary)
        assert summary["verified"] is True, name
        summaries.append(summary)

    assert findings(db_site) == {}
    after = rows(database)
    options = {row[1]: row[2] for row in after["wp_options"]}
    assert options["widget_text"] == widget("<p>Visit our shop, ünïcode.</p>")
    assert options["active_plugins"] == (
        "a:2:{i:0;"
        + php_string("akismet/akismet.php")
        + "i:2;"
        + php_string("hello.php")
        + "}"
    )
    assert after["wp_posts"][1][1] == CLEAN_POST
    assert after["wp_posts"][0] == before["wp_posts"][0]
    undo = summaries[0]["undo"]
    assert undo["old_value"] == widget(WIDGET_TEXT)
    assert "password" not in str(summaries).lower()

    for summary in reversed(summaries):
        status, result = rollback(summary)
        assert status == "completed", result

    assert rows(database) == before


def test_dry_run_changes_nothing(db_site: Path, database: str, remediate: Run) -> None:
    before = rows(database)

    status, summary = remediate(
        "db-clean", findings(db_site)["hello-world"], dry_run=True
    )

    assert status == "completed", summary
    assert summary["undo"] == {}
    assert rows(database) == before


def test_value_changed_since_the_scan_is_refused(
    db_site: Path, database: str, remediate: Run
) -> None:
    threat = findings(db_site)["hello-world"]
    with connect(database) as connection, connection.cursor() as cursor:
        cursor.execute(
            "UPDATE wp_posts SET post_content = CONCAT(post_content, 'x') WHERE ID = 2"
        )
    before = rows(database)

    status, summary = remediate("db-clean", threat)

    assert status == "failed"
    assert "changed since the scan" in summary["error"]
    assert rows(database) == before


def test_rollback_refuses_when_the_value_changed_after_the_cleanup(
    db_site: Path, database: str, remediate: Run, rollback: Run
) -> None:
    _, summary = remediate("db-clean", findings(db_site)["hello-world"])
    with connect(database) as connection, connection.cursor() as cursor:
        cursor.execute(
            "UPDATE wp_posts SET post_content = 'edited by the owner' WHERE ID = 2"
        )

    status, result = rollback(summary)

    assert status == "failed"
    assert "changed after the cleanup" in result["error"]
    assert rows(database)["wp_posts"][1][1] == "edited by the owner"


def test_site_is_found_from_the_database_name(
    db_site: Path, database: str, context: RemediationContext, remediate: Run
) -> None:
    threat = findings(db_site)["widget_text"]
    assert "site_path" not in threat["location"]
    status, summary = remediate("db-clean", threat)
    assert status == "completed", summary
    assert summary["undo"]["site_path"] == str(db_site)
    assert (
        value_digest(rows(database)["wp_options"][1][2])
        == summary["undo"]["new_sha256"]
    )


def test_wrong_password_fails_without_showing_it(db_site: Path, remediate: Run) -> None:
    threat = findings(db_site)["hello-world"]
    config = db_site / "wp-config.php"
    config.write_text(
        config.read_text().replace(
            f"'DB_PASSWORD', '{PASSWORD}'", "'DB_PASSWORD', 'hunter2-secret'"
        )
    )

    status, summary = remediate("db-clean", threat)

    assert status == "failed"
    assert "hunter2-secret" not in str(summary)
