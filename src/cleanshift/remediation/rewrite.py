"""Replacing a file's content in place, keeping the old bytes to put back.

The clean and restore playbooks both end here: the current bytes go to the
quarantine store with the file's owner, mode and times, then the new bytes
replace the file atomically, keeping its owner and mode. The new content
gets the current time, so that PHP's opcache notices the change. Rollback
writes the kept bytes back with the original metadata, exactly, but only
over the content the fix wrote: a file changed since is left alone.
"""

from __future__ import annotations

import base64
import hashlib
import logging
import os
import time
from pathlib import Path
from typing import Any

from cleanshift.engine.paths import display_path
from cleanshift.remediation.atomic import FileMeta, write_atomic
from cleanshift.remediation.errors import (
    PayloadError,
    RemediationError,
    TargetChangedError,
)
from cleanshift.remediation.playbook import StepLog
from cleanshift.remediation.store import QuarantineStore, StoredFile
from cleanshift.remediation.targets import (
    OpenedFile,
    inside_web_roots,
    open_regular,
    same_file,
)

logger = logging.getLogger(__name__)

KEPT_LABEL = "original"


def earlier_rewrite(
    store: QuarantineStore, remediation_id: str, current: OpenedFile
) -> StoredFile | None:
    """The record of this remediation, if an earlier run already wrote the fix.

    The control plane sends a command again when its result was lost (the
    agent died after acting); the second run must report the first's work.
    """
    stored = store.load(remediation_id, KEPT_LABEL)
    if stored is not None and stored.record.get("after_sha256") == current.sha256:
        return stored
    return None


def commit_rewrite(
    store: QuarantineStore,
    remediation_id: str,
    playbook: str,
    current: OpenedFile,
    new_data: bytes,
    log: StepLog,
) -> dict[str, Any]:
    """Keep ``current``, write ``new_data`` over it; returns the undo record."""
    shown = display_path(current.path)
    new_sha256 = hashlib.sha256(new_data).hexdigest()
    meta = FileMeta.from_stat(current.info)
    store.save(
        remediation_id,
        KEPT_LABEL,
        [current.data],
        original_path=current.path,
        meta=meta,
        expected_sha256=current.sha256,
        extra={"playbook": playbook, "after_sha256": new_sha256},
    )
    log.change("keep-original", f"kept the current bytes of {shown} for undo")

    if not same_file(current.path, current.info):
        raise TargetChangedError(
            f"{shown} changed while it was being fixed; nothing was written. "
            "Scan again and fix the new finding."
        )
    now = time.time_ns()
    fresh = FileMeta(meta.mode, meta.uid, meta.gid, now, now)
    write_atomic(current.path, [new_data], meta=fresh, expected_sha256=new_sha256)
    log.change(
        "replace",
        f"wrote the new content of {shown} in one atomic step",
        sha256=new_sha256,
    )
    logger.info("%s rewrote %s (remediation %s)", playbook, shown, remediation_id)
    return undo_record(playbook, current.path, current.sha256, new_sha256)


def undo_record(playbook: str, path: bytes, before: str, after: str) -> dict[str, Any]:
    """What rollback needs to find the kept bytes and check the target."""
    return {
        "playbook": playbook,
        "path": display_path(path),
        "raw_path": base64.b64encode(path).decode("ascii"),
        "sha256_before": before,
        "sha256_after": after,
        "kept": KEPT_LABEL,
    }


def rollback_rewrite(
    store: QuarantineStore,
    remediation_id: str,
    undo: dict[str, Any],
    web_roots: list[Path],
    log: StepLog,
) -> None:
    """Put the kept bytes back, with the original owner, mode and times."""
    stored = store.load(remediation_id, KEPT_LABEL)
    if stored is None:
        raise RemediationError(
            f"no kept copy of remediation {remediation_id} on this server; "
            "restore the file from a backup"
        )
    if (
        undo.get("raw_path") != stored.record.get("raw_path")
        or undo.get("sha256_before") != stored.sha256
    ):
        raise PayloadError(
            "the undo record does not match the copy this agent kept; "
            "nothing was changed"
        )
    path = inside_web_roots(stored.original_path, web_roots)
    shown = display_path(path)

    exists = os.path.lexists(path)
    if exists:
        current = open_regular(path)
        if current.sha256 == stored.sha256:
            log.check("compare", f"{shown} already holds the original bytes")
            return
        if current.sha256 != stored.record.get("after_sha256"):
            raise TargetChangedError(
                f"{shown} changed after the fix (sha256 {current.sha256}); "
                "putting the old bytes back would lose that change. Compare it "
                f"with the kept copy {display_path(stored.blob)} and merge by hand."
            )
        if not same_file(path, current.info):
            raise TargetChangedError(f"{shown} changed during the rollback; retry it")
    write_atomic(
        path,
        store.iter_chunks(stored),
        meta=stored.meta,
        expected_sha256=stored.sha256,
        replace=exists,
    )
    log.change(
        "restore-bytes",
        f"put the original bytes of {shown} back with their owner, mode and times",
    )
    logger.info("rolled back %s (remediation %s)", shown, remediation_id)
