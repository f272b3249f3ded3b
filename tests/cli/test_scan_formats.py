"""``cleanshift scan --format csv|sarif`` and quick mode, as a user runs them."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
from pathlib import Path
from typing import Any

import pytest

from tests.cli.test_scan_command import WEBSHELL, cleanshift

ODD_NAME = b"caf\xe9 shell.php"
SHELL = b"<?php\n\n$x = 1;\nsystem($_GET['cmd']);\n"


@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    (root / "wp-content" / "uploads").mkdir(parents=True)
    (root / "lib").mkdir()
    (root / "index.php").write_text("<?php echo 'home';\n")
    (root / "wp-content" / "uploads" / "cache.php").write_bytes(WEBSHELL)
    (root / "lib" / "=cmd.php").write_bytes(SHELL)
    with open(os.path.join(os.fsencode(root), b"lib", ODD_NAME), "wb") as handle:
        handle.write(SHELL)
    (root / "lib" / "clean.php").write_text("<?php echo 1;\n")
    return root


def test_csv_has_one_row_per_finding_and_defuses_formulas(site: Path) -> None:
    result = cleanshift("scan", str(site), "--format", "csv")

    assert result.returncode == 1, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    by_path = {row["path"]: row for row in rows}
    assert set(by_path) == {
        "wp-content/uploads/cache.php",
        "lib/caf\\xe9 shell.php",
        "lib/=cmd.php",
    }
    shell = by_path["wp-content/uploads/cache.php"]
    assert shell["line"] == "3"
    assert shell["sha256"] == hashlib.sha256(WEBSHELL).hexdigest()
    assert shell["severity"] in ("critical", "high")
    assert shell["root"] == str(site)
    assert by_path["lib/caf\\xe9 shell.php"]["raw_path"]
    assert rows[0]["snippet"]
    # The first column a spreadsheet could run as a formula starts with '.
    injected = [
        row for row in csv.reader(io.StringIO(result.stdout)) if "=cmd" in "".join(row)
    ]
    assert not any(cell.startswith("=") for row in injected for cell in row)


def test_sarif_names_rules_levels_locations_and_fingerprints(site: Path) -> None:
    result = cleanshift("scan", str(site), "--format", "sarif")

    assert result.returncode == 1, result.stderr
    document = json.loads(result.stdout)
    assert document["version"] == "2.1.0"
    [run] = document["runs"]
    rules = run["tool"]["driver"]["rules"]
    rule_ids = [rule["id"] for rule in rules]
    assert run["originalUriBaseIds"]["ROOT0"]["uri"] == site.as_uri() + "/"
    for rule in rules:
        assert rule["shortDescription"]["text"]
        assert rule["properties"]["severity"] in ("critical", "high", "medium", "low")
        assert rule["properties"]["family"]

    results = run["results"]
    assert len(results) == 3
    for item in results:
        rule = rules[item["ruleIndex"]]
        assert item["ruleId"] == rule["id"]
        assert item["ruleId"] in rule_ids
        assert item["level"] == expected_level(rule["properties"]["severity"])
        assert item["message"]["text"]
    locations = {location_of(item)["artifactLocation"]["uri"]: item for item in results}
    assert set(locations) == {
        "wp-content/uploads/cache.php",
        "lib/caf%E9%20shell.php",
        "lib/%3Dcmd.php",
    }
    shell = locations["wp-content/uploads/cache.php"]
    region = location_of(shell)["region"]
    assert region["startLine"] == 3
    assert WEBSHELL.count(b"\n", 0, region["byteOffset"]) + 1 == 3
    assert shell["partialFingerprints"]["sha256/v1"] == (
        hashlib.sha256(WEBSHELL).hexdigest()
    )


def test_quick_scan_reports_cached_findings_of_unchanged_files(
    site: Path, isolated_user_folders: Path
) -> None:
    first = cleanshift("scan", str(site), "--format", "json")
    quick = cleanshift("scan", str(site), "--mode", "quick", "--format", "json")

    assert quick.returncode == 1, quick.stderr
    before, after = json.loads(first.stdout), json.loads(quick.stdout)
    assert after["mode"] == "quick"
    assert after["files_cached"] == 3
    assert after["files_scanned"] == 2
    assert sorted(f["path"] for f in after["findings"]) == sorted(
        f["path"] for f in before["findings"]
    )
    assert (isolated_user_folders / "cache" / "cleanshift").is_dir()


def test_no_cache_leaves_no_cache_file(site: Path, isolated_user_folders: Path) -> None:
    result = cleanshift("scan", str(site), "--no-cache", "--mode", "quick")

    assert result.returncode == 1
    assert not (isolated_user_folders / "cache").exists()


def expected_level(severity: str) -> str:
    return {"critical": "error", "high": "error", "medium": "warning"}.get(
        severity, "note"
    )


def location_of(result: dict[str, Any]) -> dict[str, Any]:
    physical: dict[str, Any] = result["locations"][0]["physicalLocation"]
    return physical
