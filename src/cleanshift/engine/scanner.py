"""Scanning files with the compiled rules, in worker processes.

yara-x holds the GIL while it scans, so threads would not help: the parent
walks the tree and hands paths in batches to a pool of processes, each
holding the compiled rules, which the parent serialises once.
"""

from __future__ import annotations

import hashlib
import io
import logging
import multiprocessing
import os
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass

import yara_x

from cleanshift.engine.findings import SEVERITY_ORDER, Finding, ScanReport, SkippedFile
from cleanshift.engine.rules import RuleInfo, default_rules, describe_rule
from cleanshift.engine.walker import DEFAULT_MAX_FILE_SIZE, FileEntry, walk_tree

logger = logging.getLogger(__name__)

BATCH_FILES = 48
BATCH_BYTES = 8 * 1024 * 1024
# Below this many files a pool costs more to start than it saves.
POOL_THRESHOLD = 300
SNIPPET_CONTEXT = 40
SNIPPET_MAX = 160

ProgressCallback = Callable[[int, int, int], None]


@dataclass(frozen=True)
class FileResult:
    """What scanning one file gave: at most one finding, or an error."""

    relative: bytes
    size: int
    finding: Finding | None
    error: str | None = None


class _RuleScanner:
    """A yara-x scanner plus the metadata of its rules, for one process."""

    def __init__(self, rules: yara_x.Rules) -> None:
        self.scanner = yara_x.Scanner(rules)
        self.scanner.set_timeout(30)
        self.info: dict[str, RuleInfo] = {}

    def scan(self, path: bytes, relative: bytes) -> FileResult:
        try:
            with open(path, "rb") as handle:
                data = handle.read()
        except OSError as error:
            return FileResult(relative, 0, None, error.strerror or str(error))

        name = os.path.basename(relative).decode("utf-8", "replace")
        ext = os.path.splitext(name)[1].lstrip(".").lower()
        self.scanner.set_global("file_name", name)
        self.scanner.set_global("file_ext", ext)
        self.scanner.set_global("rel_path", relative.decode("utf-8", "replace"))
        try:
            results = self.scanner.scan(data)
        except yara_x.TimeoutError:
            return FileResult(relative, len(data), None, "rule evaluation timed out")
        except yara_x.ScanError as error:
            return FileResult(relative, len(data), None, f"scan error: {error}")

        if not results.matching_rules:
            return FileResult(relative, len(data), None)
        return FileResult(
            relative, len(data), self._finding(relative, data, results.matching_rules)
        )

    def _finding(
        self, relative: bytes, data: bytes, matched: Sequence[yara_x.Rule]
    ) -> Finding:
        described = [(self._describe(rule), rule) for rule in matched]
        described.sort(key=lambda pair: SEVERITY_ORDER[pair[0].severity])
        info, rule = described[0]
        offset, length = _first_match(rule)
        line = data.count(b"\n", 0, offset) + 1 if offset is not None else None
        return Finding(
            path=relative,
            rule=info.name,
            severity=info.severity,
            type=info.threat_type,
            family=info.family,
            title=info.description,
            sha256=hashlib.sha256(data).hexdigest(),
            line=line,
            offset=offset,
            snippet=_snippet(data, offset, length),
            matched_rules=tuple(pair[0].name for pair in described),
        )

    def _describe(self, rule: yara_x.Rule) -> RuleInfo:
        key = f"{rule.namespace}.{rule.identifier}"
        if key not in self.info:
            self.info[key] = describe_rule(rule)
        return self.info[key]


def _first_match(rule: yara_x.Rule) -> tuple[int | None, int]:
    matches = [match for pattern in rule.patterns for match in pattern.matches]
    if not matches:
        return None, 0
    first = min(matches, key=lambda match: match.offset)
    return first.offset, first.length


