"""Read-only MySQL connections and streaming reads of large tables.

Tables are read in keyset pages: ``WHERE key > last ORDER BY key LIMIT n``
on the primary key. Each page is one short query, so a table of any size
is read in bounded memory, no long transaction pins the server's undo log,
and each row carries the key a later cleanup needs to address it.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator, Sequence
from typing import Any, Protocol

import pymysql  # type: ignore[import-untyped, unused-ignore]
import pymysql.cursors  # type: ignore[import-untyped, unused-ignore]

from cleanshift.dbscan.credentials import DatabaseCredentials
from cleanshift.dbscan.errors import DatabaseAccessError, MissingTableError

logger = logging.getLogger(__name__)

# Where Debian, Red Hat, macOS and source builds put the server's socket;
# PHP connects to "localhost" through it rather than over TCP.
DEFAULT_SOCKETS = (
    "/run/mysqld/mysqld.sock",
    "/var/run/mysqld/mysqld.sock",
    "/var/lib/mysql/mysql.sock",
    "/tmp/mysql.sock",  # noqa: S108 - only tested for existence, never created
)
# A page of long posts can be large; above this many bytes the next page
# asks for fewer rows, so one page never holds much more than this.
PAGE_BYTES_TARGET = 16 * 1024 * 1024

MYSQL_ERRORS: tuple[type[Exception], ...] = (pymysql.MySQLError,)

# Queries in this package are built with f-strings only around identifiers
# passed through quote_identifier (and table prefixes, which the config
# readers restrict to [A-Za-z0-9_]); every value travels as a parameter.
# That is what each "noqa: S608" below relies on.


class Cursor(Protocol):
    """The part of a PyMySQL cursor this package uses."""

    def execute(self, query: str, args: object = None) -> int: ...

    def fetchone(self) -> tuple[Any, ...] | None: ...

    def fetchall(self) -> Sequence[tuple[Any, ...]]: ...

    def __iter__(self) -> Iterator[tuple[Any, ...]]: ...

    def __enter__(self) -> Cursor: ...

    def __exit__(self, *exc_info: object) -> None: ...


class Connection(Protocol):
    """The part of a PyMySQL connection this package uses."""

    @property
    def open(self) -> bool: ...

    def cursor(self, cursor: Any = None) -> Cursor: ...

    def close(self) -> None: ...


def connection_address(
    credentials: DatabaseCredentials,
    default_sockets: Sequence[str] = DEFAULT_SOCKETS,
) -> dict[str, Any]:
    """PyMySQL's address arguments for the credentials, as PHP reads them.

    ``localhost`` means the default socket, as in PHP; TCP on 127.0.0.1 when
    no socket exists.
    """
    if credentials.socket:
        return {"unix_socket": credentials.socket}
    if credentials.host == "localhost":
        socket = next((path for path in default_sockets if os.path.exists(path)), None)
        address: dict[str, Any] = (
            {"unix_socket": socket} if socket else {"host": "127.0.0.1"}
        )
        address.setdefault("port", credentials.port)
        return address
    return {"host": credentials.host, "port": credentials.port}


def connect_read_only(
    credentials: DatabaseCredentials,
    *,
    connect_timeout: float = 10,
    read_timeout: float = 300,
    default_sockets: Sequence[str] = DEFAULT_SOCKETS,
) -> Connection:
    """Log in and make the session refuse every write.

    Raises ``DatabaseAccessError`` with a message that never contains the
    password.
    """
    address = connection_address(credentials, default_sockets)
    try:
        connection = pymysql.connect(
            user=credentials.user,
            # PyMySQL would encode a str password as Latin-1; PHP sends the
            # config file's bytes as they are, so this does too.
            password=credentials.password.encode("utf-8", "surrogateescape"),
            database=credentials.database,
            charset="utf8mb4",
            autocommit=True,
            connect_timeout=connect_timeout,
            read_timeout=read_timeout,
            **address,
        )
        with connection.cursor() as cursor:
            cursor.execute("SET SESSION TRANSACTION READ ONLY")
    except MYSQL_ERRORS as error:
        message = credentials.redact(describe_mysql_error(error))
        # Not chained: the original error is the unredacted one.
        raise DatabaseAccessError(message) from None
    opened: Connection = connection
    return opened


def close_quietly(connection: Connection) -> None:
    """Close the connection; one the server already dropped is no error."""
    try:
        connection.close()
    except MYSQL_ERRORS:
        # Closing a connection the server already dropped raises; nothing is
        # lost by ignoring it.
        logger.debug("database connection was already closed")


def describe_mysql_error(error: BaseException) -> str:
    """A one-line message for a PyMySQL error: the server's code and text."""
    if len(error.args) >= 2 and isinstance(error.args[0], int):
        return f"({error.args[0]}) {error.args[1]}"
    return str(error) or type(error).__name__


