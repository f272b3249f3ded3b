"""Threats across the caller's fleet."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, status

from cleanshift.api import responses
from cleanshift.api.deps import SessionDep, UserDep
from cleanshift.api.schemas import (
    IdFilter,
    ObjectId,
    RemediateRequest,
    Text,
    ThreatBulkUpdateRequest,
    ThreatStatus,
    ThreatUpdateRequest,
)
from cleanshift.services import remediations, threats
from cleanshift.services.pagination import page_payload

router = APIRouter(
    prefix="/threats",
    tags=["threats"],
    responses=responses.errors(401, 403, 422, 429),
)

Severity = Literal["critical", "high", "medium", "low"]
ThreatType = Literal["malware", "vulnerability", "database", "integrity"]


@router.get("", response_model=responses.ThreatPage, responses=responses.errors(400))
def list_threats(
    principal: UserDep,
    session: SessionDep,
    severity: Severity | None = None,
    threat_status: Annotated[ThreatStatus | None, Query(alias="status")] = None,
    server_id: IdFilter = None,
    site_id: IdFilter = None,
    threat_type: Annotated[ThreatType | None, Query(alias="type")] = None,
    scan_id: IdFilter = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    cursor: Annotated[Text | None, Query(max_length=500)] = None,
) -> dict[str, Any]:
    """Threats, newest first, filtered by severity, status, server, site, type, scan."""
    filters: dict[str, str | None] = {
        "severity": severity,
        "status": threat_status,
        "server_id": server_id,
        "site_id": site_id,
        "type": threat_type,
        "scan_id": scan_id,
    }
    rows, next_cursor = threats.list_threats(session, principal, filters, limit, cursor)
    return page_payload([threats.threat_to_dict(row) for row in rows], next_cursor)


@router.patch(
    "",
    response_model=responses.BulkUpdateResult,
    responses=responses.errors(400, 413),
)
def update_threats(
    body: ThreatBulkUpdateRequest, principal: UserDep, session: SessionDep
) -> dict[str, Any]:
    """Change the status of up to 1000 threats at once."""
    updated, errors = threats.bulk_set_status(
        session, principal, body.ids, body.status, body.note
    )
    return {"updated": [threats.threat_to_dict(t) for t in updated], "errors": errors}


@router.get(
    "/{threat_id}",
    response_model=responses.ThreatDetail,
    responses=responses.errors(404),
)
def get_threat(
    threat_id: ObjectId, principal: UserDep, session: SessionDep
) -> dict[str, Any]:
    """One threat with the history of its status."""
    threat = threats.get_threat(session, principal, threat_id)
    data = threats.threat_to_dict(threat)
    data["history"] = threats.history(session, threat)
    return data


@router.patch(
    "/{threat_id}",
    response_model=responses.Threat,
    responses=responses.errors(400, 404, 413),
)
def update_threat(
    threat_id: ObjectId,
    body: ThreatUpdateRequest,
    principal: UserDep,
    session: SessionDep,
) -> dict[str, Any]:
    """Acknowledge a threat, mark it a false positive, or resolve it."""
    threat = threats.set_status(session, principal, threat_id, body.status, body.note)
    return threats.threat_to_dict(threat)


@router.post(
    "/{threat_id}/remediate",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=responses.RemediationQueued,
    responses=responses.errors(400, 404, 409, 413),
)
def remediate_threat(
    threat_id: ObjectId, body: RemediateRequest, principal: UserDep, session: SessionDep
) -> dict[str, Any]:
    """Queue the playbook that fixes this threat (or the one named)."""
    remediation = remediations.request_remediation(
        session, principal, threat_id, body.playbook, body.dry_run
    )
    return {
        "remediation_id": remediation.id,
        "threat_id": remediation.threat_id,
        "playbook": remediation.playbook,
        "dry_run": remediation.dry_run,
        "status": remediation.status,
    }