def _snippet(data: bytes, offset: int | None, length: int) -> str:
    if offset is None:
        return ""
    start = max(0, offset - SNIPPET_CONTEXT)
    end = min(len(data), offset + min(length, SNIPPET_MAX) + SNIPPET_CONTEXT)
    text = data[start:end].decode("utf-8", "replace")
    text = " ".join(text.split())
    return text[:SNIPPET_MAX]


_worker: _RuleScanner | None = None


def _init_worker(serialized_rules: bytes) -> None:
    global _worker
    rules = yara_x.Rules.deserialize_from(io.BytesIO(serialized_rules))
    _worker = _RuleScanner(rules)


def _scan_batch(batch: list[tuple[bytes, bytes]]) -> list[FileResult]:
    assert _worker is not None, "worker started without rules"
    return [_worker.scan(path, relative) for path, relative in batch]


class FileScanner:
    """Scans trees with one rule set; reuse it to keep the pool warm.

    ``workers=1`` scans in this process. Use it as a context manager, or
    call ``close`` to stop the worker processes.
    """

    def __init__(
        self,
        rules: yara_x.Rules | None = None,
        *,
        workers: int | None = None,
        max_file_size: int = DEFAULT_MAX_FILE_SIZE,
        follow_symlinks: bool = False,
    ) -> None:
        self.rules = rules if rules is not None else default_rules()
        self.workers = workers or max(1, os.cpu_count() or 1)
        self.max_file_size = max_file_size
        self.follow_symlinks = follow_symlinks
        self._local = _RuleScanner(self.rules)
        self._pool: ProcessPoolExecutor | None = None

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
        progress: ProgressCallback | None = None,
        should_stop: Callable[[], bool] | None = None,
    ) -> ScanReport:
        """Scan every file under ``root`` and report findings and skips."""
        started = time.monotonic()
        report = ScanReport(root=root)
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
        report.files_total = len(entries)
        if progress:
            progress(0, 0, report.files_total)

        for result in self._scan_entries(entries, should_stop):
            if result.error is not None:
                report.skipped.append(
                    SkippedFile(result.relative, "unreadable", result.error)
                )
            else:
                report.files_scanned += 1
                report.bytes_scanned += result.size
            if result.finding is not None:
                report.findings.append(result.finding)
            if progress:
                progress(report.files_scanned, report.bytes_scanned, report.files_total)

        report.duration = time.monotonic() - started
        logger.debug("scanned %s in %.2fs", root, report.duration)
        return report

    def _scan_entries(
        self, entries: list[FileEntry], should_stop: Callable[[], bool] | None
    ) -> Iterable[FileResult]:
        if self.workers == 1 or len(entries) < POOL_THRESHOLD:
            for entry in entries:
                if should_stop and should_stop():
                    return
                yield self._local.scan(entry.path, entry.relative)
            return

        pool = self._ensure_pool()
        pending: list[Future[list[FileResult]]] = [
            pool.submit(_scan_batch, batch) for batch in _batches(entries)
        ]
        for future in pending:
            if should_stop and should_stop():
                for remaining in pending:
                    remaining.cancel()
                return
            yield from future.result()

    def _ensure_pool(self) -> ProcessPoolExecutor:
        if self._pool is None:
            buffer = io.BytesIO()
            self.rules.serialize_into(buffer)
            self._pool = ProcessPoolExecutor(
                max_workers=self.workers,
                mp_context=multiprocessing.get_context("forkserver"),
                initializer=_init_worker,
                initargs=(buffer.getvalue(),),
            )
        return self._pool


def _batches(entries: list[FileEntry]) -> Iterable[list[tuple[bytes, bytes]]]:
    batch: list[tuple[bytes, bytes]] = []
    batch_bytes = 0
    for entry in entries:
        batch.append((entry.path, entry.relative))
        batch_bytes += entry.size
        if len(batch) >= BATCH_FILES or batch_bytes >= BATCH_BYTES:
            yield batch
            batch, batch_bytes = [], 0
    if batch:
        yield batch
