"""Scanning a site's database given only the site's folder.

The CMS and its credentials come from the site's own configuration, read
as text. The credentials go into one read-only connection and no further:
the report names the database, never the user, host or password.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from pathlib import Path

import yara_x

from cleanshift.dbscan.connection import close_quietly, connect_read_only
from cleanshift.dbscan.context import ScanContext, run_scan
from cleanshift.dbscan.drupal import run_drupal_checks
from cleanshift.dbscan.errors import CredentialsError, DatabaseAccessError
from cleanshift.dbscan.findings import DatabaseScanReport
from cleanshift.dbscan.joomla import run_joomla_checks
from cleanshift.dbscan.magento import run_magento_checks
from cleanshift.dbscan.siteconfig import (
    DRUPAL,
    JOOMLA,
    MAGENTO,
    WORDPRESS,
    read_site_config,
)
from cleanshift.dbscan.wordpress import run_wordpress_checks

logger = logging.getLogger(__name__)


def scan_site_database(
    site_path: Path,
    *,
    rules: yara_x.Rules | None = None,
    batch_size: int = 500,
    site_url: str | None = None,
) -> DatabaseScanReport:
    """Find the site's database from its configuration and scan it.

    Problems (no configuration, a wrong password, an unreachable server, a
    missing table) are entries in ``report.errors``; the scan goes on with
    whatever it can still read. ``site_url``, if given, is the address the
    site is known by; otherwise WordPress's ``WP_HOME`` is used if set.
    """
    started = time.monotonic()
    report = DatabaseScanReport(site=str(site_path))
    try:
        config = read_site_config(site_path)
    except CredentialsError as error:
        report.add_error("configuration", str(error))
        logger.warning("database scan of %s skipped: %s", site_path, error)
        return report
    report.cms = config.cms
    report.database = config.credentials.database

    try:
        connection = connect_read_only(config.credentials)
    except DatabaseAccessError as error:
        report.add_error("connection", str(error))
        logger.warning("cannot reach the database of %s: %s", site_path, error)
        report.duration = time.monotonic() - started
        return report

    checks: dict[str, Callable[[ScanContext], None]] = {
        WORDPRESS: lambda context: run_wordpress_checks(
            context,
            config.prefix,
            site_url=site_url or config.site_url,
            plugins_dir=config.plugins_dir,
        ),
        JOOMLA: lambda context: run_joomla_checks(context, config.prefix),
        DRUPAL: lambda context: run_drupal_checks(context, config.prefix),
        MAGENTO: lambda context: run_magento_checks(context, config.prefix),
    }
    try:
        run_scan(
            connection,
            config.cms,
            checks[config.cms],
            rules=rules,
            batch_size=batch_size,
            report=report,
        )
    finally:
        close_quietly(connection)
    report.duration = time.monotonic() - started
    return report
