"""Vulnerability matching: versions, feed parsing and inventory matching.

Parse advisories with :func:`load_wordfence_v3` or :func:`parse_osv`, index
them once with :class:`AdvisoryIndex`, then match site inventories with
:func:`match_inventory`. Versions follow PHP's ``version_compare`` (see
:mod:`cleanshift.vulns.versions` for the rules and the few departures).
No I/O beyond reading a feed file, no HTTP, no database.
"""

from .advisory import Advisory
from .cvss import Severity, cvss3_base_score, severity_from_score
from .feeds import load_osv, load_wordfence_v3, parse_osv, parse_wordfence_v3
from .matching import (
    AdvisoryIndex,
    Component,
    Inventory,
    MatchReport,
    Unmatchable,
    VulnerabilityMatch,
    match_inventory,
)
from .versions import (
    Version,
    VersionError,
    VersionRange,
    canonicalize,
    parse_version,
    version_compare,
)

__all__ = [
    "Advisory",
    "AdvisoryIndex",
    "Component",
    "Inventory",
    "MatchReport",
    "Severity",
    "Unmatchable",
    "Version",
    "VersionError",
    "VersionRange",
    "VulnerabilityMatch",
    "canonicalize",
    "cvss3_base_score",
    "load_osv",
    "load_wordfence_v3",
    "match_inventory",
    "parse_osv",
    "parse_version",
    "parse_wordfence_v3",
    "severity_from_score",
    "version_compare",
]
