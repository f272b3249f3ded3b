"""Threats across the caller's fleet."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query

from cleanshift.api.deps import SessionDep, UserDep
from cleanshift.api.schemas import ThreatStatus, ThreatUpdateRequest
from cleanshift.services import threats
from cleanshift.services.pagination import page_payload

router = APIRouter(prefix="/threats", tags=["threats"])

Severity = Literal["critical", "high", "medium", "low"]
ThreatType = Literal["malware", "vulnerability", "database", "integrity"]


@router.get("")
def list_threats(
    principal: UserDep,
    session: SessionDep,
    severity: Severity | None = None,
    threat_status: Annotated[ThreatStatus | None, Query(alias="status")] = None,
    server_id: Annotated[str | None, Query(max_length=64)] = None,
    site_id: Annotated[str | None, Query(max_length=64)] = None,
    threat_type: Annotated[ThreatType | None, Query(alias="type")] = None,
    scan_id: Annotated[str | None, Query(max_length=64)] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    cursor: Annotated[str | None, Query(max_length=500)] = None,
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


@router.get("/{threat_id}")
def get_threat(
    threat_id: str, principal: UserDep, session: SessionDep
) -> dict[str, Any]:
    """One threat with the history of its status."""
    threat = threats.get_threat(session, principal, threat_id)
    data = threats.threat_to_dict(threat)
    data["history"] = threats.history(session, threat)
    return data


@router.patch("/{threat_id}")
def update_threat(
    threat_id: str, body: ThreatUpdateRequest, principal: UserDep, session: SessionDep
) -> dict[str, Any]:
    """Acknowledge a threat, mark it a false positive, or resolve it."""
    threat = threats.set_status(session, principal, threat_id, body.status, body.note)
    return threats.threat_to_dict(threat)
