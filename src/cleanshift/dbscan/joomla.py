"""Scanning a Joomla database: articles, custom modules and Super Users.

Table names carry the site's prefix where Joomla writes ``#__``.
"""

from __future__ import annotations

import logging

import yara_x

from cleanshift.dbscan.admins import AdminAccount, report_admins
from cleanshift.dbscan.connection import Connection, quote_identifier
from cleanshift.dbscan.context import ScanContext, TextColumn, TextTable, run_scan
from cleanshift.dbscan.findings import DatabaseScanReport
from cleanshift.dbscan.siteconfig import JOOMLA

logger = logging.getLogger(__name__)

SUPER_USERS_GROUP = 8


def scan_joomla(
    connection: Connection,
    prefix: str,
    *,
    rules: yara_x.Rules | None = None,
    batch_size: int = 500,
) -> DatabaseScanReport:
    """Scan a Joomla database on an open connection."""
    return run_scan(
        connection,
        JOOMLA,
        lambda context: run_joomla_checks(context, prefix),
        rules=rules,
        batch_size=batch_size,
    )


def run_joomla_checks(context: ScanContext, prefix: str) -> None:
    """Every Joomla check, each a step of its own."""
    content = f"{prefix}content"
    modules = f"{prefix}modules"
    context.run(
        content,
        lambda: context.scan_text_table(
            TextTable(
                content,
                (
                    TextColumn("introtext", "content"),
                    TextColumn("fulltext", "content"),
                    TextColumn("title", "title"),
                ),
                name_column="alias",
            )
        ),
    )
    context.run(
        modules,
        lambda: context.scan_text_table(
            TextTable(
                modules,
                (TextColumn("content", "content"), TextColumn("title", "title")),
                name_column="title",
            )
        ),
    )
    context.run(f"{prefix}users", lambda: check_joomla_admins(context, prefix))


def check_joomla_admins(context: ScanContext, prefix: str) -> None:
    """Flag Super Users that look added behind the owners' backs."""
    users = f"{prefix}users"
    group_map = f"{prefix}user_usergroup_map"
    context.require(users, group_map)
    rows = context.query(
        "SELECT u.id, u.username, u.email, CAST(u.registerDate AS CHAR) "  # noqa: S608
        f"FROM {quote_identifier(users)} u "
        f"JOIN {quote_identifier(group_map)} m ON m.user_id = u.id "
        "WHERE m.group_id = %s",
        (SUPER_USERS_GROUP,),
    )
    counts = context.count_by_owner(
        f"{prefix}content", "created_by", [row[0] for row in rows]
    )
    accounts = [
        AdminAccount(
            key={"id": user_id},
            login=str(login),
            email=str(email),
            registered=registered,
            post_count=counts.get(user_id, 0) if counts is not None else None,
        )
        for user_id, login, email, registered in rows
    ]
    report_admins(
        context,
        users,
        accounts,
        rule="joomla_suspicious_admin",
        login_column="username",
    )
