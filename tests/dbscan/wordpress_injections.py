"""What attackers write into a WordPress database, and where each lands.

Each injection returns the ``Expected`` finding for it: the exact table,
column, key and (inside a serialised option) path, and the rules allowed
to report it (one value may match several rules of equal severity).
"""

# ruff: noqa: S608 - fixtures build SQL around fixed table names and
# prefixes; every value goes in as a parameter.

from __future__ import annotations

import datetime
import time
from dataclasses import dataclass
from typing import Any

from cleanshift.dbscan.findings import DatabaseFinding
from tests.dbscan.conftest import ScratchDatabase
from tests.dbscan.wordpress_payloads import (
    CRON_BASE64_HOOK,
    CRON_DEFLATED_ARG,
    CRON_PAYLOAD_ARG,
    POST_INJECTIONS,
    SKIMMER,
    b64,
)
from tests.dbscan.wordpress_schema import (
    cron_key,
    insert_option,
    insert_user,
    option_id,
    php_serialize,
)
from tests.dbscan.wordpress_site_options import (
    ACTIVE_PLUGINS,
    META_PIXEL,
    cron_option,
    widget_options,
)


@dataclass(frozen=True)
class Expected:
    """Where one injection must be reported, and by which rules."""

    table: str
    column: str
    key: tuple[tuple[str, object], ...]
    path: tuple[str, ...]
    rules: frozenset[str]


def place_of(
    finding: DatabaseFinding,
) -> tuple[str, str, tuple[tuple[str, Any], ...], tuple[str, ...]]:
    """A finding's location in the form ``Expected`` uses."""
    location = finding.location
    return (location.table, location.column, tuple(location.key.items()), location.path)


def inject_posts(database: ScratchDatabase, prefix: str) -> list[Expected]:
    """Append each post injection to its row; the rest of the row is untouched."""
    expected = []
    for post_id, column, payload, rules in POST_INJECTIONS:
        database.execute(
            f"UPDATE {prefix}posts SET {column} = CONCAT({column}, %s) WHERE ID = %s",
            (payload, post_id),
        )
        expected.append(
            Expected(f"{prefix}posts", column, (("ID", post_id),), (), rules)
        )
    return expected


def _set_option(
    database: ScratchDatabase, prefix: str, name: str, value: Any
) -> Expected:
    text = value if isinstance(value, str) else php_serialize(value)
    database.execute(
        f"UPDATE {prefix}options SET option_value = %s WHERE option_name = %s",
        (text, name),
    )
    return Expected(
        f"{prefix}options",
        "option_value",
        (("option_id", option_id(database, prefix, name)),),
        (),
        frozenset(),
    )


def inject_options(
    database: ScratchDatabase, prefix: str, with_missing_plugin: bool
) -> list[Expected]:
    """Injections in widgets, theme mods, siteurl, new options, plugins, cron."""
    table = f"{prefix}options"
    widgets = widget_options(
        text_suffix='<script type="text/javascript" '
        'src="https://45.133.1.20/static/w.js"></script>',
        footer_text="<script>if(document.referrer.match(/google\\.|bing\\.|yahoo\\./i))"
        "{window.location.href='https://best-pharma-deals.example/?ref=gt';}</script>",
    )
    expected = [
        _with_rules(
            _set_option(database, prefix, "widget_text", widgets["widget_text"]),
            "db_script_from_suspicious_host",
        ),
        _with_rules(
            _set_option(
                database,
                prefix,
                "theme_mods_twentytwentyone",
                widgets["theme_mods_twentytwentyone"],
            ),
            "db_cloaked_redirect",
        ),
        _with_rules(
            _set_option(database, prefix, "siteurl", "https://greenthumb-shop.top"),
            "wp_site_url_mismatch",
        ),
    ]
    expected.append(
        _with_rules(
            _set_option(database, prefix, "ihaf_insert_footer", META_PIXEL + SKIMMER),
            "db_js_payment_skimmer",
        )
    )

    new_options = {
        "wp_session_handler_cache": (
            f"<?php eval(gzinflate(base64_decode('{b64('x')}'))); ?>",
            "db_php_encoded_eval",
        ),
        "_wp_stats_data": (
            b64("<?php eval(gzinflate(base64_decode('7b0HYBxJ')));"),
            "db_base64_encoded_code",
        ),
    }
    for name, (value, rule) in new_options.items():
        insert_option(database, prefix, name, value, autoload="no")
        expected.append(
            Expected(
                table,
                "option_value",
                (("option_id", option_id(database, prefix, name)),),
                (),
                frozenset({rule}),
            )
        )

    extra_plugins = ["../../uploads/2024/05/cache.php", ".hidden/loader.php"]
    if with_missing_plugin:
        extra_plugins.append("ghost-plugin/ghost.php")
    plugins_id = option_id(database, prefix, "active_plugins")
    _set_option(database, prefix, "active_plugins", [*ACTIVE_PLUGINS, *extra_plugins])
    for index in range(len(extra_plugins)):
        expected.append(
            Expected(
                table,
                "option_value",
                (("option_id", plugins_id),),
                (str(len(ACTIVE_PLUGINS) + index),),
                frozenset({"wp_active_plugin_suspicious"}),
            )
        )

    expected.extend(_inject_cron(database, prefix))
    return expected


