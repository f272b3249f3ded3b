"""The site-level parts of a standalone scan: known vulnerabilities, databases."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cleanshift.cli.vulndb import detect_format
from cleanshift.dbscan.activation import fill_activations
from cleanshift.dbscan.deep import scan_site_databases
from cleanshift.services.vulnerabilities import parse_feed
from cleanshift.sites.discovery import discover_sites
from cleanshift.vulns import AdvisoryIndex
from cleanshift.vulns.report import inventory_for, match_findings


@dataclass
class SiteChecks:
    """Findings about sites rather than single files, and what could not run."""

    findings: list[dict[str, Any]] = field(default_factory=list)
    problems: list[dict[str, str]] = field(default_factory=list)


def load_index(vulndb: Path) -> AdvisoryIndex:
    """The advisories of a Wordfence v3 or OSV feed file."""
    try:
        document = json.loads(vulndb.read_bytes())
    except (OSError, ValueError) as error:
        raise RuntimeError(f"cannot read the feed {vulndb}: {error}") from error
    feed_format = detect_format(document)
    source = "wordfence" if feed_format == "wordfence-v3" else "osv"
    return AdvisoryIndex(parse_feed(feed_format, document, source))


def check_sites(
    root: Path, *, vulndb: AdvisoryIndex | None, databases: bool
) -> SiteChecks:
    """Vulnerabilities (with a feed) and database injections (deep) under ``root``.

    With a feed, each WordPress site's database is also asked which plugins
    and themes are active, and each vulnerability finding says so. Paths in
    the findings are relative to ``root``, like file findings.
    """
    checks = SiteChecks()
    sites = discover_sites([root], virtual_hosts=[])
    base = os.fspath(root)
    if vulndb is not None:
        for site in fill_activations(sites):
            inventory = inventory_for(
                site.cms, site.cms_version, site.plugins, site.themes
            )
            for finding in match_findings(vulndb, site.path, inventory):
                finding["path"] = os.path.relpath(finding["path"], base)
                finding["location"]["site_path"] = os.path.relpath(site.path, base)
                checks.findings.append(finding)
    if databases:
        sweep = scan_site_databases(sites)
        for finding in sweep.findings:
            finding["site_path"] = os.path.relpath(finding["site_path"], base)
            finding["path"] = None
            checks.findings.append(finding)
        for problem in sweep.errors:
            checks.problems.append(
                {**problem, "site_path": os.path.relpath(problem["site_path"], base)}
            )
    return checks
