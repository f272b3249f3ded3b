"""Database scanning: what attackers hide in a site's database.

``scan_site_database(site_path)`` reads the site's database credentials
from its WordPress, Joomla, Drupal or Magento 2 configuration (as text,
never running it), connects read-only and reports injected scripts,
iframes and spam in content, suspicious options, plugins, cron events and
administrator accounts. ``scan_wordpress`` and its siblings do the same on
a connection the caller opened.

Every finding addresses one value (database, table, column, primary key)
so that a remediation can clean that value and nothing else.
"""

from __future__ import annotations

from cleanshift.dbscan.connection import connect_read_only
from cleanshift.dbscan.credentials import DatabaseCredentials
from cleanshift.dbscan.drupal import scan_drupal
from cleanshift.dbscan.errors import (
    CredentialsError,
    DatabaseAccessError,
    DbScanError,
    MissingTableError,
    PhpSerializationError,
)
from cleanshift.dbscan.findings import (
    DatabaseFinding,
    DatabaseLocation,
    DatabaseScanReport,
    ScanProblem,
)
from cleanshift.dbscan.joomla import scan_joomla
from cleanshift.dbscan.magento import scan_magento
from cleanshift.dbscan.matching import compile_database_rules, default_database_rules
from cleanshift.dbscan.site import scan_site_database
from cleanshift.dbscan.wordpress import scan_wordpress

__all__ = [
    "CredentialsError",
    "DatabaseAccessError",
    "DatabaseCredentials",
    "DatabaseFinding",
    "DatabaseLocation",
    "DatabaseScanReport",
    "DbScanError",
    "MissingTableError",
    "PhpSerializationError",
    "ScanProblem",
    "compile_database_rules",
    "connect_read_only",
    "default_database_rules",
    "scan_drupal",
    "scan_joomla",
    "scan_magento",
    "scan_site_database",
    "scan_wordpress",
]