def quote_identifier(name: str) -> str:
    """A table or column name quoted for MySQL, backticks doubled."""
    return "`" + name.replace("`", "``") + "`"


def current_database(connection: Connection) -> str:
    """The name of the database the connection uses."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT DATABASE()")
        row = cursor.fetchone()
    return str(row[0]) if row and row[0] is not None else ""


def table_exists(connection: Connection, table: str) -> bool:
    """Whether the connection's database has this table."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COUNT(*) FROM information_schema.TABLES "
            "WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = %s",
            (table,),
        )
        row = cursor.fetchone()
    return bool(row and row[0])


def require_table(connection: Connection, table: str) -> None:
    """Raise ``MissingTableError`` unless the table exists."""
    if not table_exists(connection, table):
        raise MissingTableError(f"table {table} does not exist")


def key_columns(connection: Connection, table: str) -> tuple[str, ...]:
    """The primary key's columns, else a unique non-null key's, else ().

    Raises ``MissingTableError`` if the table does not exist.
    """
    require_table(connection, table)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT INDEX_NAME, COLUMN_NAME, NULLABLE "
            "FROM information_schema.STATISTICS "
            "WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = %s AND NON_UNIQUE = 0 "
            "ORDER BY INDEX_NAME = 'PRIMARY' DESC, INDEX_NAME, SEQ_IN_INDEX",
            (table,),
        )
        rows = cursor.fetchall()

    indexes: dict[str, list[tuple[str, bool]]] = {}
    for index_name, column, nullable in rows:
        indexes.setdefault(index_name, []).append((column, nullable == "YES"))
    for columns in indexes.values():
        if not any(nullable for _, nullable in columns):
            return tuple(column for column, _ in columns)
    return ()


def stream_rows(
    connection: Connection,
    table: str,
    keys: Sequence[str],
    columns: Sequence[str],
    *,
    batch_size: int = 500,
    where: str = "",
    params: Sequence[object] = (),
) -> Iterator[tuple[Any, ...]]:
    """Yield ``(*key values, *column values)`` for every row, page by page.

    ``where`` is a trusted SQL condition with ``%s`` placeholders for
    ``params``. Without key columns the table is streamed through a
    server-side cursor instead, and rows cannot be addressed later.
    """
    selected = ", ".join(quote_identifier(name) for name in [*keys, *columns])
    source = f"SELECT {selected} FROM {quote_identifier(table)}"  # noqa: S608
    if not keys:
        yield from _stream_unkeyed(connection, source, where, params)
        return

    order = ", ".join(quote_identifier(name) for name in keys)
    after = f"({order}) > ({', '.join(['%s'] * len(keys))})"
    limit = batch_size
    last: tuple[Any, ...] | None = None
    while True:
        conditions = [f"({where})"] if where else []
        arguments = list(params)
        if last is not None:
            conditions.append(after)
            arguments.extend(last)
        query = source
        if conditions:
            query += " WHERE " + " AND ".join(conditions)
        query += f" ORDER BY {order} LIMIT {int(limit)}"
        with connection.cursor() as cursor:
            cursor.execute(query, arguments)
            rows = cursor.fetchall()

        yield from rows
        if len(rows) < limit:
            return
        last = tuple(rows[-1][: len(keys)])
        limit = _next_limit(rows, limit, batch_size)


def _next_limit(rows: Sequence[tuple[Any, ...]], limit: int, batch_size: int) -> int:
    size = sum(len(value) for row in rows for value in row if type(value) is str)
    if size > PAGE_BYTES_TARGET:
        return max(1, limit // 2)
    if size < PAGE_BYTES_TARGET // 4:
        return min(batch_size, limit * 2)
    return limit


def _stream_unkeyed(
    connection: Connection, query: str, where: str, params: Sequence[object]
) -> Iterator[tuple[Any, ...]]:
    if where:
        query += f" WHERE {where}"
    with connection.cursor(pymysql.cursors.SSCursor) as cursor:
        cursor.execute(query, list(params) or None)
        yield from cursor
