"""What a database scan reports: findings that address one value each.

A finding's location names the database, table, column and primary key of
the row, so that a remediation can change that one value, and its
``sha256`` lets the remediation check that the value has not changed since.
"""

from __future__ import annotations

import datetime
import decimal
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from cleanshift.engine.findings import SEVERITY_ORDER

FINDING_TYPE = "database"


def _json_value(value: object) -> object:
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    return value


@dataclass(frozen=True)
class DatabaseLocation:
    """Where a value lives.

    ``key`` maps the row's primary-key columns to their values; ``name`` is
    the row's human name (an option name, a post slug, a user login).
    ``path`` leads into a serialised value, such as a cron event inside the
    ``cron`` option, when the finding is about one part of it.
    """

    database: str
    table: str
    column: str
    key: Mapping[str, object]
    name: str = ""
    path: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """The JSON form."""
        data: dict[str, Any] = {
            "database": self.database,
            "table": self.table,
            "column": self.column,
            "key": {column: _json_value(value) for column, value in self.key.items()},
            "name": self.name,
        }
        if self.path:
            data["path"] = list(self.path)
        return data


@dataclass(frozen=True)
class DatabaseFinding:
    """One suspicious value, or one suspicious row such as an admin account.

    ``rule`` is a YARA rule's name for content findings, or the name of the
    structural check (``wp_suspicious_admin``, ``wp_cron_encoded_payload``).
    ``sha256`` is the digest of the column's value as UTF-8.
    """

    rule: str
    severity: str
    family: str
    title: str
    location: DatabaseLocation
    sha256: str
    snippet: str = ""
    matched_rules: tuple[str, ...] = ()
    reasons: tuple[str, ...] = ()
    type: str = FINDING_TYPE

    def to_dict(self) -> dict[str, Any]:
        """The JSON form."""
        return {
            "type": self.type,
            "severity": self.severity,
            "rule": self.rule,
            "family": self.family,
            "title": self.title,
            "location": self.location.to_dict(),
            "snippet": self.snippet,
            "sha256": self.sha256,
            "matched_rules": list(self.matched_rules),
            "reasons": list(self.reasons),
        }


@dataclass(frozen=True)
class ScanProblem:
    """Something the scan could not do, and where: it went on without it."""

    where: str
    message: str

    def to_dict(self) -> dict[str, str]:
        """The JSON form."""
        return {"where": self.where, "message": self.message}


@dataclass
class DatabaseScanReport:
    """Everything one scan of one site's database found and could not do."""

    site: str = ""
    cms: str = ""
    database: str = ""
    findings: list[DatabaseFinding] = field(default_factory=list)
    errors: list[ScanProblem] = field(default_factory=list)
    tables_scanned: int = 0
    rows_scanned: int = 0
    duration: float = 0.0

    def add_error(self, where: str, message: str) -> None:
        """Record a step that failed; the scan carries on with the next."""
        self.errors.append(ScanProblem(where, message))

    def sorted_findings(self) -> list[DatabaseFinding]:
        """Most severe first, then by table and key."""
        return sorted(
            self.findings,
            key=lambda finding: (
                SEVERITY_ORDER[finding.severity],
                finding.location.table,
                str(tuple(finding.location.key.values())),
            ),
        )

    def to_dict(self) -> dict[str, Any]:
        """The JSON form of the whole report."""
        return {
            "site": self.site,
            "cms": self.cms,
            "database": self.database,
            "tables_scanned": self.tables_scanned,
            "rows_scanned": self.rows_scanned,
            "duration": round(self.duration, 3),
            "findings": [finding.to_dict() for finding in self.sorted_findings()],
            "errors": [error.to_dict() for error in self.errors],
        }
