"""Scan reports as CSV for spreadsheets and SARIF 2.1.0 for code-scanning tools."""

from __future__ import annotations

import csv
import io
import logging
import os
from pathlib import Path
from typing import Any

from cleanshift import __version__
from cleanshift.engine.findings import Finding, ScanReport
from cleanshift.engine.integrity import CHECK_DESCRIPTIONS
from cleanshift.engine.paths import display_path, raw_path_field, uri_path

logger = logging.getLogger(__name__)

CSV_COLUMNS = (
    "root",
    "path",
    "raw_path",
    "severity",
    "type",
    "rule",
    "family",
    "title",
    "line",
    "offset",
    "sha256",
    "matched_rules",
    "snippet",
)
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SARIF_LEVELS = {"critical": "error", "high": "error", "medium": "warning"}
# A spreadsheet runs a cell that starts with one of these as a formula, and
# file names and snippets come from the attacker.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def reports_to_csv(reports: list[ScanReport]) -> str:
    """One row per finding, most severe first within each scanned root."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for report in reports:
        root = display_path(report.root)
        for finding in report.sorted_findings():
            item = finding.to_dict()
            item["root"] = root
            item["matched_rules"] = " ".join(finding.matched_rules)
            writer.writerow(_cell(item[column]) for column in CSV_COLUMNS)
    return buffer.getvalue()


def reports_to_sarif(reports: list[ScanReport]) -> dict[str, Any]:
    """One SARIF run; each scanned root is a ``ROOTn`` base for relative URIs."""
    rules: dict[str, dict[str, Any]] = {}
    results = []
    bases = {}
    for number, report in enumerate(reports):
        base_id = f"ROOT{number}"
        bases[base_id] = {"uri": _base_uri(report.root)}
        for finding in report.sorted_findings():
            if finding.rule not in rules:
                rules[finding.rule] = _sarif_rule(finding)
            results.append(_sarif_result(finding, base_id))

    rule_ids = sorted(rules)
    index = {rule_id: number for number, rule_id in enumerate(rule_ids)}
    for result in results:
        result["ruleIndex"] = index[result["ruleId"]]
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "CleanShift",
                        "version": __version__,
                        "rules": [rules[rule_id] for rule_id in rule_ids],
                    }
                },
                "originalUriBaseIds": bases,
                "results": results,
            }
        ],
    }


def _cell(value: object) -> str:
    text = "" if value is None else str(value)
    if text.startswith(_FORMULA_STARTS):
        return "'" + text
    return text


def _level(severity: str) -> str:
    return SARIF_LEVELS.get(severity, "note")


def _sarif_rule(finding: Finding) -> dict[str, Any]:
    description = CHECK_DESCRIPTIONS.get(finding.rule, finding.title)
    return {
        "id": finding.rule,
        "name": finding.rule,
        "shortDescription": {"text": description},
        "defaultConfiguration": {"level": _level(finding.severity)},
        "properties": {
            "severity": finding.severity,
            "family": finding.family,
            "type": finding.type,
        },
    }


def _sarif_result(finding: Finding, base_id: str) -> dict[str, Any]:
    region: dict[str, Any] = {}
    if finding.line is not None:
        region["startLine"] = finding.line
    if finding.offset is not None:
        region["byteOffset"] = finding.offset
    if region and finding.snippet:
        region["snippet"] = {"text": finding.snippet}
    location: dict[str, Any] = {
        "artifactLocation": {"uri": uri_path(finding.path), "uriBaseId": base_id}
    }
    if region:
        location["region"] = region
    properties: dict[str, Any] = {
        "severity": finding.severity,
        "type": finding.type,
        "family": finding.family,
        "matchedRules": list(finding.matched_rules),
    }
    raw = raw_path_field(finding.path)
    if raw:
        properties["rawPath"] = raw
    return {
        "ruleId": finding.rule,
        "level": _level(finding.severity),
        "message": {"text": finding.title},
        "locations": [{"physicalLocation": location}],
        "partialFingerprints": {"sha256/v1": finding.sha256},
        "properties": properties,
    }


def _base_uri(root: bytes) -> str:
    # A scanned file's findings name the file itself, relative to its folder.
    absolute = os.path.abspath(root)
    if not os.path.isdir(absolute):
        absolute = os.path.dirname(absolute)
    return Path(os.fsdecode(absolute)).as_uri().rstrip("/") + "/"