def _inject_cron(database: ScratchDatabase, prefix: str) -> list[Expected]:
    now = int(time.time())
    schedule = cron_option(now)
    events = [
        (now + 11, "wp_maintenance_cleanup", [CRON_PAYLOAD_ARG], "db_php_encoded_eval"),
        (now + 13, CRON_BASE64_HOOK, [], "db_base64_encoded_code"),
        (
            now + 17,
            "wp_update_cache_stats",
            [CRON_DEFLATED_ARG],
            "wp_cron_encoded_payload",
        ),
    ]
    for timestamp, hook, args, _ in events:
        schedule[timestamp] = {
            hook: {
                cron_key(args): {"schedule": "hourly", "args": args, "interval": 3600}
            }
        }
    _set_option(database, prefix, "cron", schedule)
    cron_id = option_id(database, prefix, "cron")
    return [
        Expected(
            f"{prefix}options",
            "option_value",
            (("option_id", cron_id),),
            (str(timestamp), hook),
            frozenset({rule}),
        )
        for timestamp, hook, _, rule in events
    ]


def _with_rules(expected: Expected, *rules: str) -> Expected:
    return Expected(
        expected.table, expected.column, expected.key, expected.path, frozenset(rules)
    )


def inject_admins(database: ScratchDatabase, prefix: str) -> list[Expected]:
    """Four administrators the owners did not create."""
    now = datetime.datetime.now()
    accounts: list[tuple[int, str, str, datetime.datetime | str]] = [
        (
            101,
            "wpsupport_8f3a1c",
            "wpsupport.8f3a1c@mailbox-helper.example",
            now - datetime.timedelta(days=3),
        ),
        (
            102,
            "adminbackup",
            "adminbackup@greenthumbdiaries.example",
            "0000-00-00 00:00:00",
        ),
        (
            103,
            "helper",
            "helper@greenthumbdiaries.example",
            datetime.datetime(2031, 1, 1, 3, 0),
        ),
        (104, "k7x2m9q4", "k7x2m9q4@gmail.example", now - datetime.timedelta(days=10)),
    ]
    for user_id, login, email, registered in accounts:
        insert_user(
            database, prefix, user_id, login, email, registered, "administrator"
        )
    return [
        Expected(
            f"{prefix}users",
            "user_login",
            (("ID", user_id),),
            (),
            frozenset({"wp_suspicious_admin"}),
        )
        for user_id, *_ in accounts
    ]


def inject_everything(
    database: ScratchDatabase, prefix: str = "wp_", *, with_missing_plugin: bool = True
) -> list[Expected]:
    """Every injection above; the expected findings, one per injection."""
    return [
        *inject_posts(database, prefix),
        *inject_options(database, prefix, with_missing_plugin),
        *inject_admins(database, prefix),
    ]
