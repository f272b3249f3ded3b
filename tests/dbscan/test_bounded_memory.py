"""A million-row posts table is scanned in bounded memory.

The table holds about 250 MB of post content; the scan runs in a child
process so that its peak resident memory is its own, and must stay under
100 MB, interpreter and rules included. The peak is read from VmHWM: Linux
carries ru_maxrss across exec, so that would count pytest's memory too.
"""

# ruff: noqa: S608 - fixtures build SQL around fixed table names and
# prefixes; every value goes in as a parameter.

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

from tests.dbscan.conftest import ScratchDatabase
from tests.dbscan.wordpress_schema import create_wordpress_tables

ROWS = 1_000_000
PEAK_LIMIT_MB = 100
INJECTED = {
    123_457: '<script src="https://cdn-jquery.top/jquery.min.js"></script>',
    654_321: '<iframe src="http://203.0.113.9/x" width="1" height="1"></iframe>',
    999_999: "<script>eval(atob('ZG9jdW1lbnQud3JpdGUoMSk='))</script>",
}

PROBE = textwrap.dedent(
    """
    import json, sys
    from cleanshift.dbscan import DatabaseCredentials, connect_read_only, scan_wordpress

    database, host, port, user, password = sys.argv[1:6]
    credentials = DatabaseCredentials(database, user, password, host, int(port))
    connection = connect_read_only(credentials)
    report = scan_wordpress(connection, "wp_")
    with open("/proc/self/status") as status:
        peaks = [line.split()[1] for line in status if line.startswith("VmHWM:")]
    peak_kb = int(peaks[0])
    print(json.dumps({
        "rows": report.rows_scanned,
        "ids": sorted(finding.location.key["ID"] for finding in report.findings),
        "peak_mb": peak_kb / 1024,
    }))
    """
)


def fill_posts(database: ScratchDatabase, rows: int) -> None:
    """``rows`` ordinary posts, made by the server from a number sequence."""
    database.execute(
        "INSERT INTO wp_posts (ID, post_author, post_date, post_date_gmt, "
        "post_content, post_title, post_excerpt, post_name, to_ping, pinged, "
        "post_modified, post_modified_gmt, post_content_filtered, guid) "
        "SELECT seq, 1 + MOD(seq, 3), NOW(), NOW(), CONCAT(%s, seq, %s), "
        "CONCAT('Diary: week ', seq), '', CONCAT('week-', seq), '', '', NOW(), NOW(), "
        f"'', CONCAT('https://greenthumb.example/?p=', seq) FROM seq_1_to_{rows}",
        (
            "<!-- wp:paragraph --><p>Week ",
            ' on the plot: the tomatoes are ripening and the <a href="https://'
            'greenthumb.example/tag/compost/">compost</a> is warm. Water early, '
            "mulch well, and pinch out the side shoots.</p><!-- /wp:paragraph -->",
        ),
    )


def test_a_million_rows_in_bounded_memory(test_database: ScratchDatabase) -> None:
    create_wordpress_tables(test_database, tables=["posts"])
    fill_posts(test_database, ROWS)
    for post_id, payload in INJECTED.items():
        test_database.execute(
            "UPDATE wp_posts SET post_content = CONCAT(post_content, %s) WHERE ID = %s",
            (payload, post_id),
        )
    credentials = test_database.credentials

    probe = subprocess.run(
        [
            sys.executable,
            "-c",
            PROBE,
            credentials.database,
            credentials.host,
            str(credentials.port),
            credentials.user,
            credentials.password,
        ],
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )

    result = json.loads(probe.stdout)
    assert result["rows"] == ROWS
    assert result["ids"] == sorted(INJECTED)
    assert result["peak_mb"] < PEAK_LIMIT_MB, result
