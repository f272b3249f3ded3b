"""Known vulnerabilities across the fleet: feeds, matching, exposure.

Feeds are stored whole in the database so that every API process loads the
same data. Each check-in's inventory is matched against them without any
scan, and importing a feed matches every site again, raising threats for new
exposures and resolving the ones that no longer apply.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import logging
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from cleanshift.db.models import (
    Scan,
    ScanFinding,
    Server,
    Site,
    Threat,
    VulnerabilityFeed,
)
from cleanshift.db.types import utc_now
from cleanshift.services.accounts import Principal
from cleanshift.services.errors import ValidationFailedError
from cleanshift.services.tenancy import owned_by
from cleanshift.services.threats import (
    ACTIVE_STATUSES,
    change_status,
    find_threat,
    fingerprint,
    upsert_threat,
)
from cleanshift.vulns import (
    Advisory,
    AdvisoryIndex,
    Inventory,
    parse_osv,
    parse_wordfence_v3,
)
from cleanshift.vulns.report import inventory_for, match_findings

logger = logging.getLogger(__name__)

FEED_FORMATS = ("wordfence-v3", "osv")
_index_cache: dict[str, AdvisoryIndex] = {}


def parse_feed(feed_format: str, data: object, source: str) -> list[Advisory]:
    """Advisories from a decoded feed document."""
    if feed_format == "wordfence-v3":
        return parse_wordfence_v3(data, source=source)
    if feed_format == "osv":
        return parse_osv(data, source=source)
    raise ValidationFailedError(
        f"Unknown feed format {feed_format!r}; use one of {', '.join(FEED_FORMATS)}"
    )


def import_feed(
    session: Session, source: str, feed_format: str, raw: bytes, origin: str | None
) -> tuple[VulnerabilityFeed, int]:
    """Store a feed under ``source`` (replacing it) and match every site again.

    Returns the feed and how many threats changed (raised, reopened or
    resolved).
    """
    try:
        document = json.loads(raw)
    except ValueError as error:
        raise ValidationFailedError(f"The feed is not JSON: {error}") from error
    advisories = parse_feed(feed_format, document, source)
    feed = session.get(VulnerabilityFeed, source) or VulnerabilityFeed(source=source)
    feed.format = feed_format
    feed.content = gzip.compress(raw)
    feed.sha256 = hashlib.sha256(raw).hexdigest()
    feed.record_count = len(advisories)
    feed.imported_at = utc_now()
    feed.origin = origin
    session.add(feed)
    session.flush()
    logger.info("imported %d advisories into feed %s", len(advisories), source)
    return feed, rematch_all(session)


def current_index(session: Session) -> tuple[AdvisoryIndex, str]:
    """The advisories of every stored feed, indexed once per feed version."""
    versions = session.execute(
        select(VulnerabilityFeed.source, VulnerabilityFeed.sha256).order_by(
            VulnerabilityFeed.source
        )
    ).all()
    digest = hashlib.sha256(repr(versions).encode()).hexdigest()[:32]
    if digest not in _index_cache:
        advisories: list[Advisory] = []
        for feed in session.scalars(select(VulnerabilityFeed)):
            document = json.loads(gzip.decompress(feed.content))
            advisories.extend(parse_feed(feed.format, document, feed.source))
        _index_cache.clear()
        _index_cache[digest] = AdvisoryIndex(advisories)
    return _index_cache[digest], digest


def site_inventory(site: Site) -> Inventory:
    """What a stored site runs, as the matcher understands it."""
    return inventory_for(
        site.cms,
        site.cms_version,
        site.inventory.get("plugins", []),
        site.inventory.get("themes", []),
    )


def refresh_site(
    session: Session, server: Server, site: Site, *, force: bool = False
) -> int:
    """Match one site's inventory; returns how many threats changed."""
    index, digest = current_index(session)
    inventory = site_inventory(site)
    state = hashlib.sha256(f"{digest}|{inventory!r}".encode()).hexdigest()
    if site.vulnerability_state == state and not force:
        return 0
    site.vulnerability_state = state

    changed = 0
    current = set()
    for finding in match_findings(index, site.path, inventory):
        before = find_threat(session, server.id, fingerprint(server.id, finding))
        status_before = before.status if before is not None else None
        threat = upsert_threat(
            session,
            server.account_id,
            server.id,
            site.id,
            finding,
            "vulnerability data",
        )
        current.add(threat.id)
        if status_before in (None, "resolved"):
            changed += 1

    stale = session.scalars(
        select(Threat).where(
            Threat.site_id == site.id,
            Threat.type == "vulnerability",
            Threat.status.in_(ACTIVE_STATUSES),
        )
    )
    for threat in stale:
        if threat.id not in current:
            change_status(session, threat, "resolved", "vulndb", "no longer affected")
            changed += 1
    return changed


