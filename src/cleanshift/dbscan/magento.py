"""Scanning a Magento 2 database: CMS blocks and pages, design settings,
admin users.

``core_config_data`` holds the "HTML head" and footer settings that every
page, checkout included, prints: the classic place for a skimmer.
"""

from __future__ import annotations

import logging
from functools import partial

import yara_x

from cleanshift.dbscan.admins import AdminAccount, report_admins
from cleanshift.dbscan.connection import Connection, quote_identifier
from cleanshift.dbscan.context import ScanContext, TextColumn, TextTable, run_scan
from cleanshift.dbscan.findings import DatabaseScanReport
from cleanshift.dbscan.siteconfig import MAGENTO

logger = logging.getLogger(__name__)


def scan_magento(
    connection: Connection,
    prefix: str = "",
    *,
    rules: yara_x.Rules | None = None,
    batch_size: int = 500,
) -> DatabaseScanReport:
    """Scan a Magento 2 database on an open connection."""
    return run_scan(
        connection,
        MAGENTO,
        lambda context: run_magento_checks(context, prefix),
        rules=rules,
        batch_size=batch_size,
    )


def run_magento_checks(context: ScanContext, prefix: str) -> None:
    """Every Magento check, each a step of its own."""
    specs = (
        TextTable(
            f"{prefix}cms_block",
            (TextColumn("content", "content"), TextColumn("title", "title")),
            name_column="identifier",
        ),
        TextTable(
            f"{prefix}cms_page",
            (
                TextColumn("content", "content"),
                TextColumn("title", "title"),
                TextColumn("content_heading", "title"),
            ),
            name_column="identifier",
        ),
        TextTable(
            f"{prefix}core_config_data",
            (TextColumn("value", "config"),),
            name_column="path",
        ),
    )
    for spec in specs:
        context.run(spec.table, partial(context.scan_text_table, spec))
    context.run(f"{prefix}admin_user", lambda: check_magento_admins(context, prefix))


def check_magento_admins(context: ScanContext, prefix: str) -> None:
    """Flag admin users that look added behind the owners' backs.

    Every Magento admin user can reach the back office, so all are judged;
    Magento has no authored content to count.
    """
    table = f"{prefix}admin_user"
    context.require(table)
    rows = context.query(
        "SELECT user_id, username, email, CAST(created AS CHAR) "  # noqa: S608
        f"FROM {quote_identifier(table)}"
    )
    accounts = [
        AdminAccount(
            key={"user_id": user_id},
            login=str(username),
            email=str(email or ""),
            registered=created,
            post_count=None,
        )
        for user_id, username, email, created in rows
    ]
    report_admins(
        context,
        table,
        accounts,
        rule="magento_suspicious_admin",
        login_column="username",
    )
