"""What agents send (check-ins, acks, progress, findings, results) and get."""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from cleanshift.db.models import Command, Remediation, Scan, Server, Site
from cleanshift.db.types import utc_now
from cleanshift.ids import new_id
from cleanshift.services.commands import finish_command, pending_commands
from cleanshift.services.remediations import apply_remediation_result
from cleanshift.services.threats import record_finding, resolve_missing
from cleanshift.services.vulnerabilities import link_to_scan, refresh_site

logger = logging.getLogger(__name__)

FINAL_SCAN_STATES = ("completed", "failed", "cancelled")
# Weight of the newest measurement in the server's throughput average.
THROUGHPUT_WEIGHT = 0.5


def apply_checkin(
    session: Session, server: Server, report: dict[str, Any]
) -> list[Command]:
    """Record a check-in, apply its results, and return the commands to run."""
    server.last_checkin_at = utc_now()
    server.agent_version = report.get("agent_version") or server.agent_version
    server.hostname = report.get("hostname") or server.hostname
    server.os = report.get("os") or server.os
    if report.get("health") is not None:
        server.health = report["health"]
    if report.get("sites") is not None:
        for site in sync_sites(session, server, report["sites"]):
            refresh_site(session, server, site)
    for message in report.get("results") or []:
        apply_message(session, server, message)
    return pending_commands(session, server.id)


def sync_sites(
    session: Session, server: Server, sites: list[dict[str, Any]]
) -> list[Site]:
    """Upsert the sites the agent reported, keyed by their path."""
    known = {
        site.path: site
        for site in session.scalars(select(Site).where(Site.server_id == server.id))
    }
    now = utc_now()
    for report in sites:
        site = known.get(report["path"])
        if site is None:
            site = Site(
                id=new_id("site"),
                account_id=server.account_id,
                server_id=server.id,
                path=report["path"],
                first_seen_at=now,
            )
            session.add(site)
            known[site.path] = site
        site.url = report.get("url")
        site.cms = report.get("cms") or "php"
        site.cms_version = report.get("cms_version")
        site.size_bytes = report.get("size_bytes")
        site.file_count = report.get("file_count")
        site.inventory = {
            "plugins": report.get("plugins") or [],
            "themes": report.get("themes") or [],
        }
        site.last_seen_at = now
    session.flush()
    return [known[report["path"]] for report in sites]


def apply_message(session: Session, server: Server, message: dict[str, Any]) -> None:
    """Apply one agent message; a repeat of one already applied changes nothing."""
    kind = message.get("type")
    if kind == "ack":
        command = _own_command(session, server, message.get("command_id"))
        if command is not None and command.status in ("queued", "sent"):
            command.status = "acked"
        return

    scan = _own_scan(session, server, message.get("scan_id"))
    if kind == "progress" and scan is not None:
        _apply_progress(scan, message)
    elif kind == "finding" and scan is not None:
        if scan.status not in ("cancelled", "failed"):
            finding = message["finding"]
            site_id = _site_id(session, server, finding.get("site_path"))
            record_finding(session, scan, site_id, finding)
    elif kind == "result":
        _apply_result(session, server, scan, message)
    else:
        logger.warning("ignored %s message from server %s", kind, server.id)


def _apply_progress(scan: Scan, message: dict[str, Any]) -> None:
    if scan.status in FINAL_SCAN_STATES:
        return
    if scan.status == "queued":
        scan.status = "running"
        scan.started_at = utc_now()
    for field in ("files_total", "files_scanned", "bytes_scanned", "files_skipped"):
        value = message.get(field)
        if isinstance(value, int) and value >= getattr(scan, field):
            setattr(scan, field, value)


def _apply_result(
    session: Session, server: Server, scan: Scan | None, message: dict[str, Any]
) -> None:
    command = _own_command(session, server, message.get("command_id"))
    if command is not None:
        finish_command(command, message.get("status") == "completed")
    if message.get("remediation_id"):
        _apply_remediation(session, server, command, message)
        return
    if scan is None or scan.status in FINAL_SCAN_STATES:
        return

    summary = message.get("summary") or {}
    _apply_progress(scan, summary)
    scan.status = "completed" if message.get("status") == "completed" else "failed"
    scan.error = summary.get("error")
    scan.problems = summary.get("problems") or None
    scan.finished_at = utc_now()
    if scan.started_at is None:
        scan.started_at = scan.finished_at
    session.flush()

    if scan.status == "completed":
        _learn_throughput(server, summary)
        link_to_scan(session, scan)
        if scan.scan_mode in ("full", "deep"):
            resolve_missing(session, scan)
    logger.info("scan %s %s", scan.id, scan.status)


def _apply_remediation(
    session: Session,
    server: Server,
    command: Command | None,
    message: dict[str, Any],
) -> None:
    remediation = session.get(Remediation, message["remediation_id"])
    if remediation is None or remediation.server_id != server.id:
        return
    if remediation.status == "rolling-back":
        apply_remediation_result(session, remediation, "rollback", message)
    elif remediation.status == "queued":
        apply_remediation_result(session, remediation, "remediate", message)


def _learn_throughput(server: Server, summary: dict[str, Any]) -> None:
    duration = summary.get("duration")
    scanned = summary.get("bytes_scanned")
    if not isinstance(duration, int | float) or not isinstance(scanned, int):
        return
    if duration <= 0 or scanned <= 0:
        return
    measured = scanned / duration
    if server.bytes_per_second is None:
        server.bytes_per_second = measured
    else:
        server.bytes_per_second = (
            THROUGHPUT_WEIGHT * measured
            + (1 - THROUGHPUT_WEIGHT) * server.bytes_per_second
        )


def _own_command(session: Session, server: Server, command_id: Any) -> Command | None:
    if not isinstance(command_id, str):
        return None
    command = session.get(Command, command_id)
    if command is None or command.server_id != server.id:
        return None
    return command


def _own_scan(session: Session, server: Server, scan_id: Any) -> Scan | None:
    if not isinstance(scan_id, str):
        return None
    scan = session.get(Scan, scan_id)
    if scan is None or scan.server_id != server.id:
        return None
    return scan


def _site_id(session: Session, server: Server, site_path: Any) -> str | None:
    if not isinstance(site_path, str):
        return None
    return session.scalar(
        select(Site.id).where(Site.server_id == server.id, Site.path == site_path)
    )
