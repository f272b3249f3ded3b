"""Vulnerability matches as findings, the form scans and the API report."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from typing import Any

from .matching import AdvisoryIndex, Component, Inventory, VulnerabilityMatch

logger = logging.getLogger(__name__)

# Where WordPress keeps each kind of software, relative to the site.
_FOLDERS = {"plugin": "wp-content/plugins", "theme": "wp-content/themes"}


def inventory_for(
    cms: str,
    cms_version: str | None,
    plugins: Iterable[Mapping[str, object]] = (),
    themes: Iterable[Mapping[str, object]] = (),
) -> Inventory:
    """What a site runs, as the matcher understands it."""
    if cms == "wordpress":
        return Inventory.from_wordpress(cms_version, plugins, themes)
    if cms != "php" and cms_version:
        return Inventory((Component("core", cms, cms_version),))
    return Inventory(())


def match_findings(
    index: AdvisoryIndex, site_path: str, inventory: Inventory
) -> list[dict[str, Any]]:
    """One vulnerability finding per advisory that affects the inventory."""
    report = index.match(inventory)
    for problem in report.unmatchable:
        logger.info(
            "cannot match %s %s at %s: %s",
            problem.component.software_type,
            problem.component.slug,
            site_path,
            problem.reason,
        )
    return [vulnerability_finding(site_path, match) for match in report.matches]


def vulnerability_finding(site_path: str, match: VulnerabilityMatch) -> dict[str, Any]:
    """The finding form of a match: CVE, CVSS, versions, references, notices."""
    advisory = match.advisory
    folder = _FOLDERS.get(match.software_type)
    path = f"{site_path.rstrip('/')}/{folder}/{match.slug}" if folder else site_path
    patched = str(match.patched_version) if match.patched_version else None
    return {
        "type": "vulnerability",
        "severity": advisory.severity,
        "title": advisory.title,
        "rule": advisory.id,
        "cve": advisory.cve,
        "cvss": advisory.cvss_score,
        "path": path,
        "location": {
            "site_path": site_path,
            "software_type": match.software_type,
            "slug": match.slug,
        },
        "details": {
            "cvss_vector": advisory.cvss_vector,
            "installed_version": str(match.installed_version),
            # None when unknown: core, or a site whose database was not read.
            "active": match.active,
            "patched_version": patched,
            "no_known_fix": patched is None,
            "remediation": (
                f"Update {match.slug} to {patched} or later"
                if patched
                else "No known fix: disable or replace it"
            ),
            "references": list(advisory.references),
            "source": advisory.source,
            "copyrights": dict(advisory.copyrights),
        },
    }
