"""Threats: one problem tracked across scans, and its status over time."""

from __future__ import annotations

import hashlib
import logging
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from cleanshift.db.models import Scan, ScanFinding, Threat, ThreatEvent
from cleanshift.db.types import utc_now
from cleanshift.ids import new_id
from cleanshift.services.accounts import Principal
from cleanshift.services.errors import NotFoundError
from cleanshift.services.pagination import paginate
from cleanshift.services.tenancy import get_owned, owned_by

logger = logging.getLogger(__name__)

STATUSES = ("open", "acknowledged", "false-positive", "resolved")
STATUS_ALIASES = {"acknowledge": "acknowledged"}
ACTIVE_STATUSES = ("open", "acknowledged")


def fingerprint(server_id: str, finding: dict[str, Any]) -> str:
    """The identity of a problem: where it is and what kind it is.

    A file is one problem whatever rule matched it, so a rule update does not
    raise a second threat; a vulnerability is one per advisory and software.
    """
    where = finding.get("raw_path") or finding.get("path") or ""
    if finding.get("location"):
        where = repr(sorted(finding["location"].items()))
    kind = finding["type"]
    what = finding.get("rule") if kind in ("vulnerability", "database") else ""
    key = "\0".join([server_id, kind, str(where), str(what or "")])
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


def record_finding(
    session: Session,
    scan: Scan,
    site_id: str | None,
    finding: dict[str, Any],
) -> Threat:
    """Apply one finding from a scan; applying it again changes nothing."""
    key = fingerprint(scan.server_id, finding)
    threat = find_threat(session, scan.server_id, key)
    seen = session.get(ScanFinding, (scan.id, threat.id)) if threat else None
    if threat is not None and seen is not None:
        return threat

    threat = upsert_threat(
        session, scan.account_id, scan.server_id, site_id, finding, f"scan {scan.id}"
    )
    threat.last_scan_id = scan.id
    session.add(ScanFinding(scan_id=scan.id, threat_id=threat.id))
    return threat


def upsert_threat(
    session: Session,
    account_id: str,
    server_id: str,
    site_id: str | None,
    finding: dict[str, Any],
    seen_by: str,
) -> Threat:
    """Raise, refresh or reopen the threat a finding describes."""
    key = fingerprint(server_id, finding)
    threat = find_threat(session, server_id, key)
    now = utc_now()
    if threat is None:
        threat = Threat(
            id=new_id("thr"),
            account_id=account_id,
            server_id=server_id,
            fingerprint=key,
            first_seen_at=now,
            status="open",
        )
        session.add(threat)
        _add_event(session, threat, None, "open", "scan", f"found by {seen_by}")
        logger.info("threat %s raised on server %s", threat.id, server_id)
    elif threat.status == "resolved":
        _change_status(session, threat, "open", "scan", f"seen again by {seen_by}")
    elif threat.status == "false-positive" and finding.get("sha256") != threat.sha256:
        _change_status(session, threat, "open", "scan", "content changed")

    threat.site_id = site_id
    threat.type = finding["type"]
    threat.severity = finding["severity"]
    threat.title = finding.get("title") or finding.get("rule") or finding["type"]
    threat.path = finding.get("path")
    threat.raw_path = finding.get("raw_path")
    threat.location = finding.get("location")
    threat.rule = finding.get("rule")
    threat.family = finding.get("family")
    threat.cve = finding.get("cve")
    threat.cvss = finding.get("cvss")
    threat.line = finding.get("line")
    threat.offset = finding.get("offset")
    threat.snippet = finding.get("snippet")
    threat.sha256 = finding.get("sha256")
    threat.details = finding.get("details")
    threat.last_seen_at = now
    session.flush()
    return threat


def find_threat(session: Session, server_id: str, key: str) -> Threat | None:
    """The server's threat with this fingerprint, if any."""
    return session.scalar(
        select(Threat).where(Threat.server_id == server_id, Threat.fingerprint == key)
    )


def resolve_missing(session: Session, scan: Scan) -> int:
    """Resolve active threats a complete scan of their scope no longer sees."""
    seen = select(ScanFinding.threat_id).where(ScanFinding.scan_id == scan.id)
    query = select(Threat).where(
        Threat.server_id == scan.server_id,
        Threat.type.in_(("malware", "integrity")),
        Threat.status.in_(ACTIVE_STATUSES),
        Threat.id.not_in(seen),
    )
    if scan.site_id is not None:
        query = query.where(Threat.site_id == scan.site_id)
    resolved = 0
    for threat in session.scalars(query):
        _change_status(session, threat, "resolved", "scan", f"gone in {scan.id}")
        resolved += 1
    return resolved


