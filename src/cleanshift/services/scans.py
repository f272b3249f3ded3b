"""Scans: triggering, estimating, reporting."""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from cleanshift.db.models import Command, Scan, ScanFinding, Server, Site, Threat
from cleanshift.db.types import utc_now
from cleanshift.ids import new_id
from cleanshift.services.accounts import Principal
from cleanshift.services.commands import PENDING_STATES, queue_command
from cleanshift.services.errors import ConflictError, NotFoundError
from cleanshift.services.servers import get_server
from cleanshift.services.tenancy import get_owned
from cleanshift.services.threats import finding_to_dict

logger = logging.getLogger(__name__)

# Before a server has finished a scan, estimate with this throughput and,
# for sites not yet sized, this much data; both are typical of a small
# shared-hosting WordPress site on one core.
DEFAULT_BYTES_PER_SECOND = 20 * 1024 * 1024
DEFAULT_SITE_BYTES = 100 * 1024 * 1024
# quick mode reads what changed plus the places attackers write to; until
# the agent reports what changed, assume this share of the site.
QUICK_SHARE = 0.2
MINIMUM_ESTIMATE_SECONDS = 5


def trigger_scan(
    session: Session,
    principal: Principal,
    server_id: str,
    site_id: str | None,
    scan_mode: str,
    idempotency_key: str | None,
) -> Scan:
    """Queue a scan and the command that carries it to the agent."""
    if idempotency_key:
        existing = session.scalar(
            select(Scan).where(
                Scan.account_id == principal.account_id,
                Scan.idempotency_key == idempotency_key,
            )
        )
        if existing is not None:
            return existing

    server = get_server(session, principal, server_id)
    site = _get_site(session, server, site_id) if site_id else None
    scan = Scan(
        id=new_id("scn"),
        account_id=principal.account_id,
        server_id=server.id,
        site_id=site.id if site else None,
        scan_mode=scan_mode,
        idempotency_key=idempotency_key,
        estimated_seconds=estimate_seconds(session, server, site, scan_mode),
    )
    payload: dict[str, Any] = {"scan_id": scan.id, "scan_mode": scan_mode}
    if site is not None:
        payload["site_path"] = site.path
    session.add(scan)
    queue_command(session, principal.account_id, server.id, "scan", payload)
    try:
        session.flush()
    except IntegrityError:
        # Two requests with one Idempotency-Key raced; the first one won.
        session.rollback()
        return trigger_scan(
            session, principal, server_id, site_id, scan_mode, idempotency_key
        )
    logger.info("queued %s scan %s on server %s", scan_mode, scan.id, server.id)
    return scan


def _get_site(session: Session, server: Server, site_id: str) -> Site:
    site = session.get(Site, site_id)
    if site is None or site.server_id != server.id:
        raise NotFoundError(f"Site {site_id} not found on server {server.id}")
    return site


def estimate_seconds(
    session: Session, server: Server, site: Site | None, scan_mode: str
) -> int:
    """Seconds the scan should take: what the mode reads over measured speed."""
    if site is not None:
        sizes = [site.size_bytes]
    else:
        sizes = list(
            session.scalars(select(Site.size_bytes).where(Site.server_id == server.id))
        )
    total = sum(size or DEFAULT_SITE_BYTES for size in sizes) or DEFAULT_SITE_BYTES
    if scan_mode == "quick":
        total = int(total * QUICK_SHARE)
    speed = server.bytes_per_second or DEFAULT_BYTES_PER_SECOND
    return max(MINIMUM_ESTIMATE_SECONDS, round(total / speed))


def format_duration(seconds: float) -> str:
    """``45s``, ``3m20s`` or ``1h05m``, as the reference writes durations."""
    whole = round(seconds)
    if whole < 60:
        return f"{whole}s"
    if whole < 3600:
        return f"{whole // 60}m{whole % 60:02d}s"
    return f"{whole // 3600}h{(whole % 3600) // 60:02d}m"


def get_scan(session: Session, principal: Principal, scan_id: str) -> Scan:
    """The caller's scan, or ``NotFoundError``."""
    return get_owned(session, principal, Scan, scan_id)


def scan_to_dict(
    session: Session, scan: Scan, *, with_findings: bool = True
) -> dict[str, Any]:
    """The API form of a scan, with its threat counts and findings."""
    threats = list(
        session.scalars(
            select(Threat)
            .join(ScanFinding, ScanFinding.threat_id == Threat.id)
            .where(ScanFinding.scan_id == scan.id)
            .order_by(Threat.severity, Threat.path)
        )
    )
    counts = {"critical": 0, "high": 0, "medium": 0, "low": 0}
    for threat in threats:
        counts[threat.severity] = counts.get(threat.severity, 0) + 1
    duration = None
    if scan.started_at and scan.finished_at:
        duration = format_duration((scan.finished_at - scan.started_at).total_seconds())
    data: dict[str, Any] = {
        "scan_id": scan.id,
        "server_id": scan.server_id,
        "site_id": scan.site_id,
        "scan_mode": scan.scan_mode,
        "status": scan.status,
        "queued_at": scan.queued_at,
        "started_at": scan.started_at,
        "finished_at": scan.finished_at,
        "duration": duration,
        "estimated_duration": format_duration(scan.estimated_seconds),
        "progress": {
            "files_total": scan.files_total,
            "files_scanned": scan.files_scanned,
            "files_skipped": scan.files_skipped,
            "bytes_scanned": scan.bytes_scanned,
        },
        "threat_counts": {**counts, "total": len(threats)},
        "error": scan.error,
        "problems": scan.problems or [],
    }
    if with_findings:
        data["findings"] = [finding_to_dict(threat) for threat in threats]
    return data


def cancel_scan(session: Session, principal: Principal, scan_id: str) -> Scan:
    """Cancel a queued or running scan; the agent is told to stop."""
    scan = get_scan(session, principal, scan_id)
    if scan.status not in ("queued", "running"):
        raise ConflictError(
            f"Scan {scan_id} is {scan.status}; only queued or "
            "running scans can be cancelled"
        )
    scan.status = "cancelled"
    scan.finished_at = utc_now()
    for command in session.scalars(
        select(Command).where(
            Command.server_id == scan.server_id,
            Command.type == "scan",
            Command.status.in_(PENDING_STATES),
        )
    ):
        if command.payload.get("scan_id") != scan.id:
            continue
        if command.status == "queued":
            command.status = "cancelled"
        else:
            queue_command(
                session,
                scan.account_id,
                scan.server_id,
                "cancel",
                {"scan_id": scan.id, "command_id": command.id},
            )
            command.status = "cancelled"
    logger.info("scan %s cancelled", scan.id)
    return scan
