"""Fixtures for database scans: throwaway databases on the real MariaDB."""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pymysql  # type: ignore[import-untyped, unused-ignore]
import pytest

from cleanshift.dbscan.connection import Connection, connect_read_only
from cleanshift.dbscan.credentials import DatabaseCredentials

MARIADB_HOST = os.environ.get("CLEANSHIFT_TEST_MARIADB_HOST", "127.0.0.1")
MARIADB_PORT = int(os.environ.get("CLEANSHIFT_TEST_MARIADB_PORT", "3306"))
MARIADB_USER = os.environ.get("CLEANSHIFT_TEST_MARIADB_USER", "root")
MARIADB_PASSWORD = os.environ.get("CLEANSHIFT_TEST_MARIADB_PASSWORD", "")


def admin_connection(database: str | None = None) -> pymysql.Connection:
    """A read-write connection for building fixtures, never for scanning."""
    return pymysql.connect(
        host=MARIADB_HOST,
        port=MARIADB_PORT,
        user=MARIADB_USER,
        password=MARIADB_PASSWORD,
        database=database,
        charset="utf8mb4",
        autocommit=True,
    )


@dataclass
class ScratchDatabase:
    """A database made for one test, and how to write to and scan it."""

    name: str
    writer: pymysql.Connection
    readers: list[Connection] = field(default_factory=list)

    @property
    def credentials(self) -> DatabaseCredentials:
        """Credentials of the test server's account for this database."""
        return DatabaseCredentials(
            database=self.name,
            user=MARIADB_USER,
            password=MARIADB_PASSWORD,
            host=MARIADB_HOST,
            port=MARIADB_PORT,
        )

    def execute(self, sql: str, args: object = None) -> None:
        """Run one statement on the writer connection."""
        with self.writer.cursor() as cursor:
            cursor.execute(sql, args)

    def executemany(self, sql: str, rows: Sequence[tuple[object, ...]]) -> None:
        """Run one statement for many rows on the writer connection."""
        with self.writer.cursor() as cursor:
            cursor.executemany(sql, rows)

    def connect_read_only(self) -> Connection:
        """A scanning connection, as the product opens it; closed on drop."""
        self.readers.append(connect_read_only(self.credentials))
        return self.readers[-1]

    def close(self) -> None:
        """Close every connection this test opened to the database."""
        for connection in [*self.readers, self.writer]:
            if connection.open:
                connection.close()


MakeDatabase = Callable[[], ScratchDatabase]


@contextmanager
def scratch_database() -> Iterator[ScratchDatabase]:
    """A fresh ``cleanshift_test_<random>`` database, dropped on exit."""
    name = f"cleanshift_test_{secrets.token_hex(4)}"
    with admin_connection() as admin, admin.cursor() as cursor:
        cursor.execute(
            f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4 "
            "COLLATE utf8mb4_unicode_520_ci"
        )
    database = ScratchDatabase(name, admin_connection(name))
    try:
        # WordPress writes zero dates; the server's strict default refuses them.
        database.execute("SET SESSION sql_mode = 'NO_ENGINE_SUBSTITUTION'")
        yield database
    finally:
        database.close()
        with admin_connection() as admin, admin.cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS `{name}`")


@pytest.fixture
def make_database() -> Iterator[MakeDatabase]:
    """Factory: fresh scratch databases, all dropped after the test."""
    with ExitStack() as stack:
        yield lambda: stack.enter_context(scratch_database())


@pytest.fixture
def test_database(make_database: MakeDatabase) -> ScratchDatabase:
    """One fresh, empty database."""
    return make_database()


def make_plugins_dir(root: Path, entries: Iterable[str]) -> Path:
    """A ``wp-content/plugins`` folder under ``root`` holding these plugins."""
    folder = root / "wp-content" / "plugins"
    for entry in entries:
        (folder / entry).parent.mkdir(parents=True, exist_ok=True)
        (folder / entry).write_text("<?php\n/* Plugin Name: Example */\n")
    return folder
