"""Scanning a Drupal 8+ database: node and block bodies, administrators.

Field values live in ``node__body`` and ``block_content__body``, keyed by
entity, language and delta; titles live in the ``*_field_data`` tables and
are fetched only to name a finding.
"""

from __future__ import annotations

import datetime
import logging
from functools import partial

import yara_x

from cleanshift.dbscan.admins import AdminAccount, report_admins
from cleanshift.dbscan.connection import Connection, quote_identifier
from cleanshift.dbscan.context import ScanContext, TextColumn, TextTable, run_scan
from cleanshift.dbscan.findings import DatabaseScanReport
from cleanshift.dbscan.siteconfig import DRUPAL

logger = logging.getLogger(__name__)

ADMINISTRATOR_ROLE = "administrator"
# User 1 is Drupal's superuser whatever roles it has.
SUPERUSER_ID = 1
_BODY_COLUMNS = (
    TextColumn("body_value", "content"),
    TextColumn("body_summary", "content"),
)


def scan_drupal(
    connection: Connection,
    prefix: str = "",
    *,
    rules: yara_x.Rules | None = None,
    batch_size: int = 500,
) -> DatabaseScanReport:
    """Scan a Drupal 8 or later database on an open connection."""
    return run_scan(
        connection,
        DRUPAL,
        lambda context: run_drupal_checks(context, prefix),
        rules=rules,
        batch_size=batch_size,
    )


def run_drupal_checks(context: ScanContext, prefix: str) -> None:
    """Every Drupal check, each a step of its own."""
    bodies = (
        ("node__body", "node_field_data", "title", "nid"),
        ("block_content__body", "block_content_field_data", "info", "id"),
    )
    for table, data_table, title, id_column in bodies:
        spec = TextTable(
            f"{prefix}{table}",
            _BODY_COLUMNS,
            name_query=(
                f"SELECT {quote_identifier(title)} "  # noqa: S608
                f"FROM {quote_identifier(prefix + data_table)} "
                f"WHERE {quote_identifier(id_column)} = %s "
                "ORDER BY default_langcode DESC"
            ),
            name_key="entity_id",
        )
        context.run(spec.table, partial(context.scan_text_table, spec))
    context.run(
        f"{prefix}users_field_data", lambda: check_drupal_admins(context, prefix)
    )


def check_drupal_admins(context: ScanContext, prefix: str) -> None:
    """Flag administrators that look added behind the owners' backs."""
    users = f"{prefix}users_field_data"
    roles = f"{prefix}user__roles"
    context.require(users, roles)
    rows = context.query(
        f"SELECT uid, name, mail, created FROM {quote_identifier(users)} "  # noqa: S608
        "WHERE default_langcode = 1 AND (uid = %s OR uid IN "
        f"(SELECT entity_id FROM {quote_identifier(roles)} "
        "WHERE roles_target_id = %s))",
        (SUPERUSER_ID, ADMINISTRATOR_ROLE),
    )
    counts = context.count_by_owner(
        f"{prefix}node_field_data",
        "uid",
        [row[0] for row in rows],
        "default_langcode = 1",
    )
    accounts = [
        AdminAccount(
            key={"uid": uid},
            login=str(name or ""),
            email=str(mail or ""),
            registered=_from_timestamp(created),
            post_count=counts.get(uid, 0) if counts is not None else None,
        )
        for uid, name, mail, created in rows
    ]
    report_admins(
        context, users, accounts, rule="drupal_suspicious_admin", login_column="name"
    )


def _from_timestamp(value: object) -> datetime.datetime | str | None:
    # Drupal stores Unix time; 0 or a negative value is no date at all.
    if isinstance(value, int) and value > 0:
        return datetime.datetime.fromtimestamp(value)
    return None if value is None else str(value)
