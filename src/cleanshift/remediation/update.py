"""The update-plugin playbook: WP-CLI updates a vulnerable plugin or theme.

The folder is copied into the quarantine store first, so that the update
can be undone (and is undone at once if WP-CLI fails). Without WP-CLI on
the server the plugin is disabled instead. WP-CLI boots WordPress, which
runs the site's configuration and core, so it runs as the site's owner
whenever the site has a non-root owner, and with every plugin and theme
skipped.
"""

from __future__ import annotations

import logging
import os
from typing import Any

from cleanshift.engine.paths import display_path
from cleanshift.remediation.errors import RemediationError, ToolError
from cleanshift.remediation.playbook import (
    Outcome,
    RemediationContext,
    RemediationRequest,
    StepLog,
)
from cleanshift.remediation.plugins import (
    FALLBACK_NOTE,
    DisablePluginPlaybook,
    software_target,
)
from cleanshift.remediation.store import RECORD_FORMAT
from cleanshift.remediation.tools import run_tool
from cleanshift.remediation.trees import copy_tree, remove_tree, swap_in
from cleanshift.remediation.wpsite import installed_version
from cleanshift.vulns.phpversion import version_compare

logger = logging.getLogger(__name__)

BACKUP_LABEL = "software"


class UpdatePluginPlaybook:
    """Update a plugin or theme to its patched version, keeping the old one."""

    name = "update-plugin"

    def remediate(
        self, request: RemediationRequest, context: RemediationContext, log: StepLog
    ) -> Outcome:
        """Update with WP-CLI, or disable when WP-CLI is not installed."""
        if context.wp_cli is None:
            log.check("fallback", FALLBACK_NOTE, fallback=FALLBACK_NOTE)
            return DisablePluginPlaybook().remediate(request, context, log)

        site_path, software_type, slug, folder = software_target(
            request.location, context
        )
        if not os.path.isdir(folder):
            raise RemediationError(
                f"{display_path(folder)} is not an installed {software_type} folder"
            )
        site = os.path.dirname(os.path.dirname(os.path.dirname(folder)))
        patched = _patched_version(request.threat)
        earlier = context.quarantine.load(request.remediation_id, BACKUP_LABEL)
        if earlier is not None:
            # An earlier run was cut short: its copy is the true original.
            before = str(earlier.record.get("version"))
        else:
            before = installed_version(site, software_type, slug)
        target = f"version {patched}" if patched else "its latest version"
        log.check("identify", f"{software_type} {slug} {before} is installed")
        if request.dry_run:
            log.change("update", f"would update {slug} to {target} with WP-CLI")
            return Outcome({}, False)

        backup = os.path.join(
            context.quarantine.entry_dir(request.remediation_id), b"software.tree"
        )
        if earlier is None:
            self._back_up(context, request.remediation_id, folder, backup, before)
            log.change("keep-original", f"copied {display_path(folder)} for undo")
        else:
            log.check("keep-original", "kept the copy an earlier run made")
        command = [
            context.wp_cli,
            software_type,
            "update",
            slug,
            f"--path={os.fsdecode(site)}",
            "--skip-plugins",
            "--skip-themes",
        ]
        if patched:
            command.append(f"--version={patched}")
        user, group = _owner(site)
        if os.geteuid() == 0 and user is None:
            command.append("--allow-root")
        try:
            result = run_tool(
                command, timeout=context.tool_timeout, user=user, group=group
            )
            if result.returncode != 0:
                raise ToolError(f"WP-CLI could not update {slug} ({result.output})")
        except ToolError as error:
            # WP-CLI may have stopped half way through replacing files.
            self._put_back(backup, folder, request.remediation_id)
            raise ToolError(
                f"{error.message}; the {software_type} was put back as it was. "
                "Update it by hand."
            ) from error
        log.change("update", f"WP-CLI updated {slug} to {target}")
        logger.info(
            "updated %s %s (remediation %s)",
            software_type,
            slug,
            request.remediation_id,
        )
        after, verified = self._verify(site, software_type, slug, before, patched, log)
        undo = {
            "playbook": self.name,
            "site_path": site_path,
            "software_type": software_type,
            "slug": slug,
            "path": display_path(folder),
            "version_before": before,
            "version_after": after,
        }
        return Outcome(undo, verified)

    def rollback(
        self,
        remediation_id: str,
        undo: dict[str, Any],
        context: RemediationContext,
        log: StepLog,
    ) -> None:
        """Put the kept folder back in place of the updated one."""
        _, _, slug, folder = software_target(undo, context)
        record = context.quarantine.load(remediation_id, BACKUP_LABEL)
        if record is None or record.record.get("path") != display_path(folder):
            raise RemediationError(
                f"this agent kept no copy of {slug} for {remediation_id}; "
                "reinstall the old version by hand"
            )
        backup = os.path.join(
            context.quarantine.entry_dir(remediation_id), b"software.tree"
        )
        self._put_back(backup, folder, remediation_id)
        log.change(
            "restore",
            f"put {slug} {record.record.get('version')} back at {display_path(folder)}",
        )

    def _verify(
        self,
        site: bytes,
        software_type: str,
        slug: str,
        before: str,
        patched: str | None,
        log: StepLog,
    ) -> tuple[str | None, bool]:
        try:
            after = installed_version(site, software_type, slug)
        except RemediationError as error:
            log.check("verify", f"could not read the new version: {error.message}")
            return None, False
        wanted = patched or before
        verified = version_compare(after, wanted) >= 0 and after != before
        log.check("verify", f"{slug} now reports version {after}")
        return after, verified

    def _back_up(
        self,
        context: RemediationContext,
        remediation_id: str,
        folder: bytes,
        backup: bytes,
        version: str,
    ) -> None:
        # A copy without a record is the remnant of an interrupted run.
        if os.path.lexists(backup):
            remove_tree(backup)
        copy_tree(folder, backup)
        record = {
            "format": RECORD_FORMAT,
            "path": display_path(folder),
            "version": version,
        }
        context.quarantine.write_record(remediation_id, BACKUP_LABEL, record)

    def _put_back(self, backup: bytes, folder: bytes, remediation_id: str) -> None:
        parent, name = os.path.split(folder)
        suffix = b".cleanshift-" + remediation_id.encode()
        staging = os.path.join(parent, b"." + name + suffix + b".restore")
        aside = os.path.join(parent, b"." + name + suffix + b".replaced")
        for leftover in (staging, aside):
            if os.path.lexists(leftover):
                remove_tree(leftover)
        copy_tree(backup, staging)
        swap_in(staging, folder, aside)
        remove_tree(aside)


def _patched_version(threat: dict[str, Any]) -> str | None:
    details = threat.get("details")
    for source in (threat, details if isinstance(details, dict) else {}):
        value = source.get("patched_version")
        if isinstance(value, str) and value:
            return value
    return None


def _owner(site: bytes) -> tuple[int | None, int | None]:
    info = os.stat(site)
    if os.geteuid() == 0 and info.st_uid != 0:
        return info.st_uid, info.st_gid
    return None, None
