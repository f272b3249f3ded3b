"""Remediations: what a playbook did, and undoing it."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, status

from cleanshift.api import responses
from cleanshift.api.deps import SessionDep, UserDep
from cleanshift.api.schemas import ObjectId
from cleanshift.services import remediations

router = APIRouter(
    prefix="/remediations",
    tags=["remediations"],
    responses=responses.errors(401, 403, 404, 422, 429),
)


@router.get("/{remediation_id}", response_model=responses.Remediation)
def get_remediation(
    remediation_id: ObjectId, principal: UserDep, session: SessionDep
) -> dict[str, Any]:
    """Status, the steps taken, and whether it can be undone."""
    remediation = remediations.get_remediation(session, principal, remediation_id)
    return remediations.remediation_to_dict(remediation)


@router.post(
    "/{remediation_id}/rollback",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=responses.Remediation,
    responses=responses.errors(409),
)
def rollback_remediation(
    remediation_id: ObjectId, principal: UserDep, session: SessionDep
) -> dict[str, Any]:
    """Undo a completed remediation: bytes, metadata or rows as they were."""
    remediation = remediations.request_rollback(session, principal, remediation_id)
    return remediations.remediation_to_dict(remediation)
