"""CSV and SARIF renderings of scan reports."""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path

from cleanshift.engine.exports import CSV_COLUMNS, reports_to_csv, reports_to_sarif
from cleanshift.engine.findings import Finding, ScanReport
from cleanshift.engine.integrity import CHECK_DESCRIPTIONS, INTEGRITY_RULE


def finding(path: bytes, severity: str, rule: str = "", **extra: object) -> Finding:
    fields: dict[str, object] = {
        "path": path,
        "rule": rule or f"rule_{severity}",
        "severity": severity,
        "type": "malware",
        "family": "webshell",
        "title": f"A {severity} problem",
        "sha256": "ab" * 32,
        **extra,
    }
    return Finding(**fields)  # type: ignore[arg-type]


def test_sarif_levels_follow_severity_and_checks_get_their_description(
    tmp_path: Path,
) -> None:
    report = ScanReport(root=os.fsencode(tmp_path))
    report.findings = [
        finding(b"a.php", "critical", line=2, offset=10, snippet="eval("),
        finding(b"b.php", "high"),
        finding(b"c.php", "medium"),
        finding(b"d.php", "low"),
        finding(
            b"wp-includes/x.php",
            "high",
            INTEGRITY_RULE,
            type="integrity",
            family="integrity",
            title="Modified file of wordpress 6.1.9",
        ),
    ]

    run = reports_to_sarif([report])["runs"][0]

    levels = {
        result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]: result[
            "level"
        ]
        for result in run["results"]
    }
    assert levels == {
        "a.php": "error",
        "b.php": "error",
        "c.php": "warning",
        "d.php": "note",
        "wp-includes/x.php": "error",
    }
    rules = {rule["id"]: rule for rule in run["tool"]["driver"]["rules"]}
    assert (
        rules[INTEGRITY_RULE]["shortDescription"]["text"]
        == (CHECK_DESCRIPTIONS[INTEGRITY_RULE])
    )
    first = run["results"][0]["locations"][0]["physicalLocation"]
    assert first["region"] == {
        "startLine": 2,
        "byteOffset": 10,
        "snippet": {"text": "eval("},
    }
    assert "region" not in run["results"][1]["locations"][0]["physicalLocation"]


def test_a_scanned_file_is_located_relative_to_its_folder(tmp_path: Path) -> None:
    target = tmp_path / "shell.php"
    target.write_text("<?php\n")
    report = ScanReport(root=os.fsencode(target))
    report.findings = [finding(b"shell.php", "high")]

    run = reports_to_sarif([report])["runs"][0]

    assert run["originalUriBaseIds"]["ROOT0"]["uri"] == tmp_path.as_uri() + "/"


def test_csv_cells_cannot_start_a_formula(tmp_path: Path) -> None:
    report = ScanReport(root=os.fsencode(tmp_path))
    report.findings = [
        finding(b"=HYPERLINK(1).php", "high", snippet="+cmd|' /c calc'!A0"),
        finding(b"@sum.php", "low", snippet="-2+3"),
    ]

    rows = list(csv.reader(io.StringIO(reports_to_csv([report]))))

    assert tuple(rows[0]) == CSV_COLUMNS
    cells = [cell for row in rows[1:] for cell in row]
    assert not [cell for cell in cells if cell[:1] in ("=", "+", "-", "@")]
    assert "'=HYPERLINK(1).php" in cells
