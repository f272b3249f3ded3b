"""WordPress scans against a real WordPress schema on the real MariaDB."""

# ruff: noqa: S608 - fixtures build SQL around fixed table names and
# prefixes; every value goes in as a parameter.

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pymysql  # type: ignore[import-untyped, unused-ignore]
import pytest

from cleanshift.dbscan import DatabaseFinding, DatabaseScanReport, scan_wordpress
from tests.dbscan.conftest import ScratchDatabase, make_plugins_dir, scratch_database
from tests.dbscan.wordpress_content import SITE_URL, build_clean_wordpress
from tests.dbscan.wordpress_injections import Expected, inject_everything, place_of
from tests.dbscan.wordpress_schema import (
    create_wordpress_tables,
    insert_option,
    insert_user,
)
from tests.dbscan.wordpress_site_options import ACTIVE_PLUGINS


def scan(database: ScratchDatabase, **options: object) -> DatabaseScanReport:
    """Scan the database as the product does, over a read-only connection."""
    connection = database.connect_read_only()
    try:
        return scan_wordpress(connection, "wp_", **options)  # type: ignore[arg-type]
    finally:
        connection.close()


@dataclass
class InjectedSite:
    """A clean site with every injection, and where each must be found."""

    database: ScratchDatabase
    expected: list[Expected]
    plugins_dir: Path


@pytest.fixture(scope="module")
def injected_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[InjectedSite]:
    """Built once for the module: the tests only read it."""
    plugins_dir = make_plugins_dir(tmp_path_factory.mktemp("site"), ACTIVE_PLUGINS)
    with scratch_database() as database:
        build_clean_wordpress(database)
        yield InjectedSite(database, inject_everything(database), plugins_dir)


def stored_value(database: ScratchDatabase, finding: DatabaseFinding) -> str:
    """The value a finding points at, read back by its table, column and key."""
    location = finding.location
    condition = " AND ".join(f"`{column}` = %s" for column in location.key)
    with database.writer.cursor() as cursor:
        cursor.execute(
            f"SELECT `{location.column}` FROM `{location.table}` WHERE {condition}",
            tuple(location.key.values()),
        )
        rows = cursor.fetchall()
    assert len(rows) == 1, "a location must address exactly one row"
    return str(rows[0][0])


def test_clean_site_has_no_findings(
    test_database: ScratchDatabase, tmp_path: Path
) -> None:
    build_clean_wordpress(test_database)
    plugins_dir = make_plugins_dir(tmp_path, ACTIVE_PLUGINS)

    report = scan(test_database, site_url=SITE_URL, plugins_dir=plugins_dir)

    assert report.errors == []
    assert [finding.to_dict() for finding in report.findings] == []
    assert report.cms == "wordpress"
    assert report.database == test_database.name
    assert report.tables_scanned == 4
    assert report.rows_scanned > 350


def test_every_injection_is_found_at_its_exact_place(
    injected_site: InjectedSite,
) -> None:
    report = scan(
        injected_site.database,
        site_url=SITE_URL,
        plugins_dir=injected_site.plugins_dir,
    )

    assert report.errors == []
    expected = {
        (item.table, item.column, item.key, item.path): item
        for item in injected_site.expected
    }
    found = {place_of(finding): finding for finding in report.findings}
    assert len(found) == len(report.findings), "one finding per place"
    assert set(found) == set(expected), "every injection found, nothing clean flagged"
    for place, finding in found.items():
        assert finding.rule in expected[place].rules, place
        assert finding.type == "database"
        assert finding.location.database == injected_site.database.name


def test_findings_carry_what_a_cleanup_needs(injected_site: InjectedSite) -> None:
    report = scan(injected_site.database, site_url=SITE_URL)

    for finding in report.findings:
        value = stored_value(injected_site.database, finding)
        data = finding.to_dict()
        assert data["sha256"] == hashlib.sha256(value.encode()).hexdigest()
        assert 0 < len(data["snippet"]) <= 160
        assert data["severity"] in ("critical", "high", "medium", "low")
        assert data["title"]
        assert set(data["location"]) >= {"database", "table", "column", "key", "name"}

    names = {finding.location.name for finding in report.findings}
    assert {"week-17", "widget_text", "siteurl", "cron", "wpsupport_8f3a1c"} <= names


