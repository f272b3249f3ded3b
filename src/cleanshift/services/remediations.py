"""Remediations: which playbook fits a threat, and what came of running it."""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy.orm import Session

from cleanshift.db.models import Remediation, Threat
from cleanshift.db.types import utc_now
from cleanshift.ids import new_id
from cleanshift.services.accounts import Principal
from cleanshift.services.commands import queue_command
from cleanshift.services.errors import ConflictError, ValidationFailedError
from cleanshift.services.tenancy import get_owned
from cleanshift.services.threats import change_status, get_threat

logger = logging.getLogger(__name__)

PLAYBOOKS = (
    "quarantine",
    "clean",
    "restore",
    "disable-plugin",
    "update-plugin",
    "db-clean",
)
# Families whose matches sit inside a legitimate file: cut the injection out
# instead of taking the whole file away.
INJECTION_FAMILIES = ("injected-script", "seo-spam", "skimmer", "injection")
ROLLBACK_STATES = ("completed",)


def choose_playbook(threat: Threat) -> str:
    """The playbook that fits a threat when the caller names none."""
    if threat.type == "vulnerability":
        return "update-plugin"
    if threat.type == "integrity":
        return "restore"
    if threat.type == "database":
        return "db-clean"
    if threat.family in INJECTION_FAMILIES:
        return "clean"
    return "quarantine"


def request_remediation(
    session: Session,
    principal: Principal,
    threat_id: str,
    playbook: str | None,
    dry_run: bool,
) -> Remediation:
    """Queue a playbook for the threat's server."""
    threat = get_threat(session, principal, threat_id)
    chosen = playbook or choose_playbook(threat)
    if chosen not in PLAYBOOKS:
        raise ValidationFailedError(
            f"Unknown playbook {chosen!r}; use one of {', '.join(PLAYBOOKS)}"
        )
    if threat.status == "resolved" and not dry_run:
        raise ConflictError(f"Threat {threat_id} is already resolved")
    remediation = Remediation(
        id=new_id("rem"),
        account_id=threat.account_id,
        server_id=threat.server_id,
        threat_id=threat.id,
        playbook=chosen,
        dry_run=dry_run,
        status="queued",
        steps=[],
    )
    session.add(remediation)
    session.flush()
    queue_command(
        session,
        threat.account_id,
        threat.server_id,
        "remediate",
        {
            "remediation_id": remediation.id,
            "playbook": chosen,
            "dry_run": dry_run,
            "threat": threat_payload(threat),
        },
    )
    logger.info("queued %s on threat %s", chosen, threat.id)
    return remediation


def threat_payload(threat: Threat) -> dict[str, Any]:
    """What the agent needs to know of a threat to fix it."""
    return {
        "threat_id": threat.id,
        "type": threat.type,
        "path": threat.path,
        "raw_path": threat.raw_path,
        "location": threat.location,
        "rule": threat.rule,
        "sha256": threat.sha256,
        "patched_version": (threat.details or {}).get("patched_version"),
    }


def get_remediation(
    session: Session, principal: Principal, remediation_id: str
) -> Remediation:
    """The caller's remediation, or ``NotFoundError``."""
    return get_owned(session, principal, Remediation, remediation_id)


def request_rollback(
    session: Session, principal: Principal, remediation_id: str
) -> Remediation:
    """Queue the undoing of a completed remediation."""
    remediation = get_remediation(session, principal, remediation_id)
    if remediation.status not in ROLLBACK_STATES or remediation.dry_run:
        raise ConflictError(
            f"Remediation {remediation_id} is {remediation.status}"
            f"{' (dry run)' if remediation.dry_run else ''}; only a completed "
            "remediation can be rolled back"
        )
    remediation.status = "rolling-back"
    queue_command(
        session,
        remediation.account_id,
        remediation.server_id,
        "rollback",
        {"remediation_id": remediation.id, "undo": remediation.undo or {}},
    )
    return remediation


def apply_remediation_result(
    session: Session, remediation: Remediation, kind: str, message: dict[str, Any]
) -> None:
    """Record an agent's result for a remediate or rollback command."""
    summary = message.get("summary") or {}
    succeeded = message.get("status") == "completed"
    remediation.steps = [*remediation.steps, *summary.get("steps", [])]
    remediation.error = summary.get("error")
    remediation.finished_at = utc_now()
    threat = session.get(Threat, remediation.threat_id)

    if kind == "rollback":
        remediation.status = "rolled-back" if succeeded else "rollback-failed"
        if succeeded:
            remediation.rolled_back_at = remediation.finished_at
            if threat is not None and not remediation.dry_run:
                change_status(session, threat, "open", "agent", "remediation undone")
        return

    remediation.status = "completed" if succeeded else "failed"
    remediation.undo = summary.get("undo")
    # Resolved only when the agent looked again and the problem is gone.
    if succeeded and summary.get("verified") and threat and not remediation.dry_run:
        change_status(
            session, threat, "resolved", "agent", f"fixed by {remediation.playbook}"
        )


def remediation_to_dict(remediation: Remediation) -> dict[str, Any]:
    """The API form of a remediation."""
    return {
        "remediation_id": remediation.id,
        "threat_id": remediation.threat_id,
        "server_id": remediation.server_id,
        "playbook": remediation.playbook,
        "dry_run": remediation.dry_run,
        "status": remediation.status,
        "steps": remediation.steps,
        "can_rollback": remediation.status == "completed" and not remediation.dry_run,
        "undo": remediation.undo,
        "error": remediation.error,
        "created_at": remediation.created_at,
        "finished_at": remediation.finished_at,
        "rolled_back_at": remediation.rolled_back_at,
    }
