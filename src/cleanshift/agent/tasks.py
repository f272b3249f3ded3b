"""Turning commands into engine runs and engine output into messages."""

from __future__ import annotations

import logging
import os
import sqlite3
import threading
import time
from pathlib import Path
from typing import Any

from cleanshift.agent.outbox import Outbox
from cleanshift.dbscan.deep import scan_site_databases
from cleanshift.engine.cache import CACHE_FILE_NAME, ScanCache
from cleanshift.engine.knowngood import KnownGood, load_store
from cleanshift.engine.modes import ScanMode
from cleanshift.engine.paths import display_path, raw_path_field
from cleanshift.engine.scanner import FileScanner
from cleanshift.sites.discovery import Site

logger = logging.getLogger(__name__)

# Progress goes out at most this often; the control plane needs no more.
PROGRESS_INTERVAL = 1.0
KNOWN_GOOD_DIR = "known-good"


class ScanTask:
    """One scan command: scans its targets and reports to the outbox.

    With a ``state_dir``, quick scans use the cache kept there and every
    scan trusts the known-good manifests in its ``known-good`` folder;
    without one, a quick scan reads every file.
    """

    def __init__(
        self,
        command: dict[str, Any],
        scanner: FileScanner,
        web_roots: list[Path],
        sites: list[Site],
        outbox: Outbox,
        stopping: threading.Event,
        *,
        state_dir: Path | None = None,
    ) -> None:
        self.command_id: str = command["command_id"]
        self.payload: dict[str, Any] = command.get("payload") or {}
        self.scan_id: str = self.payload.get("scan_id", "")
        self.mode = ScanMode.parse(self.payload.get("scan_mode"), ScanMode.full)
        self.state_dir = state_dir
        self.cache: ScanCache | None = None
        self.known_good = KnownGood()
        self.scanner = scanner
        self.web_roots = web_roots
        self.sites = sites
        self.site_paths = sorted((site.path for site in sites), key=len, reverse=True)
        self.problems: list[dict[str, str]] = []
        self.outbox = outbox
        self.stopping = stopping
        self.totals = {"files_total": 0, "files_scanned": 0, "bytes_scanned": 0}
        self._last_progress = 0.0

    def run(self) -> None:
        """Scan, stream findings, and finish with one result message."""
        started = time.monotonic()
        targets = self._targets()
        logger.info(
            "%s scan %s started on %d target(s)",
            self.mode.value,
            self.scan_id,
            len(targets),
        )
        skipped = 0
        try:
            self._open_state()
            for target in targets:
                if self.stopping.is_set():
                    break
                skipped += self._scan_target(target)
            if self.mode is ScanMode.deep and not self.stopping.is_set():
                self._scan_databases(targets)
        except Exception as error:
            logger.exception("scan %s failed", self.scan_id)
            self._finish("failed", started, skipped, f"{type(error).__name__}: {error}")
            return
        finally:
            if self.cache is not None:
                self.cache.close()
                self.cache = None
        if self.stopping.is_set():
            # No result: the control plane sends the command again when the
            # agent comes back, and the scan runs from the start.
            logger.info("scan %s interrupted by shutdown", self.scan_id)
            return
        self._finish("completed", started, skipped, None)

    def _open_state(self) -> None:
        if self.state_dir is None:
            return
        self.known_good = load_store(self.state_dir / KNOWN_GOOD_DIR)
        try:
            self.cache = ScanCache.open(self.state_dir / CACHE_FILE_NAME)
        except (OSError, sqlite3.Error) as error:
            logger.warning("scan cache unavailable (%s); reading every file", error)

    def _targets(self) -> list[bytes]:
        site_path = self.payload.get("site_path")
        if site_path:
            return [os.fsencode(site_path)]
        return [os.fsencode(root) for root in self.web_roots if root.is_dir()]

    def _scan_target(self, target: bytes) -> int:
        base = dict(self.totals)

        def on_progress(scanned: int, scanned_bytes: int, total: int) -> None:
            self.totals = {
                "files_total": base["files_total"] + total,
                "files_scanned": base["files_scanned"] + scanned,
                "bytes_scanned": base["bytes_scanned"] + scanned_bytes,
            }
            self._report_progress(force=scanned == total)

        report = self.scanner.scan_tree(
            target,
            mode=self.mode,
            cache=self.cache,
            known_good=self.known_good,
            progress=on_progress,
            should_stop=self.stopping.is_set,
        )
        for finding in report.sorted_findings():
            absolute = os.path.join(target, finding.path) if finding.path else target
            data = finding.to_dict()
            data["path"] = display_path(absolute)
            data["raw_path"] = raw_path_field(absolute)
            data["site_path"] = self._site_of(data["path"])
            self.outbox.put(
                {"type": "finding", "scan_id": self.scan_id, "finding": data}
            )
        for skipped in report.skipped:
            logger.debug(
                "skipped %r: %s %s", skipped.path, skipped.reason, skipped.detail
            )
        return len(report.skipped)

    def _scan_databases(self, targets: list[bytes]) -> None:
        roots = [os.fsdecode(target).rstrip("/") for target in targets]
        sites = [
            site
            for site in self.sites
            if any(
                site.path == root or site.path.startswith(root + "/") for root in roots
            )
        ]
        sweep = scan_site_databases(sites)
        for finding in sweep.findings:
            self.outbox.put(
                {"type": "finding", "scan_id": self.scan_id, "finding": finding}
            )
        self.problems.extend(sweep.errors)

    def _site_of(self, path: str) -> str | None:
        for site in self.site_paths:
            if path == site or path.startswith(site.rstrip("/") + "/"):
                return site
        return None

    def _report_progress(self, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self._last_progress < PROGRESS_INTERVAL:
            return
        self._last_progress = now
        self.outbox.put({"type": "progress", "scan_id": self.scan_id, **self.totals})

    def _finish(
        self, status: str, started: float, skipped: int, error: str | None
    ) -> None:
        summary: dict[str, Any] = {
            **self.totals,
            "files_skipped": skipped,
            "duration": round(time.monotonic() - started, 3),
        }
        if error:
            summary["error"] = error
        if self.problems:
            summary["problems"] = self.problems
        self.outbox.put(
            {
                "type": "result",
                "command_id": self.command_id,
                "scan_id": self.scan_id,
                "status": status,
                "summary": summary,
            }
        )
        logger.info("scan %s %s in %.1fs", self.scan_id, status, summary["duration"])
