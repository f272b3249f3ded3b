"""Running a ``remediate`` or ``rollback`` command: the agent's one entry point.

``execute_remediation`` never raises. Whatever happens becomes a status
(``completed`` or ``failed``) and a summary for the control plane: the steps
taken, and for a remediation the undo record and whether the agent looked
again and found the problem gone; for a failure, what happened and what to
do next.
"""

from __future__ import annotations

import logging
from typing import Any

from cleanshift.remediation.clean import CleanPlaybook
from cleanshift.remediation.dbclean import DatabaseCleanPlaybook
from cleanshift.remediation.errors import PayloadError, RemediationError
from cleanshift.remediation.playbook import (
    Playbook,
    RemediationContext,
    RemediationRequest,
    StepLog,
)
from cleanshift.remediation.plugins import DisablePluginPlaybook
from cleanshift.remediation.quarantine import QuarantinePlaybook
from cleanshift.remediation.restore import RestorePlaybook
from cleanshift.remediation.update import UpdatePluginPlaybook

__all__ = ["PLAYBOOKS", "RemediationContext", "execute_remediation"]

logger = logging.getLogger(__name__)

PLAYBOOKS: dict[str, Playbook] = {
    playbook.name: playbook
    for playbook in (
        QuarantinePlaybook(),
        CleanPlaybook(),
        RestorePlaybook(),
        DisablePluginPlaybook(),
        UpdatePluginPlaybook(),
        DatabaseCleanPlaybook(),
    )
}

Result = tuple[str, dict[str, Any]]


def execute_remediation(
    command_type: str, payload: dict[str, Any], context: RemediationContext
) -> Result:
    """Run a ``remediate`` or ``rollback`` command; returns (status, summary)."""
    log = StepLog(dry_run=bool(payload.get("dry_run")))
    remediation_id = payload.get("remediation_id")
    try:
        if command_type == "remediate":
            result = _remediate(payload, context, log)
        elif command_type == "rollback":
            result = _rollback(payload, context, log)
        else:
            raise PayloadError(f"unknown remediation command {command_type!r}")
    except RemediationError as error:
        logger.warning("%s of %s failed: %s", command_type, remediation_id, error)
        return "failed", {"steps": log.steps, "error": error.message}
    except OSError as error:
        logger.warning("%s of %s failed: %s", command_type, remediation_id, error)
        where = f" ({error.filename!r})" if error.filename else ""
        return "failed", {
            "steps": log.steps,
            "error": f"{error.strerror or error}{where}; the step under way was "
            "not completed (writes are atomic, so nothing is half-written). "
            "Fix the cause and try again.",
        }
    except Exception as error:
        # Whatever went wrong, the control plane must hear back, or the
        # remediation would wait for a result forever.
        logger.exception("%s of %s failed unexpectedly", command_type, remediation_id)
        return "failed", {
            "steps": log.steps,
            "error": f"unexpected {type(error).__name__}: {error}. The step under "
            "way was not completed; the agent's log has the details.",
        }
    logger.info("%s of %s completed", command_type, remediation_id)
    return result


def _remediate(
    payload: dict[str, Any], context: RemediationContext, log: StepLog
) -> Result:
    request = RemediationRequest.from_payload(payload)
    playbook = _playbook(request.playbook)
    logger.info(
        "running %s%s for %s",
        playbook.name,
        " (dry run)" if request.dry_run else "",
        request.remediation_id,
    )
    outcome = playbook.remediate(request, context, log)
    return "completed", {
        "playbook": playbook.name,
        "dry_run": request.dry_run,
        "steps": log.steps,
        "undo": {} if request.dry_run else outcome.undo,
        "verified": outcome.verified and not request.dry_run,
    }


def _rollback(
    payload: dict[str, Any], context: RemediationContext, log: StepLog
) -> Result:
    remediation_id = payload.get("remediation_id")
    undo = payload.get("undo")
    if not isinstance(remediation_id, str) or not remediation_id:
        raise PayloadError("the command carries no remediation_id")
    if not isinstance(undo, dict) or not undo:
        raise PayloadError(
            "there is nothing to undo: the remediation was a dry run or changed nothing"
        )
    playbook = _playbook(str(undo.get("playbook")))
    logger.info("rolling back %s (%s)", remediation_id, playbook.name)
    playbook.rollback(remediation_id, undo, context, log)
    return "completed", {"playbook": playbook.name, "steps": log.steps}


def _playbook(name: str) -> Playbook:
    playbook = PLAYBOOKS.get(name)
    if playbook is None:
        raise PayloadError(
            f"this agent has no playbook {name!r}; it knows "
            f"{', '.join(sorted(PLAYBOOKS))}"
        )
    return playbook
