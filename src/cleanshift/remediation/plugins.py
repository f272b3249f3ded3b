"""Vulnerable plugins and themes: disable them, or update them with WP-CLI.

Disabling renames ``wp-content/plugins/<slug>`` to
``<slug>.cleanshift-disabled-<remediation id>``: WordPress deactivates a
plugin whose folder is gone, and renaming it back undoes that. The renamed
folder also gets mode 000, because a plugin's files can be requested over
HTTP by their path whether WordPress loads the plugin or not. (A theme is
disabled the same way; if it was the active one, WordPress falls back to
its default theme.) Updating needs WP-CLI; without it the plugin is
disabled instead, and the steps say so.
"""

from __future__ import annotations

import base64
import logging
import os
import stat
from typing import Any

from cleanshift.engine.paths import display_path
from cleanshift.remediation.atomic import fsync_directory
from cleanshift.remediation.errors import (
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
from cleanshift.remediation.store import RECORD_FORMAT
from cleanshift.remediation.targets import inside_web_roots
from cleanshift.remediation.wpsite import software_folder

logger = logging.getLogger(__name__)

DISABLED_MARKER = b".cleanshift-disabled-"
FALLBACK_NOTE = "WP-CLI not found; plugin disabled instead"


def software_target(
    location: dict[str, Any], context: RemediationContext
) -> tuple[str, str, str, bytes]:
    """Site path, software type, slug and folder that a location names."""
    site_path = location.get("site_path")
    software_type = location.get("software_type")
    slug = location.get("slug")
    if not (
        isinstance(site_path, str)
        and isinstance(software_type, str)
        and isinstance(slug, str)
    ):
        raise PayloadError(
            "the threat's location lacks site_path, software_type or slug"
        )
    folder = software_folder(site_path, software_type, slug)
    return site_path, software_type, slug, inside_web_roots(folder, context.web_roots)


class DisablePluginPlaybook:
    """Deactivate a plugin or theme by moving its folder out of WordPress's way."""

    name = "disable-plugin"

    def remediate(
        self, request: RemediationRequest, context: RemediationContext, log: StepLog
    ) -> Outcome:
        """Rename the folder (a dry run only checks that it is there)."""
        site_path, software_type, slug, folder = software_target(
            request.location, context
        )
        marker = DISABLED_MARKER + request.remediation_id.encode()
        original = _installed_path(folder, marker)
        disabled = original + marker
        shown = display_path(original)
        undo: dict[str, Any] = {
            "playbook": self.name,
            "site_path": site_path,
            "software_type": software_type,
            "slug": slug,
            "path": shown,
            "raw_path": base64.b64encode(original).decode("ascii"),
            "disabled_path": display_path(disabled),
        }
        if not os.path.lexists(original):
            if os.path.lexists(disabled):
                earlier = _record_mode(context, request.remediation_id)
                _lock(disabled, log)
                log.check("already-done", f"{shown} was disabled by an earlier run")
                return Outcome({**undo, "mode": earlier}, True)
            raise RemediationError(
                f"the {software_type} {slug} is not installed at {shown}; "
                "nothing to disable"
            )
        if os.path.lexists(disabled):
            raise TargetChangedError(
                f"{display_path(disabled)} already exists; move it away and retry"
            )
        if request.dry_run:
            log.change("disable", f"would rename {shown} so WordPress skips it")
            return Outcome({}, False)

        mode = stat.S_IMODE(os.lstat(original).st_mode)
        undo["mode"] = mode
        context.quarantine.write_record(
            request.remediation_id, "disabled", {**undo, "format": RECORD_FORMAT}
        )
        os.rename(original, disabled)
        fsync_directory(os.path.dirname(original))
        _lock(disabled, log)
        log.change(
            "disable",
            f"renamed {shown} to {display_path(disabled)} and made it unreadable "
            f"(mode 000); WordPress no longer loads the {software_type}",
        )
        if software_type == "theme":
            log.check(
                "note", "if this was the active theme, WordPress now uses its default"
            )
        logger.info(
            "disabled %s %s (remediation %s)",
            software_type,
            slug,
            request.remediation_id,
        )
        verified = not os.path.lexists(original)
        log.check("verify", f"{shown} is gone" if verified else f"{shown} is back")
        return Outcome(undo, verified)

    def rollback(
        self,
        remediation_id: str,
        undo: dict[str, Any],
        context: RemediationContext,
        log: StepLog,
    ) -> None:
        """Rename the folder back, unless a new copy was installed meanwhile."""
        _, software_type, slug, folder = software_target(undo, context)
        original = folder
        if undo.get("raw_path") != base64.b64encode(folder).decode("ascii"):
            # A single-file plugin was disabled as <slug>.php.
            original = folder + b".php"
        if undo.get("raw_path") != base64.b64encode(original).decode("ascii"):
            raise PayloadError("the undo record names another path than its slug")
        disabled = original + DISABLED_MARKER + remediation_id.encode()
        shown = display_path(original)
        if not os.path.lexists(disabled):
            if os.path.lexists(original):
                log.check("already-done", f"{shown} is already back")
                return
            raise RemediationError(
                f"the disabled copy {display_path(disabled)} is gone; reinstall "
                f"the {software_type} {slug}"
            )
        if os.path.lexists(original):
            raise TargetChangedError(
                f"a new copy of the {software_type} is installed at {shown}; it was "
                f"not replaced. Remove it and roll back again, or delete "
                f"{display_path(disabled)} if the new copy is wanted."
            )
        # The mode first: a crash before the rename leaves a readable folder
        # under the disabled name, which the next attempt renames.
        os.chmod(disabled, _record_mode(context, remediation_id), follow_symlinks=False)
        os.rename(disabled, original)
        fsync_directory(os.path.dirname(original))
        log.change("enable", f"renamed {display_path(disabled)} back to {shown}")
        logger.info(
            "re-enabled %s %s (remediation %s)", software_type, slug, remediation_id
        )


def _lock(disabled: bytes, log: StepLog) -> None:
    try:
        os.chmod(disabled, 0, follow_symlinks=False)
    except OSError as error:
        # Renamed is already disabled; the mode only hardens it.
        log.check("note", f"could not set mode 000 on the disabled copy: {error}")


def _record_mode(context: RemediationContext, remediation_id: str) -> int:
    """The mode the software's folder had, from this agent's own record."""
    record = context.quarantine.load(remediation_id, "disabled")
    mode = record.record.get("mode") if record is not None else None
    if not isinstance(mode, int):
        raise RemediationError(
            f"this agent has no record of disabling {remediation_id}; rename the "
            "folder back by hand"
        )
    return mode & 0o777


def _installed_path(folder: bytes, marker: bytes) -> bytes:
    # A plugin can be one PHP file in the plugins folder instead of a folder;
    # an earlier run may already have renamed either.
    single_file = folder + b".php"
    for candidate in (folder, single_file):
        if os.path.lexists(candidate) or os.path.lexists(candidate + marker):
            return candidate
    return folder
