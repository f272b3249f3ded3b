"""Scanning trees with the compiled rules, in worker processes.

yara-x holds the GIL while it scans, so threads would not help: the parent
walks the tree and hands paths in batches to a pool of processes, each
holding the compiled rules, which the parent serialises once. Each file is
read once, by the process that scans it, which also hashes it; only the
parent touches the quick-scan cache.
"""

from __future__ import annotations

import hashlib
import io
import logging
import multiprocessing
import os
import time
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool

import yara_x

from cleanshift.engine import rules as rule_set
from cleanshift.engine.cache import ScanCache
from cleanshift.engine.findings import ScanReport, SkippedFile
from cleanshift.engine.integrity import IntegrityCheck, php_in_uploads_finding
from cleanshift.engine.knowngood import KnownGood
from cleanshift.engine.locations import find_site_roots
from cleanshift.engine.modes import ScanMode
from cleanshift.engine.quick import CacheSession, reuse_cached
from cleanshift.engine.walker import DEFAULT_MAX_FILE_SIZE, FileEntry, walk_tree
from cleanshift.engine.worker import (
    FileResult,
    RuleScanner,
    WorkerSettings,
    init_worker,
    scan_batch,
)

logger = logging.getLogger(__name__)

BATCH_FILES = 64
BATCH_BYTES = 4 * 1024 * 1024
# Starting the pool costs about 0.2 s; below these sizes one process is done
# sooner. Once the pool runs, it pays off from about a megabyte.
POOL_THRESHOLD = 300
POOL_THRESHOLD_BYTES = 16 * 1024 * 1024
WARM_POOL_THRESHOLD_BYTES = 1024 * 1024

ProgressCallback = Callable[[int, int, int], None]
Batch = list[FileEntry]


