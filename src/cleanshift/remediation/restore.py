"""The restore playbook: put back the pristine copy of a modified release file.

The site's release comes from its own files (``wp-includes/version.php``,
a plugin's header); the pristine copy comes from the local pristine store,
checked against the digest its manifest records. The modified bytes are
kept so the restore can be undone.
"""

from __future__ import annotations

import hashlib
import logging
from typing import Any

from cleanshift.engine.paths import display_path
from cleanshift.remediation.errors import RemediationError, TargetChangedError
from cleanshift.remediation.playbook import (
    Outcome,
    RemediationContext,
    RemediationRequest,
    StepLog,
)
from cleanshift.remediation.rescan import verify_file
from cleanshift.remediation.rewrite import (
    commit_rewrite,
    earlier_rewrite,
    rollback_rewrite,
    undo_record,
)
from cleanshift.remediation.targets import (
    inside_web_roots,
    open_regular,
    require_sha256,
    threat_path,
)
from cleanshift.remediation.wpsite import locate_release

logger = logging.getLogger(__name__)


class RestorePlaybook:
    """Replace a modified core, plugin or theme file with its pristine copy."""

    name = "restore"

    def remediate(
        self, request: RemediationRequest, context: RemediationContext, log: StepLog
    ) -> Outcome:
        """Write the pristine copy over the file (a dry run only finds it)."""
        path = inside_web_roots(threat_path(request.threat), context.web_roots)
        shown = display_path(path)
        current = open_regular(path)
        store = context.quarantine
        earlier = earlier_rewrite(store, request.remediation_id, current)
        if earlier is not None and not request.dry_run:
            log.check("already-done", f"{shown} was restored by an earlier run")
            verified, seen = verify_file(path, current.sha256)
            log.check("verify", seen)
            undo = undo_record(self.name, path, earlier.sha256, current.sha256)
            return Outcome(undo, verified)

        expected = require_sha256(request.threat)
        if current.sha256 != expected:
            raise TargetChangedError(
                f"{shown} changed since the scan (sha256 now {current.sha256}, "
                f"the scan saw {expected}); scan again first"
            )
        log.check("check-hash", f"{shown} is unchanged since the scan")

        release = locate_release(path, context.web_roots)
        label = f"{release.name} {release.version}"
        relative = display_path(release.relative)
        log.check("identify", f"{shown} is {relative} of {label}")
        pristine = self._pristine_bytes(
            context, release.name, release.version, release.relative
        )
        log.check("pristine", f"the pristine store holds {relative} of {label}")

        if request.dry_run:
            log.change("replace", f"would write the pristine {relative} over {shown}")
            return Outcome({}, False)
        undo = commit_rewrite(
            store, request.remediation_id, self.name, current, pristine, log
        )
        undo["release"] = {"name": release.name, "version": release.version}
        verified, seen = verify_file(path, undo["sha256_after"])
        log.check("verify", seen)
        return Outcome(undo, verified)

    def rollback(
        self,
        remediation_id: str,
        undo: dict[str, Any],
        context: RemediationContext,
        log: StepLog,
    ) -> None:
        """Put the modified bytes back, as they were before the restore."""
        rollback_rewrite(
            context.quarantine, remediation_id, undo, context.web_roots, log
        )

    def _pristine_bytes(
        self, context: RemediationContext, name: str, version: str, relative: bytes
    ) -> bytes:
        store = context.pristine
        copy = store.lookup(name, version, relative)
        expected = store.expected_sha256(name, version, relative)
        if copy is None or expected is None:
            raise RemediationError(
                f"the pristine store at {store.root} has no copy of "
                f"{display_path(relative)} from {name} {version}; add that "
                "release to it (PristineStore.add_tree on the release's files) "
                "and try again, or restore the file from a backup"
            )
        data = copy.read_bytes()
        if hashlib.sha256(data).hexdigest() != expected:
            raise RemediationError(
                f"the pristine copy {copy} does not match its manifest; the "
                "store is damaged. Add the release again."
            )
        return data
