"""The database password never leaves the scan: not in logs, reports or reprs."""

from __future__ import annotations

import json
import logging
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from cleanshift.dbscan import DatabaseCredentials, scan_site_database
from cleanshift.dbscan.connection import connect_read_only
from cleanshift.dbscan.errors import DatabaseAccessError
from cleanshift.dbscan.siteconfig import read_site_config
from tests.dbscan.conftest import MARIADB_HOST, ScratchDatabase, admin_connection
from tests.dbscan.test_site import write_wp_config
from tests.dbscan.wordpress_content import build_clean_wordpress
from tests.dbscan.wordpress_injections import inject_everything


@dataclass
class SiteAccount:
    """A MariaDB account of the kind a hosting panel makes for one site."""

    user: str
    password: str


@pytest.fixture
def site_account(test_database: ScratchDatabase) -> Iterator[SiteAccount]:
    """An account with a real password, allowed to read the test database."""
    account = SiteAccount(
        f"cs_site_{secrets.token_hex(3)}", f"Pw-{secrets.token_hex(6)}!#'\"x"
    )
    with admin_connection() as admin, admin.cursor() as cursor:
        cursor.execute(
            "CREATE USER %s@%s IDENTIFIED BY %s",
            (account.user, MARIADB_HOST, account.password),
        )
        cursor.execute(
            f"GRANT SELECT ON `{test_database.name}`.* TO %s@%s",
            (account.user, MARIADB_HOST),
        )
    yield account
    with admin_connection() as admin, admin.cursor() as cursor:
        cursor.execute("DROP USER IF EXISTS %s@%s", (account.user, MARIADB_HOST))


def php_single_quoted(text: str) -> str:
    """``text`` escaped for a single-quoted PHP string."""
    return text.replace("\\", "\\\\").replace("'", "\\'")


def test_password_stays_out_of_logs_and_report(
    test_database: ScratchDatabase,
    site_account: SiteAccount,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    build_clean_wordpress(test_database)
    inject_everything(test_database)
    site = write_wp_config(
        tmp_path / "site",
        test_database.name,
        user=site_account.user,
        password=php_single_quoted(site_account.password),
    )
    caplog.set_level(logging.DEBUG)

    report = scan_site_database(site)

    assert report.errors == []
    assert report.findings
    assert site_account.password not in caplog.text
    assert site_account.password not in repr(report)
    assert site_account.password not in json.dumps(report.to_dict())
    config = read_site_config(site)
    assert config.credentials.password == site_account.password
    assert site_account.password not in repr(config)
    assert site_account.password not in str(config.credentials)


def test_wrong_password_stays_out_of_logs_and_errors(
    test_database: ScratchDatabase,
    site_account: SiteAccount,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    wrong = site_account.password + "-old"
    site = write_wp_config(
        tmp_path / "site",
        test_database.name,
        user=site_account.user,
        password=php_single_quoted(wrong),
    )
    caplog.set_level(logging.DEBUG)

    report = scan_site_database(site)

    assert [error.where for error in report.errors] == ["connection"]
    assert wrong not in caplog.text
    assert wrong not in json.dumps(report.to_dict())


def test_credentials_repr_masks_the_password() -> None:
    credentials = DatabaseCredentials("shop", "shop_user", "hunter2-secret", "db", 3306)

    for text in (repr(credentials), str(credentials), f"{credentials}"):
        assert "hunter2-secret" not in text
        assert "***" in text
        assert "shop_user" in text


def test_a_server_message_quoting_the_password_is_redacted() -> None:
    credentials = DatabaseCredentials("x", "y", "S3cr3t!pw", "127.0.0.1", 1)

    assert credentials.redact("bad login S3cr3t!pw for y") == "bad login *** for y"
    with pytest.raises(DatabaseAccessError) as raised:
        connect_read_only(credentials, connect_timeout=2)
    assert "S3cr3t!pw" not in str(raised.value)
    assert raised.value.__cause__ is None