def set_status(
    session: Session,
    principal: Principal,
    threat_id: str,
    status: str,
    note: str | None,
) -> Threat:
    """Change a threat's status as a person asked."""
    threat = get_threat(session, principal, threat_id)
    status = STATUS_ALIASES.get(status, status)
    if status != threat.status:
        _change_status(session, threat, status, principal.user_id or "user", note)
    return threat


def bulk_set_status(
    session: Session,
    principal: Principal,
    threat_ids: list[str],
    status: str,
    note: str | None,
) -> tuple[list[Threat], list[dict[str, str]]]:
    """Change many threats at once; unknown ids are reported, not fatal."""
    updated: list[Threat] = []
    errors: list[dict[str, str]] = []
    for threat_id in dict.fromkeys(threat_ids):
        try:
            updated.append(set_status(session, principal, threat_id, status, note))
        except NotFoundError as error:
            errors.append({"id": threat_id, "error": error.message})
    return updated, errors


def change_status(
    session: Session, threat: Threat, status: str, actor: str, note: str | None
) -> None:
    """Move a threat to ``status`` and record it in its history."""
    if status != threat.status:
        _change_status(session, threat, status, actor, note)


def _change_status(
    session: Session, threat: Threat, status: str, actor: str, note: str | None
) -> None:
    _add_event(session, threat, threat.status, status, actor, note)
    threat.status = status


def _add_event(
    session: Session,
    threat: Threat,
    from_status: str | None,
    to_status: str,
    actor: str,
    note: str | None,
) -> None:
    session.add(
        ThreatEvent(
            threat_id=threat.id,
            from_status=from_status,
            to_status=to_status,
            actor=actor,
            note=note,
        )
    )


def get_threat(session: Session, principal: Principal, threat_id: str) -> Threat:
    """The caller's threat, or ``NotFoundError``."""
    return get_owned(session, principal, Threat, threat_id)


def list_threats(
    session: Session,
    principal: Principal,
    filters: dict[str, str | None],
    limit: int,
    cursor: str | None,
) -> tuple[list[Threat], str | None]:
    """A page of the caller's threats matching ``filters``."""
    query = owned_by(principal, Threat)
    for name in ("severity", "server_id", "site_id", "type"):
        value = filters.get(name)
        if value:
            query = query.where(getattr(Threat, name) == value)
    if filters.get("status"):
        status = str(filters["status"])
        query = query.where(Threat.status == STATUS_ALIASES.get(status, status))
    if filters.get("scan_id"):
        query = query.where(
            Threat.id.in_(
                select(ScanFinding.threat_id).where(
                    ScanFinding.scan_id == filters["scan_id"]
                )
            )
        )
    return paginate(session, query, Threat.first_seen_at, Threat.id, limit, cursor)


def history(session: Session, threat: Threat) -> list[dict[str, Any]]:
    """The threat's status changes, oldest first."""
    events = session.scalars(
        select(ThreatEvent)
        .where(ThreatEvent.threat_id == threat.id)
        .order_by(ThreatEvent.id)
    )
    return [
        {
            "from": event.from_status,
            "to": event.to_status,
            "actor": event.actor,
            "note": event.note,
            "at": event.at,
        }
        for event in events
    ]


def finding_to_dict(threat: Threat) -> dict[str, Any]:
    """The finding fields of the API contract, for a threat."""
    return {
        "threat_id": threat.id,
        "type": threat.type,
        "severity": threat.severity,
        "title": threat.title,
        "site_id": threat.site_id,
        "path": threat.path,
        "raw_path": threat.raw_path,
        "location": threat.location,
        "rule": threat.rule,
        "family": threat.family,
        "cve": threat.cve,
        "cvss": threat.cvss,
        "line": threat.line,
        "offset": threat.offset,
        "snippet": threat.snippet,
        "sha256": threat.sha256,
        "details": threat.details,
        "first_seen_at": threat.first_seen_at,
        "last_seen_at": threat.last_seen_at,
    }


def threat_to_dict(threat: Threat) -> dict[str, Any]:
    """The API form of a threat."""
    data = finding_to_dict(threat)
    data["id"] = data.pop("threat_id")
    data["server_id"] = threat.server_id
    data["status"] = threat.status
    data["last_scan_id"] = threat.last_scan_id
    return data