def rematch_all(session: Session) -> int:
    """Match every site of every server against the current feeds."""
    changed = 0
    rows = session.execute(
        select(Site, Server).join(Server, Site.server_id == Server.id)
    )
    for site, server in rows:
        changed += refresh_site(session, server, site, force=True)
    logger.info("matched every site again; %d threat(s) changed", changed)
    return changed


def link_to_scan(session: Session, scan: Scan) -> None:
    """Count the scope's open vulnerabilities among a finished scan's findings."""
    query = select(Threat.id).where(
        Threat.server_id == scan.server_id,
        Threat.type == "vulnerability",
        Threat.status.in_(ACTIVE_STATUSES),
    )
    if scan.site_id is not None:
        query = query.where(Threat.site_id == scan.site_id)
    for threat_id in session.scalars(query):
        if session.get(ScanFinding, (scan.id, threat_id)) is None:
            session.add(ScanFinding(scan_id=scan.id, threat_id=threat_id))


def exposures(
    session: Session, principal: Principal, cve: str | None, slug: str | None
) -> list[dict[str, Any]]:
    """Which of the caller's sites an advisory affects now, by advisory."""
    query = owned_by(principal, Threat).where(
        Threat.type == "vulnerability", Threat.status.in_(ACTIVE_STATUSES)
    )
    if cve:
        query = query.where(Threat.cve == cve.strip().upper())
    by_advisory: dict[str, dict[str, Any]] = {}
    for threat in session.scalars(query.order_by(Threat.rule, Threat.id)):
        location = threat.location or {}
        if slug and location.get("slug", "").lower() != slug.strip().lower():
            continue
        details = threat.details or {}
        entry = by_advisory.setdefault(
            threat.rule or threat.id,
            {
                "advisory_id": threat.rule,
                "cve": threat.cve,
                "title": threat.title,
                "severity": threat.severity,
                "cvss": threat.cvss,
                "cvss_vector": details.get("cvss_vector"),
                "software_type": location.get("software_type"),
                "slug": location.get("slug"),
                "references": details.get("references", []),
                "copyrights": details.get("copyrights", {}),
                "exposures": [],
            },
        )
        entry["exposures"].append(
            {
                "threat_id": threat.id,
                "status": threat.status,
                "server_id": threat.server_id,
                "site_id": threat.site_id,
                "site_path": location.get("site_path"),
                "installed_version": details.get("installed_version"),
                "patched_version": details.get("patched_version"),
                "no_known_fix": details.get("no_known_fix", False),
            }
        )
    return list(by_advisory.values())


def feed_status(session: Session) -> list[dict[str, Any]]:
    """The stored feeds with the notices their data must be shown with."""
    index, _ = current_index(session)
    notices: dict[str, set[tuple[str, str]]] = {}
    for advisory in index.advisories():
        found = notices.setdefault(advisory.source, set())
        for holder, notice in advisory.copyrights.items():
            if isinstance(notice, dict) and notice.get("notice"):
                found.add((holder, str(notice["notice"])))
    return [
        {
            "source": feed.source,
            "format": feed.format,
            "records": feed.record_count,
            "sha256": feed.sha256,
            "imported_at": feed.imported_at,
            "origin": feed.origin,
            "notices": [
                {"holder": holder, "notice": text}
                for holder, text in sorted(notices.get(feed.source, set()))
            ],
        }
        for feed in session.scalars(
            select(VulnerabilityFeed).order_by(VulnerabilityFeed.source)
        )
    ]
