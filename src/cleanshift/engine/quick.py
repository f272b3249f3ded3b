"""A scan's use of the cache: what a quick scan skips, what every scan records.

See ``cleanshift.engine.cache`` for what keeps a cached result valid and
``cleanshift.engine.locations`` for the files a quick scan reads anyway.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import sqlite3

from cleanshift.engine.cache import CachedResult, ScanCache, stamp_of
from cleanshift.engine.findings import Finding, ScanReport
from cleanshift.engine.knowngood import KnownGood
from cleanshift.engine.locations import must_read
from cleanshift.engine.walker import FileEntry
from cleanshift.engine.worker import FileResult

logger = logging.getLogger(__name__)


class CacheSession:
    """One scan's use of the cache; turns database trouble into a warning.

    With no cache (``None``) every method does nothing and ``known`` is
    empty, so a quick scan reads every file.
    """

    FLUSH_ROWS = 2000

    def __init__(
        self, cache: ScanCache | None, root: bytes, rules_version: str
    ) -> None:
        self.cache = cache
        self.root = os.path.abspath(root)
        self.rules_version = rules_version
        self.known: dict[bytes, CachedResult] = {}
        self._rows: list[tuple[FileEntry, str, bool, Finding | None]] = []
        self._failed: list[bytes] = []
        if cache is not None:
            try:
                cache.drop_other_rules(rules_version)
                self.known = cache.load(self.root, rules_version)
            except sqlite3.Error as error:
                self._disable(error)

    def record(
        self, entry: FileEntry, sha256: str, known_good: bool, finding: Finding | None
    ) -> None:
        """Remember a file's fresh result (unless the cache has it already)."""
        if self.cache is None:
            return
        known = self.known.get(entry.relative)
        if (
            known is not None
            and known.stamp == stamp_of(entry)
            and (known.sha256, known.known_good, known.finding)
            == (sha256, known_good, finding)
        ):
            return
        self._rows.append((entry, sha256, known_good, finding))
        if len(self._rows) >= self.FLUSH_ROWS:
            self.flush()

    def cached_result(self, relative: bytes, result: FileResult) -> FileResult:
        """A re-read file whose content hashed as cached: its cached verdict."""
        cached = self.known[relative]
        return dataclasses.replace(
            result, finding=cached.finding, known_good=cached.known_good
        )

    def record_failure(self, relative: bytes) -> None:
        """Forget a file that could not be read, so the next scan reads it."""
        if self.cache is not None and relative in self.known:
            self._failed.append(relative)

    def flush(self) -> None:
        """Write what was recorded so far."""
        if self.cache is None:
            return
        rows, self._rows = self._rows, []
        failed, self._failed = self._failed, []
        try:
            self.cache.store(self.root, self.rules_version, rows)
            self.cache.forget(self.root, failed)
        except sqlite3.Error as error:
            self._disable(error)

    def finish(self, seen: set[bytes] | None) -> None:
        """Write the rest; with the walk's paths, drop rows of vanished files."""
        self.flush()
        if self.cache is None or seen is None:
            return
        try:
            self.cache.forget(self.root, set(self.known) - seen)
        except sqlite3.Error as error:
            self._disable(error)

    def _disable(self, error: sqlite3.Error) -> None:
        if self.cache is not None:
            logger.warning(
                "scan cache %s failed (%s); scanning without it", self.cache.path, error
            )
        self.cache = None
        self.known = {}


def reuse_cached(
    entries: list[FileEntry],
    session: CacheSession,
    site_roots: frozenset[bytes],
    known_good: KnownGood,
    report: ScanReport,
) -> tuple[list[FileEntry], dict[bytes, str]]:
    """Report cached results of unchanged files; return the files to read.

    Files in places attackers write to are read even when their stamp is
    unchanged; the second value maps those to their cached hash, so that a
    file whose content hashes the same keeps its cached verdict without
    being matched again.
    """
    to_read = []
    expected: dict[bytes, str] = {}
    hashes = known_good.hashes
    known = session.known
    for entry in entries:
        cached = known.get(entry.relative)
        if (
            cached is None
            or cached.stamp != stamp_of(entry)
            # The store changed since: a file must be matched again, or a
            # finding must give way to a release that now vouches for it.
            or cached.known_good
            != (bool(hashes) and bytes.fromhex(cached.sha256) in hashes)
        ):
            to_read.append(entry)
            continue
        if must_read(entry.relative, site_roots):
            to_read.append(entry)
            expected[entry.relative] = cached.sha256
            continue
        report.files_cached += 1
        if cached.finding is not None:
            report.findings.append(cached.finding)
    return to_read, expected
