"""Changing one database value safely: the site's credentials, a guarded update.

The credentials come from the site's own configuration, read as text by
``cleanshift.dbscan``; they live in memory for one playbook run and appear
in no step, record or log line. Each change is one transaction that locks
the row, checks its value is still the one the scan (or the fix) saw, and
updates it only ``WHERE`` the key matches and the value's digest is
unchanged, so a concurrent edit is never overwritten.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pymysql  # type: ignore[import-untyped, unused-ignore]

from cleanshift.dbscan.connection import (
    MYSQL_ERRORS,
    connection_address,
    describe_mysql_error,
    key_columns,
    quote_identifier,
)
from cleanshift.dbscan.credentials import DatabaseCredentials, SiteDatabaseConfig
from cleanshift.dbscan.errors import DbScanError
from cleanshift.dbscan.matching import value_digest
from cleanshift.dbscan.siteconfig import read_site_config
from cleanshift.remediation.errors import (
    PayloadError,
    RemediationError,
    TargetChangedError,
    ToolError,
)
from cleanshift.remediation.targets import inside_web_roots
from cleanshift.sites.discovery import discover_sites

logger = logging.getLogger(__name__)

Value = str | bytes


@dataclass(frozen=True)
class RowAddress:
    """Where a value lives: database, table, column, key, and a path inside it."""

    database: str
    table: str
    column: str
    key: dict[str, Any]
    path: tuple[str, ...] = ()

    @classmethod
    def from_location(cls, location: dict[str, Any]) -> RowAddress:
        """Read a database finding's location; ``PayloadError`` if incomplete."""
        names = [location.get(name) for name in ("database", "table", "column")]
        key, path = location.get("key"), location.get("path") or []
        if not all(isinstance(name, str) and name for name in names):
            raise PayloadError("the threat's location lacks database, table or column")
        if not isinstance(key, dict) or not key or not isinstance(path, list):
            raise PayloadError("the threat's location does not give the row's key")
        database, table, column = (str(name) for name in names)
        return cls(
            database, table, column, dict(key), tuple(str(part) for part in path)
        )

    def describe(self) -> str:
        """``table.column`` and the key, as steps show a row."""
        keys = ", ".join(f"{name}={value!r}" for name, value in self.key.items())
        return f"{self.table}.{self.column} ({keys})"


def find_site_config(
    address: RowAddress, site_path: str | None, web_roots: list[Path]
) -> tuple[str, SiteDatabaseConfig]:
    """The site (and its configuration) whose database holds ``address``.

    ``site_path`` is used when given; otherwise the sites under the web
    roots are searched for one configured with that database and a table
    prefix that fits the table.
    """
    if site_path:
        inside_web_roots(os.path.join(os.fsencode(site_path), b"x"), web_roots)
        candidates = [site_path]
    else:
        candidates = [site.path for site in discover_sites(web_roots, virtual_hosts=[])]
    fitting = []
    for candidate in candidates:
        try:
            config = read_site_config(Path(candidate))
        except DbScanError as error:
            logger.debug("no database configuration in %s: %s", candidate, error)
            continue
        if config.credentials.database == address.database and address.table.startswith(
            config.prefix
        ):
            fitting.append((candidate, config))
    if not fitting:
        raise RemediationError(
            f"no site under this agent's web roots is configured with the database "
            f"{address.database} and a table prefix matching {address.table}; "
            "clean the value by hand"
        )
    return max(fitting, key=lambda found: len(found[1].prefix))


@contextmanager
def open_connection(credentials: DatabaseCredentials) -> Iterator[Any]:
    """A read-write connection with autocommit off, closed on exit."""
    address = connection_address(credentials)
    try:
        connection = pymysql.connect(
            user=credentials.user,
            password=credentials.password.encode("utf-8", "surrogateescape"),
            database=credentials.database,
            charset="utf8mb4",
            autocommit=False,
            connect_timeout=10,
            read_timeout=120,
            **address,
        )
    except MYSQL_ERRORS as error:
        message = credentials.redact(describe_mysql_error(error))
        raise ToolError(f"cannot connect to the site's database: {message}") from None
    try:
        yield connection
    finally:
        connection.close()


class RowEditor:
    """Reads and rewrites one value of one row, on one connection."""

    def __init__(self, connection: Any, address: RowAddress) -> None:
        self.connection = connection
        self.address = address
        keys = key_columns(connection, address.table)
        if set(keys) != set(address.key) or not keys:
            raise PayloadError(
                f"the finding's key {sorted(address.key)} is not the primary key "
                f"{list(keys)} of {address.table}; the row cannot be addressed safely"
            )
        self._where = " AND ".join(f"{quote_identifier(name)} = %s" for name in keys)
        self._key_values = [address.key[name] for name in keys]
        self._source = f"{quote_identifier(address.table)} WHERE {self._where}"
        self._column = quote_identifier(address.column)

    def read(self, *, lock: bool = False) -> Value | None:
        """The current value, or ``None`` if the row is gone."""
        query = f"SELECT {self._column} FROM {self._source}"  # noqa: S608
        with self.connection.cursor() as cursor:
            cursor.execute(query + (" FOR UPDATE" if lock else ""), self._key_values)
            row = cursor.fetchone()
        if row is None:
            return None
        value = row[0]
        return value if isinstance(value, str | bytes) else str(value)

    def replace(self, expected_sha256: str, new_value: Value) -> None:
        """Write ``new_value`` if the value still has ``expected_sha256``."""
        try:
            self.connection.begin()
            current = self.read(lock=True)
            if current is None or value_digest(current) != expected_sha256:
                raise TargetChangedError(
                    f"{self.address.describe()} changed in the meantime; it was "
                    "left as it is. Scan again and act on the new finding."
                )
            digest_of = (
                self._column
                if isinstance(current, bytes)
                else (f"CONVERT({self._column} USING utf8mb4)")
            )
            update = (
                f"UPDATE {quote_identifier(self.address.table)} "  # noqa: S608
                f"SET {self._column} = %s WHERE {self._where} "
                f"AND SHA2({digest_of}, 256) = %s"
            )
            with self.connection.cursor() as cursor:
                changed = cursor.execute(
                    update, [new_value, *self._key_values, expected_sha256]
                )
            if changed != 1 or self.read() != new_value:
                raise TargetChangedError(
                    f"{self.address.describe()} could not be updated as read; "
                    "nothing was changed"
                )
            self.connection.commit()
        except BaseException:
            self._rollback_quietly()
            raise

    def _rollback_quietly(self) -> None:
        try:
            self.connection.rollback()
        except MYSQL_ERRORS as error:
            logger.warning("rollback failed: %s", describe_mysql_error(error))
