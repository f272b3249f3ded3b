"""Streaming reads: every row once, in key order, a page at a time."""

from __future__ import annotations

from typing import Any

import pytest

from cleanshift.dbscan import connection as connection_module
from cleanshift.dbscan.connection import key_columns, quote_identifier, stream_rows
from cleanshift.dbscan.errors import MissingTableError
from tests.dbscan.conftest import ScratchDatabase


def test_composite_keys_page_through_every_row(test_database: ScratchDatabase) -> None:
    test_database.execute(
        "CREATE TABLE field_body (entity_id int, deleted tinyint, delta int, "
        "langcode varchar(8), body longtext, "
        "PRIMARY KEY (entity_id, deleted, delta, langcode))"
    )
    rows = [
        (entity, 0, delta, language, f"body {entity}/{delta}/{language}")
        for entity in range(1, 20)
        for delta in range(3)
        for language in ("de", "en")
    ]
    test_database.executemany(
        "INSERT INTO field_body VALUES (%s, %s, %s, %s, %s)", rows
    )
    connection = test_database.connect_read_only()

    keys = key_columns(connection, "field_body")
    streamed = list(stream_rows(connection, "field_body", keys, ["body"], batch_size=7))

    assert keys == ("entity_id", "deleted", "delta", "langcode")
    assert [row[-1] for row in streamed] == [row[-1] for row in sorted(rows)]


def test_a_unique_key_stands_in_for_a_missing_primary_key(
    test_database: ScratchDatabase,
) -> None:
    test_database.execute(
        "CREATE TABLE settings (name varchar(64) NOT NULL, nullable_code int, "
        "value text, UNIQUE KEY maybe (nullable_code), UNIQUE KEY by_name (name))"
    )
    connection = test_database.connect_read_only()

    assert key_columns(connection, "settings") == ("name",)


def test_a_table_without_keys_is_streamed_whole(test_database: ScratchDatabase) -> None:
    test_database.execute("CREATE TABLE log (line text)")
    test_database.executemany(
        "INSERT INTO log VALUES (%s)", [(f"l{n}",) for n in range(50)]
    )
    connection = test_database.connect_read_only()

    assert key_columns(connection, "log") == ()
    lines = [
        row[0] for row in stream_rows(connection, "log", (), ["line"], batch_size=4)
    ]
    assert sorted(lines) == sorted(f"l{n}" for n in range(50))


def test_large_rows_shrink_the_page(
    test_database: ScratchDatabase, monkeypatch: pytest.MonkeyPatch
) -> None:
    test_database.execute("CREATE TABLE posts (id int PRIMARY KEY, content longtext)")
    test_database.executemany(
        "INSERT INTO posts VALUES (%s, %s)", [(n, "x" * 1000) for n in range(1, 101)]
    )
    monkeypatch.setattr(connection_module, "PAGE_BYTES_TARGET", 4000)
    limits: list[int] = []
    next_limit = connection_module._next_limit

    def recording_next_limit(*args: Any) -> int:
        limits.append(next_limit(*args))
        return limits[-1]

    monkeypatch.setattr(connection_module, "_next_limit", recording_next_limit)
    connection = test_database.connect_read_only()

    rows = stream_rows(connection, "posts", ["id"], ["content"], batch_size=50)

    assert [row[0] for row in rows] == list(range(1, 101))
    assert limits[0] == 25
    assert min(limits) < 4


def test_a_missing_table_is_named(test_database: ScratchDatabase) -> None:
    connection = test_database.connect_read_only()

    with pytest.raises(MissingTableError, match="wp_posts"):
        key_columns(connection, "wp_posts")


def test_identifiers_are_quoted() -> None:
    assert quote_identifier("wp_posts") == "`wp_posts`"
    assert quote_identifier("odd`name") == "`odd``name`"
