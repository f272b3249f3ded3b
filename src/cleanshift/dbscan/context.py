"""The state one database scan shares between its checks.

Each check runs as a step: if it fails (a missing table, a lost
connection, a value the rules time out on), the failure is written on the
report and the next step runs.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import yara_x

from cleanshift.dbscan.connection import (
    MYSQL_ERRORS,
    Connection,
    current_database,
    describe_mysql_error,
    key_columns,
    quote_identifier,
    require_table,
    stream_rows,
    table_exists,
)
from cleanshift.dbscan.errors import DbScanError
from cleanshift.dbscan.findings import (
    DatabaseFinding,
    DatabaseLocation,
    DatabaseScanReport,
)
from cleanshift.dbscan.matching import ValueScanner
from cleanshift.engine.rules import RuleSetError

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class TextColumn:
    """A column to match against the rules, and the kind of field it is."""

    name: str
    field: str


@dataclass(frozen=True)
class TextTable:
    """A table whose text columns are matched value by value.

    ``where`` is a trusted SQL condition with ``%s`` placeholders filled
    from ``params``. ``name_column`` gives each row's human name; where the
    name lives in another table, ``name_query`` fetches it for a finding's
    row, given the value of the key column ``name_key``.
    """

    table: str
    columns: tuple[TextColumn, ...]
    name_column: str | None = None
    where: str = ""
    params: tuple[object, ...] = ()
    name_query: str = ""
    name_key: str = ""


class ScanContext:
    """A connection, the rules and the report, for the checks of one scan."""

    def __init__(
        self,
        connection: Connection,
        report: DatabaseScanReport,
        *,
        rules: yara_x.Rules | None = None,
        batch_size: int = 500,
    ) -> None:
        self.connection = connection
        self.report = report
        self.scanner = ValueScanner(rules)
        self.batch_size = max(1, batch_size)
        self._tables_seen: set[str] = set()

    @property
    def database(self) -> str:
        """The name of the database being scanned, asked once when needed."""
        if not self.report.database:
            self.report.database = current_database(self.connection)
        return self.report.database

    def load_database_name(self) -> None:
        """Ask the server which database this is, for the report."""
        self.report.database = self.database

    def run(self, where: str, check: Callable[[], None]) -> None:
        """Run one check; a failure becomes an error entry on the report."""
        if not self.connection.open:
            self.report.add_error(where, "skipped: the database connection was lost")
            return
        try:
            check()
        except (DbScanError, RuleSetError) as error:
            self.report.add_error(where, str(error))
        except MYSQL_ERRORS as error:
            self.report.add_error(where, describe_mysql_error(error))
        except (yara_x.TimeoutError, yara_x.ScanError) as error:
            self.report.add_error(where, f"rules did not finish: {error}")
        logger.debug("step %s done", where)

    def require(self, *tables: str) -> None:
        """Raise ``MissingTableError`` unless every table exists; count them."""
        for table in tables:
            if table not in self._tables_seen:
                require_table(self.connection, table)
                self.count_table(table)

    def query(self, sql: str, params: Sequence[object] = ()) -> list[tuple[Any, ...]]:
        """Run one small read query and return all its rows."""
        with self.connection.cursor() as cursor:
            cursor.execute(sql, list(params) if params else None)
            return list(cursor.fetchall())

    def count_by_owner(
        self, table: str, owner_column: str, owners: Sequence[object], where: str = ""
    ) -> dict[object, int] | None:
        """How many rows of ``table`` each owner has; None without the table.

        ``where`` is a trusted extra SQL condition.
        """
        if not owners or not table_exists(self.connection, table):
            return None
        column = quote_identifier(owner_column)
        placeholders = ", ".join(["%s"] * len(owners))
        condition = f" AND ({where})" if where else ""
        rows = self.query(
            f"SELECT {column}, COUNT(*) FROM {quote_identifier(table)} "  # noqa: S608
            f"WHERE {column} IN ({placeholders}){condition} GROUP BY {column}",
            owners,
        )
        return {owner: int(count) for owner, count in rows}

    def count_table(self, table: str) -> None:
        """Count a table as scanned, once however many checks read it."""
        if table not in self._tables_seen:
            self._tables_seen.add(table)
            self.report.tables_scanned += 1

    def scan_text_table(self, spec: TextTable) -> None:
        """Match every listed column of every row against the rules."""
        keys = key_columns(self.connection, spec.table)
        if not keys:
            logger.warning(
                "table %s has no unique key; its findings carry no row key",
                spec.table,
            )
        names = [spec.name_column] if spec.name_column else []
        columns = [column.name for column in spec.columns]
        rows = stream_rows(
            self.connection,
            spec.table,
            keys,
            [*names, *columns],
            batch_size=self.batch_size,
            where=spec.where,
            params=spec.params,
        )

        self.count_table(spec.table)
        width = len(keys) + len(names)
        for row in rows:
            self.report.rows_scanned += 1
            for column, value in zip(spec.columns, row[width:], strict=True):
                if value:
                    self._match_value(spec, column, keys, row, value)

    def _match_value(
        self,
        spec: TextTable,
        column: TextColumn,
        keys: Sequence[str],
        row: tuple[Any, ...],
        value: str | bytes,
    ) -> None:
        # The key and name are built only for a match: most rows have none.
        try:
            match = self.scanner.scan(value, column.field)
        except (yara_x.TimeoutError, yara_x.ScanError) as error:
            key = dict(zip(keys, row, strict=False))
            self.report.add_error(
                f"{spec.table}.{column.name} {key}", f"rules did not finish: {error}"
            )
            return
        if match is None:
            return
        key = dict(zip(keys, row, strict=False))
        name = _text(row[len(keys)]) if spec.name_column else ""
        if spec.name_query and spec.name_key in key:
            name = self._lookup_name(spec.name_query, key[spec.name_key])
        location = DatabaseLocation(self.database, spec.table, column.name, key, name)
        self.add_finding(
            DatabaseFinding(
                rule=match.rule.name,
                severity=match.rule.severity,
                family=match.rule.family,
                title=match.rule.description,
                location=location,
                sha256=match.sha256,
                snippet=match.snippet,
                matched_rules=match.matched_rules,
            )
        )

    def _lookup_name(self, sql: str, key_value: object) -> str:
        # A name is a convenience; a missing name table must not cost the
        # finding.
        try:
            rows = self.query(sql, (key_value,))
        except MYSQL_ERRORS as error:
            logger.debug("no name for %s: %s", key_value, describe_mysql_error(error))
            return ""
        return _text(rows[0][0]) if rows else ""

    def add_finding(self, finding: DatabaseFinding) -> None:
        """Put a finding on the report and say so at INFO."""
        self.report.findings.append(finding)
        location = finding.location
        logger.info(
            "database threat %s (%s) in %s.%s %s",
            finding.rule,
            finding.severity,
            location.table,
            location.column,
            dict(location.key),
        )

    def location(
        self,
        table: str,
        column: str,
        key: Mapping[str, object],
        name: str = "",
        path: Sequence[str] = (),
    ) -> DatabaseLocation:
        """A location in this scan's database."""
        return DatabaseLocation(
            self.database, table, column, dict(key), name, tuple(path)
        )


def _text(value: object) -> str:
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return "" if value is None else str(value)


def run_scan(
    connection: Connection,
    cms: str,
    checks: Callable[[ScanContext], None],
    *,
    rules: yara_x.Rules | None,
    batch_size: int,
    report: DatabaseScanReport | None = None,
) -> DatabaseScanReport:
    """Run one CMS's checks on a connection and time them on the report."""
    report = report if report is not None else DatabaseScanReport()
    report.cms = cms
    started = time.monotonic()
    context = ScanContext(connection, report, rules=rules, batch_size=batch_size)
    logger.info("database scan of a %s site started", cms)
    context.run("database", context.load_database_name)
    checks(context)
    report.duration += time.monotonic() - started
    logger.info(
        "database scan finished: %d findings, %d errors, %d rows in %d tables",
        len(report.findings),
        len(report.errors),
        report.rows_scanned,
        report.tables_scanned,
    )
    return report
