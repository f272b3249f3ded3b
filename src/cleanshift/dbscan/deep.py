"""The database part of a deep scan: every CMS site's database, one by one."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cleanshift.dbscan.site import scan_site_database
from cleanshift.sites.discovery import Site

logger = logging.getLogger(__name__)

# Sites of these kinds keep no database of their own that we can read.
NO_DATABASE = frozenset({"php"})


@dataclass
class DatabaseSweep:
    """Findings and problems of the databases of several sites."""

    findings: list[dict[str, Any]] = field(default_factory=list)
    errors: list[dict[str, str]] = field(default_factory=list)
    rows_scanned: int = 0


def scan_site_databases(sites: Iterable[Site]) -> DatabaseSweep:
    """Scan each CMS site's database; a site that fails never stops the rest.

    Each finding is the database finding's JSON form plus ``site_path``, so
    that the control plane files it under its site.
    """
    sweep = DatabaseSweep()
    for site in sites:
        if site.cms in NO_DATABASE:
            continue
        report = scan_site_database(Path(site.path), site_url=site.url)
        sweep.rows_scanned += report.rows_scanned
        for finding in report.sorted_findings():
            sweep.findings.append({**finding.to_dict(), "site_path": site.path})
        for problem in report.errors:
            sweep.errors.append(
                {
                    "site_path": site.path,
                    "where": problem.where,
                    "message": problem.message,
                }
            )
        logger.info(
            "database of %s: %d finding(s), %d problem(s)",
            site.path,
            len(report.findings),
            len(report.errors),
        )
    return sweep
