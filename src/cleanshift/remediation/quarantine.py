"""The quarantine playbook: take a malicious file out of the site, keep it.

The file is copied into the quarantine store from the same open descriptor
the digest is taken from, and only a copy whose digest matches the scan's
is kept. The record goes to disk after the copy, and the original is
unlinked only after both, so at every moment the file exists whole at its
path, in the store with its record, or both. Rollback links the bytes back
under the original name, which fails rather than overwrite anything that
appeared there since.
"""

from __future__ import annotations

import logging
import os
import stat
from typing import Any

from cleanshift.engine.paths import display_path
from cleanshift.remediation.atomic import (
    FileMeta,
    fsync_directory,
    read_chunks,
    write_atomic,
)
from cleanshift.remediation.errors import (
    DigestMismatchError,
    PayloadError,
    RemediationError,
    TargetChangedError,
)
from cleanshift.remediation.playbook import (
    Outcome,
    RemediationContext,
    RemediationRequest,
    StepLog,
)
from cleanshift.remediation.rescan import RuleMatcher
from cleanshift.remediation.store import StoredFile
from cleanshift.remediation.targets import (
    digest_regular,
    inside_web_roots,
    open_regular,
    require_sha256,
    same_file,
    threat_path,
)

logger = logging.getLogger(__name__)

LABEL = "file"


class QuarantinePlaybook:
    """Move a malicious file into the quarantine store."""

    name = "quarantine"

    def remediate(
        self, request: RemediationRequest, context: RemediationContext, log: StepLog
    ) -> Outcome:
        """Quarantine the threat's file (a dry run only checks it)."""
        path = inside_web_roots(threat_path(request.threat), context.web_roots)
        shown = display_path(path)
        expected = require_sha256(request.threat)
        store = context.quarantine
        earlier = store.load(request.remediation_id, LABEL)

        if not os.path.lexists(path):
            if earlier is not None and earlier.sha256 == expected:
                log.check("already-done", f"{shown} was quarantined by an earlier run")
                return Outcome(undo_record(earlier), True)
            raise RemediationError(
                f"{shown} no longer exists; nothing to quarantine. Scan again "
                "to see whether the threat is gone."
            )

        if request.dry_run:
            found = digest_regular(path)
            if found != expected:
                raise _changed(shown, found, expected)
            log.check("check-hash", f"{shown} is unchanged since the scan")
            log.change("quarantine", f"would move {shown} into the quarantine store")
            return Outcome({}, False)

        stored, before = self._copy(request.remediation_id, path, expected, context)
        log.check("check-hash", f"{shown} is unchanged since the scan")
        log.change(
            "copy",
            f"copied {shown} ({stored.record['size']} bytes) into the quarantine "
            "store with its owner, mode and times",
            sha256=stored.sha256,
        )
        if not same_file(path, before):
            store.discard(request.remediation_id, LABEL)
            raise TargetChangedError(
                f"{shown} changed while it was being copied; it was left in "
                "place. Scan again and act on the new finding."
            )
        os.unlink(path)
        fsync_directory(os.path.dirname(path))
        log.change("remove", f"removed {shown} from the site")
        logger.info("quarantined %s (remediation %s)", shown, request.remediation_id)
        return Outcome(undo_record(stored), self._verify(path, log))

    def rollback(
        self,
        remediation_id: str,
        undo: dict[str, Any],
        context: RemediationContext,
        log: StepLog,
    ) -> None:
        """Put the quarantined file back where it was, exactly as it was."""
        store = context.quarantine
        stored = store.load(remediation_id, LABEL)
        if stored is None:
            raise RemediationError(
                f"this agent holds no quarantined file for {remediation_id}; "
                "it may have been removed from the store by hand"
            )
        if (
            undo.get("raw_path") != stored.record["raw_path"]
            or undo.get("sha256") != stored.sha256
        ):
            raise PayloadError(
                "the undo record does not match the quarantine record; nothing "
                "was changed"
            )
        path = inside_web_roots(stored.original_path, context.web_roots)
        shown = display_path(path)
        if os.path.lexists(path):
            found = digest_regular(path)
            if found == stored.sha256:
                log.check("already-done", f"{shown} is already back")
                return
            raise TargetChangedError(
                f"another file now sits at {shown} (sha256 {found}); "
                "it was not overwritten. Move it away and roll back again, or "
                f"take the quarantined copy from {display_path(stored.blob)}."
            )
        if not os.path.isdir(os.path.dirname(path)):
            raise RemediationError(
                f"the folder of {shown} no longer exists; create it and roll back again"
            )
        write_atomic(
            path,
            store.iter_chunks(stored),
            meta=stored.meta,
            replace=False,
            expected_sha256=stored.sha256,
        )
        stored.record["restored"] = True
        try:
            store.write_record(remediation_id, LABEL, stored.record)
        except OSError as error:
            # The file is back; a stale mark in the store changes nothing.
            logger.warning("cannot mark %s as restored: %s", remediation_id, error)
        log.change(
            "restore",
            f"put {shown} back with its bytes, owner, mode and times",
            sha256=stored.sha256,
        )
        logger.info("restored %s from quarantine (%s)", shown, remediation_id)

    def _copy(
        self,
        remediation_id: str,
        path: bytes,
        expected: str,
        context: RemediationContext,
    ) -> tuple[StoredFile, os.stat_result]:
        flags = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
        try:
            descriptor = os.open(path, flags)
        except OSError as error:
            raise RemediationError(
                f"cannot open {display_path(path)}: {error.strerror}"
            ) from error
        try:
            before = os.fstat(descriptor)
            if not stat.S_ISREG(before.st_mode):
                raise RemediationError(
                    f"{display_path(path)} is not a regular file; left alone"
                )
            stored = context.quarantine.save(
                remediation_id,
                LABEL,
                read_chunks(descriptor),
                original_path=path,
                meta=FileMeta.from_stat(before),
                expected_sha256=expected,
                extra={"playbook": self.name},
            )
        except DigestMismatchError as error:
            raise _changed(display_path(path), error.found, expected) from error
        finally:
            os.close(descriptor)
        return stored, before

    def _verify(self, path: bytes, log: StepLog) -> bool:
        if not os.path.lexists(path):
            log.check("verify", f"{display_path(path)} is gone from the site")
            return True
        # Something put a file back at once (a dropper, a sync job).
        try:
            rules = RuleMatcher.for_file(path).matching_rules(open_regular(path).data)
        except RemediationError as error:
            rules = [error.message]
        log.check("verify", "a file reappeared at the path at once", rules=rules)
        return False


def undo_record(stored: StoredFile) -> dict[str, Any]:
    """What rollback needs, from a quarantine record (no secrets in it)."""
    record = stored.record
    return {
        "playbook": QuarantinePlaybook.name,
        "path": record["path"],
        "raw_path": record["raw_path"],
        "sha256": record["sha256"],
        "size": record["size"],
        **record["meta"],
        "quarantined_as": display_path(stored.blob),
    }


def _changed(shown: str, found: str, expected: str) -> TargetChangedError:
    return TargetChangedError(
        f"{shown} changed since the scan (sha256 now {found}, the scan saw "
        f"{expected}); it was left in place. Scan again and act on the new finding."
    )
