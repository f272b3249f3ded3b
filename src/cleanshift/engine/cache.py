"""The quick-scan cache: each file's last result, valid while the file is unchanged.

A row is valid while the file's device, inode, size, mtime and ctime and the
rule set's version are what they were when it was read. ctime is in the key
because nobody can set it: an attacker who restores a file's mtime after
editing it (``touch -r``) still moves its ctime, and a file swapped in by
rename has another inode.

Only the parent process opens the database; workers return results and the
parent writes them. Any database trouble disables the cache for the scan
with a warning, since a cache must never stop a scan: without it, a quick
scan reads every file.
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
from collections.abc import Iterable
from pathlib import Path
from typing import NamedTuple

from cleanshift.engine.findings import Finding
from cleanshift.engine.walker import FileEntry

logger = logging.getLogger(__name__)

CACHE_FILE_NAME = "scan-cache.sqlite3"
SCHEMA_VERSION = 1
BUSY_TIMEOUT_MS = 5000
_SCHEMA = """
CREATE TABLE IF NOT EXISTS file_results (
    root BLOB NOT NULL,
    path BLOB NOT NULL,
    device INTEGER NOT NULL,
    inode INTEGER NOT NULL,
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    ctime_ns INTEGER NOT NULL,
    rules_version TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    known_good INTEGER NOT NULL,
    finding TEXT,
    PRIMARY KEY (root, path)
) WITHOUT ROWID
"""
Stamp = tuple[int, int, int, int, int]


class CachedResult(NamedTuple):
    """A file's last result and the stamp it was valid for, as stored.

    A quick scan loads one per file of the tree, so the row is kept as it
    comes and the finding is decoded only when asked for.
    """

    path: bytes
    device: int
    inode: int
    size: int
    mtime_ns: int
    ctime_ns: int
    sha256: str
    known: int
    finding_json: str | None

    @property
    def stamp(self) -> Stamp:
        """What must be unchanged for this result to stand."""
        return (self.device, self.inode, self.size, self.mtime_ns, self.ctime_ns)

    @property
    def known_good(self) -> bool:
        """Whether the hash belonged to a known release when matched."""
        return bool(self.known)

    @property
    def finding(self) -> Finding | None:
        """The finding, or None for a clean file (rows are checked on load)."""
        if not self.finding_json:
            return None
        return _finding_from_json(self.path, self.finding_json)


def default_cache_dir() -> Path:
    """The per-user cache folder: ``$XDG_CACHE_HOME/cleanshift``."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache")
    return Path(base) / "cleanshift"


def stamp_of(entry: FileEntry) -> Stamp:
    """What must be unchanged for a cached result to stand."""
    return (
        _signed(entry.device),
        _signed(entry.inode),
        entry.size,
        entry.mtime_ns,
        entry.ctime_ns,
    )


class ScanCache:
    """One SQLite file of results; open it with ``open`` and close it after.

    The rows last loaded are kept until this connection writes or SQLite's
    ``data_version`` shows that another connection did, so that a process
    that scans the same tree again and again (the agent) reads them once.
    """

    def __init__(self, connection: sqlite3.Connection, path: Path) -> None:
        self.connection = connection
        self.path = path
        self._loaded: tuple[bytes, str, int, dict[bytes, CachedResult]] | None = None

    @classmethod
    def open(cls, path: Path) -> ScanCache:
        """Open or create the cache; a corrupt file is replaced."""
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        _create_private(path)
        try:
            return cls(_connect(path), path)
        except sqlite3.DatabaseError as error:
            logger.warning(
                "scan cache %s is unusable (%s); starting afresh", path, error
            )
            path.unlink(missing_ok=True)
            _create_private(path)
            return cls(_connect(path), path)

    def close(self) -> None:
        """Close the database."""
        self.connection.close()

    def load(self, root: bytes, rules_version: str) -> dict[bytes, CachedResult]:
        """Every result cached for ``root`` under this rule set, by path.

        The answer is shared with later calls: do not change it.
        """
        version = self.connection.execute("PRAGMA data_version").fetchone()[0]
        if self._loaded is not None and self._loaded[:3] == (
            root,
            rules_version,
            version,
        ):
            return self._loaded[3]
        results = self._read(root, rules_version)
        self._loaded = (root, rules_version, version, results)
        return results

    def _read(self, root: bytes, rules_version: str) -> dict[bytes, CachedResult]:
        rows = self.connection.execute(
            "SELECT path, device, inode, size, mtime_ns, ctime_ns, sha256,"
            " known_good, finding FROM file_results"
            " WHERE root = ? AND rules_version = ?",
            (root, rules_version),
        )
        results = {row[0]: CachedResult._make(row) for row in rows}
        for path, cached in list(results.items()):
            if not cached.finding_json:
                continue
            try:
                _finding_from_json(path, cached.finding_json)
            except (ValueError, TypeError):
                # An unreadable row is a miss: the file is read again.
                del results[path]
        return results

    def store(
        self,
        root: bytes,
        rules_version: str,
        rows: Iterable[tuple[FileEntry, str, bool, Finding | None]],
    ) -> None:
        """Record ``(entry, sha256, known_good, finding)`` results for ``root``."""
        rows = list(rows)
        if not rows:
            return
        self._loaded = None
        with self.connection:
            self.connection.executemany(
                "INSERT OR REPLACE INTO file_results VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                (
                    (
                        root,
                        entry.relative,
                        *stamp_of(entry),
                        rules_version,
                        sha256,
                        int(known_good),
                        _finding_to_json(finding) if finding else None,
                    )
                    for entry, sha256, known_good, finding in rows
                ),
            )

    def forget(self, root: bytes, paths: Iterable[bytes]) -> None:
        """Drop the rows of files that are gone or could not be read."""
        paths = list(paths)
        if not paths:
            return
        self._loaded = None
        with self.connection:
            self.connection.executemany(
                "DELETE FROM file_results WHERE root = ? AND path = ?",
                ((root, path) for path in paths),
            )

    def drop_other_rules(self, rules_version: str) -> None:
        """A new rule set invalidates every row written under another."""
        with self.connection:
            self.connection.execute(
                "DELETE FROM file_results WHERE rules_version != ?", (rules_version,)
            )


def _create_private(path: Path) -> None:
    # Paths and snippets of other users' files are nobody else's business;
    # SQLite gives its journal files the database file's mode.
    descriptor = os.open(path, os.O_CREAT | os.O_WRONLY | os.O_NOFOLLOW, 0o600)
    try:
        os.fchmod(descriptor, 0o600)
    finally:
        os.close(descriptor)


def _connect(path: Path) -> sqlite3.Connection:
    connection = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000)
    version = connection.execute("PRAGMA user_version").fetchone()[0]
    if version not in (0, SCHEMA_VERSION):
        connection.execute("DROP TABLE IF EXISTS file_results")
    # WAL lets a second scan read while this one writes.
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=NORMAL")
    connection.execute(_SCHEMA)
    connection.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
    connection.commit()
    return connection


def _signed(value: int) -> int:
    # SQLite integers are signed 64-bit; some file systems hand out inode
    # and device numbers above 2**63.
    return value - (1 << 64) if value >= 1 << 63 else value


def _finding_to_json(finding: Finding) -> str:
    data = finding.to_dict()
    for key in ("path", "raw_path"):
        data.pop(key)
    return json.dumps(data, separators=(",", ":"))


def _finding_from_json(path: bytes, text: str) -> Finding:
    data = json.loads(text)
    data["matched_rules"] = tuple(data.get("matched_rules", ()))
    return Finding(path=path, **data)
