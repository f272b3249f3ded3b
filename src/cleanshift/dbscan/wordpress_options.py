"""Structural checks on WordPress options: site URLs, plugins and cron.

These options hold PHP-serialised arrays or URLs, where a rule over the raw
text would either miss what matters (a plugin path outside the plugins
folder is ordinary text) or could not say which part is wrong.
"""

from __future__ import annotations

import logging
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit

from cleanshift.dbscan.connection import Connection, quote_identifier
from cleanshift.dbscan.context import ScanContext
from cleanshift.dbscan.errors import DbScanError, PhpSerializationError
from cleanshift.dbscan.findings import DatabaseFinding
from cleanshift.dbscan.matching import make_snippet, value_digest
from cleanshift.dbscan.payloads import describe_hook_name, describe_payload
from cleanshift.dbscan.phpserial import SerialValue, iter_strings, loads

logger = logging.getLogger(__name__)


def read_option(
    connection: Connection, table: str, name: str
) -> tuple[int, str] | None:
    """The id and value of the option ``name`` in ``table``, None when unset."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT option_id, option_value FROM {quote_identifier(table)} "  # noqa: S608
            "WHERE option_name = %s",
            (name,),
        )
        row = cursor.fetchone()
    return (row[0], str(row[1])) if row else None


def parse_option(name: str, value: str) -> SerialValue:
    """A PHP-serialised option value as plain data.

    Raises ``DbScanError`` naming the option when the value is malformed.
    """
    try:
        return loads(value)
    except PhpSerializationError as error:
        raise DbScanError(
            f"option {name} is not readable PHP serialisation: {error}"
        ) from error


def _read_option(context: ScanContext, table: str, name: str) -> tuple[int, str] | None:
    context.require(table)
    option = read_option(context.connection, table, name)
    if option is not None:
        context.report.rows_scanned += 1
    return option


def check_site_urls(context: ScanContext, table: str, site_url: str | None) -> None:
    """Flag ``siteurl``/``home`` pointing elsewhere than each other or the site."""
    options = {}
    for name in ("siteurl", "home"):
        option = _read_option(context, table, name)
        if option is not None:
            options[name] = option
    hosts = {name: _host(value) for name, (_, value) in options.items()}
    reference = _host(site_url) if site_url else None

    for name, (option_id, value) in options.items():
        host = hosts[name]
        other_name = "home" if name == "siteurl" else "siteurl"
        other = hosts.get(other_name)
        if host is None:
            continue
        if reference is not None and host != reference:
            why = f"the site is configured as {reference}"
        elif reference is None and other is not None and host != other:
            why = f"{other_name} points to {other}"
        else:
            continue
        context.add_finding(
            DatabaseFinding(
                rule="wp_site_url_mismatch",
                severity="high",
                family="redirect",
                title=f"The {name} option points to {host} while {why}: the "
                "site or its admin sends visitors to another host.",
                location=context.location(
                    table, "option_value", {"option_id": option_id}, name
                ),
                sha256=value_digest(value),
                snippet=make_snippet(value, 0, len(value)),
            )
        )


def _host(url: str) -> str | None:
    try:
        host = urlsplit(url.strip()).hostname
    except ValueError:
        return None
    if not host:
        return None
    # www. and the bare domain are one site; WordPress redirects between them.
    return host.lower().removeprefix("www.")


def check_active_plugins(
    context: ScanContext, table: str, plugins_dir: Path | None
) -> None:
    """Flag ``active_plugins`` entries that are not plugins in the plugins folder."""
    option = _read_option(context, table, "active_plugins")
    if option is None:
        return
    option_id, value = option
    plugins = parse_option("active_plugins", value)
    if not isinstance(plugins, dict):
        raise DbScanError("option active_plugins is not an array")

    for index, entry in plugins.items():
        problem = _plugin_problem(entry, plugins_dir)
        if problem is None:
            continue
        severity, reason = problem
        context.add_finding(
            DatabaseFinding(
                rule="wp_active_plugin_suspicious",
                severity=severity,
                family="backdoor",
                title=f"Active plugin entry {entry!r} {reason}.",
                location=context.location(
                    table,
                    "option_value",
                    {"option_id": option_id},
                    "active_plugins",
                    (str(index),),
                ),
                sha256=value_digest(value),
                snippet=make_snippet(str(entry), 0, 0),
            )
        )


def _plugin_problem(
    entry: SerialValue, plugins_dir: Path | None
) -> tuple[str, str] | None:
    if not isinstance(entry, str) or not entry:
        return "high", "is not a plugin file name"
    if any(ord(char) < 32 for char in entry):
        return "high", "contains control characters"
    path = PurePosixPath(entry.replace("\\", "/"))
    if (
        path.is_absolute()
        or ".." in path.parts
        or "://" in entry
        or ":" in path.parts[0]
    ):
        return "critical", "points outside wp-content/plugins"
    if any(part.startswith(".") for part in path.parts):
        return "high", "has a hidden (dot) name"
    if path.suffix.lower() != ".php":
        return "medium", "is not a PHP file, which WordPress cannot load as a plugin"
    if len(path.parts) > 2:
        return "medium", "is nested deeper than a plugin folder"
    if plugins_dir is not None and not (plugins_dir / path).is_file():
        folder = path.parts[0] if len(path.parts) == 2 else path.name
        return "medium", f"names {folder}, which is not in the plugins folder"
    return None


def check_cron(context: ScanContext, table: str) -> None:
    """Flag cron events whose hook name or arguments carry code."""
    option = _read_option(context, table, "cron")
    if option is None:
        return
    option_id, value = option
    schedule = parse_option("cron", value)
    if not isinstance(schedule, dict):
        raise DbScanError("option cron is not an array")

    for timestamp, hooks in schedule.items():
        if not isinstance(hooks, dict):
            continue
        for hook, events in hooks.items():
            verdict = _judge_hook(context, str(hook), events)
            if verdict is None:
                continue
            rule, reason, evidence = verdict
            context.add_finding(
                DatabaseFinding(
                    rule=rule,
                    severity="critical",
                    family="backdoor",
                    title=f"Cron event {_short(str(hook))!r} carries code: {reason}.",
                    location=context.location(
                        table,
                        "option_value",
                        {"option_id": option_id},
                        "cron",
                        (str(timestamp), str(hook)),
                    ),
                    sha256=value_digest(value),
                    snippet=make_snippet(evidence, 0, 0),
                )
            )


def _judge_hook(
    context: ScanContext, hook: str, events: SerialValue
) -> tuple[str, str, str] | None:
    texts = [hook, *iter_strings(events)]
    for text in texts:
        match = context.scanner.scan(text, "cron")
        if match is not None:
            return match.rule.name, match.rule.description.rstrip("."), text
    reason = describe_hook_name(hook)
    if reason is not None:
        return "wp_cron_encoded_payload", reason, hook
    for text in texts:
        reason = describe_payload(text)
        if reason is not None:
            return "wp_cron_encoded_payload", reason, text
    return None


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[:limit] + "..."
