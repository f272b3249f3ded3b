"""``cleanshift scan`` on whole sites: known vulnerabilities and databases."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.api.test_vulnerabilities import SAMPLE, expected_ids
from tests.conftest import CORPUS
from tests.dbscan.conftest import ScratchDatabase
from tests.dbscan.test_site import write_wp_config
from tests.dbscan.wordpress_content import build_clean_wordpress
from tests.dbscan.wordpress_injections import inject_everything
from tests.dbscan.wordpress_schema import create_wordpress_tables, insert_option

CONTACT_FORM_7 = CORPUS / "clean" / "contact-form-7"


def cleanshift(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cleanshift", *args],
        capture_output=True,
        text=True,
        timeout=600,
    )


@pytest.fixture
def feed() -> dict[str, Any]:
    if not SAMPLE.is_file():
        pytest.skip(f"the shared vulnerability sample {SAMPLE} is not here")
    document: dict[str, Any] = json.loads(SAMPLE.read_text())
    return document


def add_contact_form_7(site: Path, version: str | None) -> None:
    """The real plugin's code; with ``version``, its header claims that release.

    No older release can be fetched here, so an older one is the current code
    with the version its main file's header declares changed: discovery reads
    that header exactly as it would in the real release.
    """
    if not CONTACT_FORM_7.is_dir():
        pytest.skip(f"the shared corpus plugin {CONTACT_FORM_7} is not here")
    target = site / "wp-content" / "plugins" / "contact-form-7"
    shutil.copytree(CONTACT_FORM_7, target)
    if version is not None:
        main = target / "wp-contact-form-7.php"
        main.write_text(
            re.sub(r"(?m)^( \* Version: ).*$", rf"\g<1>{version}", main.read_text())
        )


def vulnerability_ids(document: dict[str, Any]) -> set[str]:
    return {
        finding["rule"]
        for finding in document["findings"]
        if finding["type"] == "vulnerability"
    }


def test_vulndb_reports_exactly_the_advisories_of_core_and_plugin(
    wordpress_site: Path, feed: dict[str, Any]
) -> None:
    add_contact_form_7(wordpress_site, "5.3.1")

    result = cleanshift(
        "scan", str(wordpress_site), "--vulndb", str(SAMPLE), "--format", "json"
    )

    assert result.returncode == 1, result.stderr
    document = json.loads(result.stdout)
    expected = expected_ids(feed, {"wordpress": "6.1.9", "contact-form-7": "5.3.1"})
    assert vulnerability_ids(document) == expected
    plugin = [
        f for f in document["findings"] if f["location"]["slug"] == "contact-form-7"
    ]
    assert {f["path"] for f in plugin} == {"wp-content/plugins/contact-form-7"}
    assert {f["details"]["installed_version"] for f in plugin} == {"5.3.1"}
    assert all("Defiant" in json.dumps(f["details"]["copyrights"]) for f in plugin)


def test_current_plugin_code_carries_no_plugin_advisory(
    wordpress_site: Path, feed: dict[str, Any]
) -> None:
    add_contact_form_7(wordpress_site, None)

    result = cleanshift(
        "scan", str(wordpress_site), "--vulndb", str(SAMPLE), "--format", "json"
    )

    document = json.loads(result.stdout)
    assert vulnerability_ids(document) == expected_ids(feed, {"wordpress": "6.1.9"})


def test_vulnerabilities_say_whether_the_plugin_is_active(
    wordpress_site: Path, feed: dict[str, Any], test_database: ScratchDatabase
) -> None:
    add_contact_form_7(wordpress_site, "5.3.1")
    write_wp_config(wordpress_site, test_database.name, plugins=())
    create_wordpress_tables(test_database, tables=("options",))
    insert_option(
        test_database, "wp_", "active_plugins", ["contact-form-7/wp-contact-form-7.php"]
    )

    result = cleanshift(
        "scan", str(wordpress_site), "--vulndb", str(SAMPLE), "--format", "json"
    )

    document = json.loads(result.stdout)
    active = {
        (f["location"]["software_type"], f["details"]["active"])
        for f in document["findings"]
        if f["type"] == "vulnerability"
    }
    assert active == {("core", None), ("plugin", True)}


def test_deep_scan_reads_the_database_through_wp_config(
    wordpress_site: Path, test_database: ScratchDatabase
) -> None:
    build_clean_wordpress(test_database)
    injected = inject_everything(test_database)
    write_wp_config(wordpress_site, test_database.name)

    result = cleanshift(
        "scan", str(wordpress_site), "--mode", "deep", "--format", "json", "--no-cache"
    )

    assert result.returncode == 1, result.stderr
    document = json.loads(result.stdout)
    found = {
        (
            f["location"]["table"],
            f["location"]["column"],
            tuple(f["location"]["key"].items()),
            tuple(f["location"].get("path", ())),
        )
        for f in document["findings"]
        if f["type"] == "database"
    }
    assert found == {
        (item.table, item.column, item.key, tuple(item.path or ())) for item in injected
    }
    assert document["problems"] == []
    files = [f for f in document["findings"] if f["type"] != "database"]
    assert files == []


def test_deep_scan_reports_an_unreachable_database_and_goes_on(
    wordpress_site: Path,
) -> None:
    write_wp_config(wordpress_site, "wordpress", host="127.0.0.1:1")
    (wordpress_site / "wp-content" / "uploads").mkdir(parents=True, exist_ok=True)
    (wordpress_site / "wp-content" / "uploads" / "x.php").write_text(
        "<?php system($_GET['c']);\n"
    )

    result = cleanshift(
        "scan", str(wordpress_site), "--mode", "deep", "--format", "json", "--no-cache"
    )

    document = json.loads(result.stdout)
    assert [p["where"] for p in document["problems"]] == ["connection"]
    assert any(f["path"] == "wp-content/uploads/x.php" for f in document["findings"])
