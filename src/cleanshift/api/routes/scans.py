"""Scans: trigger one, follow it, read its findings."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Header, Query, status

from cleanshift.api import responses
from cleanshift.api.deps import SessionDep, UserDep
from cleanshift.api.schemas import (
    IdFilter,
    ObjectId,
    ScanStatus,
    ScanTriggerRequest,
    Text,
)
from cleanshift.db.models import Scan
from cleanshift.services import scans
from cleanshift.services.pagination import page_payload, paginate
from cleanshift.services.tenancy import owned_by

router = APIRouter(
    prefix="/scans",
    tags=["scans"],
    responses=responses.errors(401, 403, 422, 429),
)


@router.post(
    "/trigger",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=responses.ScanQueued,
    responses=responses.errors(400, 404, 413),
)
def trigger_scan(
    body: ScanTriggerRequest,
    principal: UserDep,
    session: SessionDep,
    idempotency_key: Annotated[str | None, Header(max_length=200)] = None,
) -> dict[str, Any]:
    """Queue a scan of a server or one of its sites (quick, full or deep)."""
    scan = scans.trigger_scan(
        session,
        principal,
        body.server_id,
        body.site_id,
        body.scan_mode,
        idempotency_key,
    )
    return {
        "scan_id": scan.id,
        "status": scan.status,
        "estimated_duration": scans.format_duration(scan.estimated_seconds),
    }


@router.get("", response_model=responses.ScanPage, responses=responses.errors(400))
def list_scans(
    principal: UserDep,
    session: SessionDep,
    server_id: IdFilter = None,
    site_id: IdFilter = None,
    scan_status: Annotated[ScanStatus | None, Query(alias="status")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    cursor: Annotated[Text | None, Query(max_length=500)] = None,
) -> dict[str, Any]:
    """The account's scans, newest first."""
    query = owned_by(principal, Scan)
    if server_id:
        query = query.where(Scan.server_id == server_id)
    if site_id:
        query = query.where(Scan.site_id == site_id)
    if scan_status:
        query = query.where(Scan.status == scan_status)
    rows, next_cursor = paginate(session, query, Scan.queued_at, Scan.id, limit, cursor)
    items = [scans.scan_to_dict(session, row, with_findings=False) for row in rows]
    return page_payload(items, next_cursor)


@router.get(
    "/{scan_id}",
    response_model=responses.ScanDetail,
    responses=responses.errors(404),
)
def get_scan(
    scan_id: ObjectId, principal: UserDep, session: SessionDep
) -> dict[str, Any]:
    """A scan's status, progress, threat counts and findings."""
    return scans.scan_to_dict(session, scans.get_scan(session, principal, scan_id))


@router.post(
    "/{scan_id}/cancel",
    response_model=responses.Scan,
    responses=responses.errors(404, 409),
)
def cancel_scan(
    scan_id: ObjectId, principal: UserDep, session: SessionDep
) -> dict[str, Any]:
    """Cancel a queued or running scan."""
    scan = scans.cancel_scan(session, principal, scan_id)
    return scans.scan_to_dict(session, scan, with_findings=False)
