"""Scanning a WordPress database: content, options, plugins, cron, admins.

Posts and options are matched against the database rules value by value;
``active_plugins``, ``cron``, ``siteurl``/``home`` and the administrator
accounts get structural checks in ``wordpress_options`` and here.
"""

from __future__ import annotations

import logging
from pathlib import Path

import yara_x

from cleanshift.dbscan.admins import AdminAccount, report_admins
from cleanshift.dbscan.connection import Connection, quote_identifier
from cleanshift.dbscan.context import ScanContext, TextColumn, TextTable, run_scan
from cleanshift.dbscan.errors import PhpSerializationError
from cleanshift.dbscan.findings import DatabaseScanReport
from cleanshift.dbscan.phpserial import loads
from cleanshift.dbscan.siteconfig import WORDPRESS
from cleanshift.dbscan.wordpress_options import (
    check_active_plugins,
    check_cron,
    check_site_urls,
)

logger = logging.getLogger(__name__)

# Transients are caches of remote content (feeds, API answers) that expire
# by themselves; matching them would flag other sites' pages. The cron
# option gets its own, finer check.
_OPTIONS_SKIPPED = (r"\_transient\_%", r"\_site\_transient\_%", "cron")


def scan_wordpress(
    connection: Connection,
    prefix: str = "wp_",
    *,
    rules: yara_x.Rules | None = None,
    batch_size: int = 500,
    site_url: str | None = None,
    plugins_dir: Path | None = None,
) -> DatabaseScanReport:
    """Scan a WordPress database on an open connection.

    ``site_url`` is the address the site is known by, checked against the
    ``siteurl`` and ``home`` options; ``plugins_dir`` is the site's plugin
    folder, used to check that active plugins exist. Without them those
    two comparisons are skipped.
    """
    return run_scan(
        connection,
        WORDPRESS,
        lambda context: run_wordpress_checks(
            context, prefix, site_url=site_url, plugins_dir=plugins_dir
        ),
        rules=rules,
        batch_size=batch_size,
    )


def run_wordpress_checks(
    context: ScanContext,
    prefix: str,
    *,
    site_url: str | None = None,
    plugins_dir: Path | None = None,
) -> None:
    """Every WordPress check, each a step of its own."""
    posts = f"{prefix}posts"
    options = f"{prefix}options"
    context.run(
        posts,
        lambda: context.scan_text_table(
            TextTable(
                posts,
                (
                    TextColumn("post_content", "content"),
                    TextColumn("post_title", "title"),
                ),
                name_column="post_name",
            )
        ),
    )
    context.run(
        options,
        lambda: context.scan_text_table(
            TextTable(
                options,
                (TextColumn("option_value", "option"),),
                name_column="option_name",
                where="option_name NOT LIKE %s AND option_name NOT LIKE %s "
                "AND option_name <> %s",
                params=_OPTIONS_SKIPPED,
            )
        ),
    )
    context.run(
        f"{options} siteurl/home", lambda: check_site_urls(context, options, site_url)
    )
    context.run(
        f"{options} active_plugins",
        lambda: check_active_plugins(context, options, plugins_dir),
    )
    context.run(f"{options} cron", lambda: check_cron(context, options))
    context.run(f"{prefix}users", lambda: check_wordpress_admins(context, prefix))


def check_wordpress_admins(context: ScanContext, prefix: str) -> None:
    """Flag administrators that look added behind the owners' backs."""
    users, usermeta, posts = (
        f"{prefix}{name}" for name in ("users", "usermeta", "posts")
    )
    context.require(users, usermeta)
    rows = context.query(
        "SELECT u.ID, u.user_login, u.user_email, "  # noqa: S608
        "CAST(u.user_registered AS CHAR), "
        f"m.meta_value FROM {quote_identifier(users)} u "
        f"JOIN {quote_identifier(usermeta)} m ON m.user_id = u.ID "
        "WHERE m.meta_key = %s AND m.meta_value LIKE %s",
        (f"{prefix}capabilities", "%administrator%"),
    )
    admins = [row for row in rows if _is_administrator(row[4])]
    counts = context.count_by_owner(
        posts,
        "post_author",
        [row[0] for row in admins],
        where="post_type NOT IN ('revision', 'auto-draft')",
    )

    accounts = [
        AdminAccount(
            key={"ID": user_id},
            login=str(login),
            email=str(email),
            registered=registered,
            post_count=counts.get(user_id, 0) if counts is not None else None,
        )
        for user_id, login, email, registered, _ in admins
    ]
    report_admins(
        context, users, accounts, rule="wp_suspicious_admin", login_column="user_login"
    )


def _is_administrator(capabilities: object) -> bool:
    # The LIKE in the query is only a filter; a role named
    # "not_administrator" must not count.
    try:
        parsed = loads(str(capabilities))
    except PhpSerializationError:
        return False
    return isinstance(parsed, dict) and bool(parsed.get("administrator"))