class FileScanner:
    """Scans trees with one rule set; reuse it to keep the pool warm.

    ``workers=1`` scans in this process. Use it as a context manager, or
    call ``close`` to stop the worker processes. ``rules_version`` keys the
    quick-scan cache; it defaults to the shipped rules' version, or to a
    digest of ``rules`` when other rules are given.
    """

    def __init__(
        self,
        rules: yara_x.Rules | None = None,
        *,
        workers: int | None = None,
        max_file_size: int = DEFAULT_MAX_FILE_SIZE,
        follow_symlinks: bool = False,
        rules_version: str | None = None,
    ) -> None:
        self.rules = rules if rules is not None else rule_set.default_rules()
        # Only the shipped rules are known to split into PHP-only files.
        self.plain_rules = rule_set.default_plain_rules() if rules is None else None
        self.workers = workers or max(1, os.cpu_count() or 1)
        self.max_file_size = max_file_size
        self.follow_symlinks = follow_symlinks
        self._serialized = b""
        if rules_version is None and rules is None:
            rules_version = rule_set.rules_version()
        elif rules_version is None:
            rules_version = hashlib.sha256(self._serialized_rules()).hexdigest()[:16]
        self.rules_version = rules_version
        self._local = RuleScanner(
            self.rules, self._settings(KnownGood()), self.plain_rules
        )
        self._pool: ProcessPoolExecutor | None = None
        self._pool_key = ""

    def __enter__(self) -> FileScanner:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        """Stop the worker processes, if any were started."""
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None

    def scan_tree(
        self,
        root: bytes,
        *,
        mode: ScanMode = ScanMode.full,
        cache: ScanCache | None = None,
        known_good: KnownGood | None = None,
        progress: ProgressCallback | None = None,
        should_stop: Callable[[], bool] | None = None,
    ) -> ScanReport:
        """Scan the files under ``root`` as ``mode`` says; report findings and skips.

        With a ``cache``, a quick scan re-reports the cached results of
        unchanged files instead of reading them, and every mode records what
        it read. Files whose hash ``known_good`` lists are never reported.
        """
        started = time.monotonic()
        if known_good is None:
            known_good = KnownGood()
        report = ScanReport(root=root, mode=mode.value)
        entries = self._walk(root, report)
        report.files_total = len(entries)
        site_roots = find_site_roots(entry.relative for entry in entries)
        session = CacheSession(cache, root, self.rules_version)

        to_read = entries
        expected: dict[bytes, str] = {}
        if mode is ScanMode.quick:
            to_read, expected = reuse_cached(
                entries, session, site_roots, known_good, report
            )
        integrity = None
        if mode is ScanMode.deep:
            relatives = (entry.relative for entry in entries)
            integrity = IntegrityCheck(root, relatives, known_good)
        if progress:
            progress(report.files_cached, 0, report.files_total)

        stopped = False
        for item in self._scan_entries(to_read, expected, known_good, should_stop):
            if item is None:
                stopped = True
                break
            entry, result = item
            if result.unchanged:
                result = session.cached_result(entry.relative, result)
            if result.error is not None:
                report.skipped.append(
                    SkippedFile(result.relative, "unreadable", result.error)
                )
                session.record_failure(entry.relative)
            else:
                report.files_scanned += 1
                report.bytes_scanned += result.size
                report.files_known_good += result.known_good
                session.record(entry, result.sha256, result.known_good, result.finding)
            if result.finding is not None:
                report.findings.append(result.finding)
            if integrity is not None and result.error is None:
                _deep_checks(report, result, integrity, site_roots)
            if progress:
                done = report.files_scanned + report.files_cached
                progress(done, report.bytes_scanned, report.files_total)

        seen = None if stopped else {entry.relative for entry in entries}
        session.finish(seen)
        report.duration = time.monotonic() - started
        logger.debug(
            "%s scan of %r: %d read, %d cached, %.2fs",
            mode.value,
            root,
            report.files_scanned,
            report.files_cached,
            report.duration,
        )
        return report

    def _walk(self, root: bytes, report: ScanReport) -> list[FileEntry]:
        entries: list[FileEntry] = []
        for item in walk_tree(
            root,
            follow_symlinks=self.follow_symlinks,
            max_file_size=self.max_file_size,
        ):
            if isinstance(item, SkippedFile):
                report.skipped.append(item)
            else:
                entries.append(item)
        return entries

    def _settings(self, known_good: KnownGood) -> WorkerSettings:
        return WorkerSettings(
            known_good=known_good.hashes,
            max_file_size=self.max_file_size,
            follow_symlinks=self.follow_symlinks,
        )

    def _scan_entries(
        self,
        entries: list[FileEntry],
        expected: dict[bytes, str],
        known_good: KnownGood,
        should_stop: Callable[[], bool] | None,
    ) -> Iterator[tuple[FileEntry, FileResult] | None]:
        """Each entry with its result; ``None`` once asked to stop."""
        if not self._wants_pool(entries):
            self._local.settings = self._settings(known_good)
            for entry in entries:
                if should_stop and should_stop():
                    yield None
                    return
                sha256 = expected.get(entry.relative, "")
                yield entry, self._local.scan(entry.path, entry.relative, sha256)
            return

        pool = self._ensure_pool(known_good)
        pending: dict[Future[list[FileResult]], Batch] = {}
        for batch in _batches(entries):
            jobs = [
                (entry.path, entry.relative, expected.get(entry.relative, ""))
                for entry in batch
            ]
            pending[pool.submit(scan_batch, jobs)] = batch
        while pending:
            done, _ = wait(pending, timeout=0.5, return_when=FIRST_COMPLETED)
            if should_stop and should_stop():
                for future in pending:
                    future.cancel()
                yield None
                return
            for future in done:
                batch = pending.pop(future)
                try:
                    results = future.result()
                except BrokenProcessPool:
                    # A worker died (killed, out of memory); without this the
                    # next scan would find the pool still broken.
                    self.close()
                    raise
                yield from zip(batch, results, strict=True)

    def _wants_pool(self, entries: list[FileEntry]) -> bool:
        if self.workers == 1 or not entries:
            return False
        threshold = WARM_POOL_THRESHOLD_BYTES if self._pool else POOL_THRESHOLD_BYTES
        total = sum(entry.size for entry in entries)
        return len(entries) >= POOL_THRESHOLD or total >= threshold

    def _ensure_pool(self, known_good: KnownGood) -> ProcessPoolExecutor:
        # The workers hold the known-good hashes; a changed store needs
        # new workers, which is rare enough not to ship hashes per batch.
        if self._pool is not None and self._pool_key != known_good.fingerprint:
            self.close()
        if self._pool is None:
            context = multiprocessing.get_context("forkserver")
            # Import the engine once in the fork server, not in every worker.
            context.set_forkserver_preload([__name__])
            self._pool = ProcessPoolExecutor(
                max_workers=self.workers,
                mp_context=context,
                initializer=init_worker,
                initargs=(
                    self._serialized_rules(),
                    self._settings(known_good),
                    self._serialized_plain_rules(),
                ),
            )
            self._pool_key = known_good.fingerprint
        return self._pool

    def _serialized_rules(self) -> bytes:
        if not self._serialized:
            self._serialized = _serialize(self.rules)
        return self._serialized

    def _serialized_plain_rules(self) -> bytes:
        return _serialize(self.plain_rules) if self.plain_rules else b""


def _serialize(rules: yara_x.Rules) -> bytes:
    buffer = io.BytesIO()
    rules.serialize_into(buffer)
    return buffer.getvalue()


def _deep_checks(
    report: ScanReport,
    result: FileResult,
    integrity: IntegrityCheck,
    site_roots: frozenset[bytes],
) -> None:
    modified = integrity.check(result.relative, result.sha256)
    if modified is not None:
        report.findings.append(modified)
    # A file the rules flagged is already one threat; the folder adds nothing.
    if result.finding is None and not result.known_good:
        in_uploads = php_in_uploads_finding(result.relative, result.sha256, site_roots)
        if in_uploads is not None:
            report.findings.append(in_uploads)


def _batches(entries: list[FileEntry]) -> Iterator[Batch]:
    # Largest files first, so the pool does not end waiting on one big file.
    ordered = sorted(entries, key=lambda entry: entry.size, reverse=True)
    batch: Batch = []
    batch_bytes = 0
    for entry in ordered:
        batch.append(entry)
        batch_bytes += entry.size
        if len(batch) >= BATCH_FILES or batch_bytes >= BATCH_BYTES:
            yield batch
            batch, batch_bytes = [], 0
    if batch:
        yield batch