def test_small_pages_find_the_same(injected_site: InjectedSite) -> None:
    whole = scan(injected_site.database, site_url=SITE_URL)
    paged = scan(injected_site.database, site_url=SITE_URL, batch_size=7)

    assert sorted(map(place_of, paged.findings)) == sorted(
        map(place_of, whole.findings)
    )
    assert paged.rows_scanned == whole.rows_scanned


def test_admin_findings_say_why(injected_site: InjectedSite) -> None:
    report = scan(injected_site.database, site_url=SITE_URL)
    admins = {
        finding.location.name: finding
        for finding in report.findings
        if finding.rule == "wp_suspicious_admin"
    }

    assert set(admins) == {"wpsupport_8f3a1c", "adminbackup", "helper", "k7x2m9q4"}
    assert admins["adminbackup"].severity == "high"
    assert "0000-00-00" in admins["adminbackup"].reasons[0]
    assert "future" in admins["helper"].reasons[0]
    assert "template" in admins["wpsupport_8f3a1c"].reasons[0]
    assert admins["k7x2m9q4"].severity == "medium"
    assert len(admins["k7x2m9q4"].reasons) == 3


def test_site_url_mismatch_without_a_known_address(
    test_database: ScratchDatabase,
) -> None:
    create_wordpress_tables(test_database, tables=["options"])
    insert_option(test_database, "wp_", "siteurl", "https://www.greenthumb.example")
    insert_option(test_database, "wp_", "home", "https://pills-redirect.example/shop")

    report = scan(test_database)

    assert {finding.location.name for finding in report.findings} == {"siteurl", "home"}
    assert all(finding.rule == "wp_site_url_mismatch" for finding in report.findings)


def test_www_and_bare_domain_are_one_site(test_database: ScratchDatabase) -> None:
    create_wordpress_tables(test_database, tables=["options"])
    insert_option(test_database, "wp_", "siteurl", "https://greenthumb.example/wp")
    insert_option(test_database, "wp_", "home", "https://www.greenthumb.example")

    report = scan(test_database, site_url="http://greenthumb.example")

    assert report.findings == []


def test_single_admin_site_is_not_flagged(test_database: ScratchDatabase) -> None:
    create_wordpress_tables(test_database)
    # An installer's random login, no posts and an old zero date: still the
    # site's own admin, with no other account to stand out against.
    insert_user(
        test_database,
        "wp_",
        1,
        "admin_7f3e9a",
        "owner@shop.example",
        "0000-00-00 00:00:00",
        "administrator",
    )

    report = scan(test_database)

    assert report.errors == []
    assert report.findings == []


def test_unreadable_cron_is_an_error_and_the_scan_goes_on(
    test_database: ScratchDatabase,
) -> None:
    build_clean_wordpress(test_database)
    test_database.execute(
        "UPDATE wp_options SET option_value = 'a:2:{i:1;s:99:\"short\";}' "
        "WHERE option_name = 'cron'"
    )
    test_database.execute(
        "UPDATE wp_posts SET post_content = CONCAT(post_content, %s) WHERE ID = 5",
        ("<script src='https://cdn-jquery.top/j.js'></script>",),
    )

    report = scan(test_database, site_url=SITE_URL)

    assert [error.where for error in report.errors] == ["wp_options cron"]
    assert "not readable PHP serialisation" in report.errors[0].message
    assert [finding.location.key for finding in report.findings] == [{"ID": 5}]


def test_the_scanning_session_refuses_writes(test_database: ScratchDatabase) -> None:
    create_wordpress_tables(test_database, tables=["options"])
    connection = test_database.connect_read_only()
    try:
        with pytest.raises(pymysql.MySQLError) as raised, connection.cursor() as cursor:
            cursor.execute("DELETE FROM wp_options")
    finally:
        connection.close()

    assert raised.value.args[0] == 1792
