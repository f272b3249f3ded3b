"""``cleanshift vulndb``: vulnerability data for the control plane."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import typer
from rich.console import Console
from rich.table import Table

from cleanshift.db.session import (
    create_db_engine,
    make_session_factory,
    migrate,
    session_scope,
)
from cleanshift.services.vulnerabilities import feed_status, import_feed
from cleanshift.settings import get_settings

app = typer.Typer(
    help="Import and inspect vulnerability feeds (Wordfence v3, OSV).",
    no_args_is_help=True,
)

WORDFENCE_FEED_URL = (
    "https://www.wordfence.com/api/intelligence/v3/vulnerabilities/production"
)
DOWNLOAD_TIMEOUT = 300.0


def detect_format(document: object) -> str:
    """``wordfence-v3`` for a UUID-keyed object of records, else ``osv``."""
    if isinstance(document, dict) and document:
        first = next(iter(document.values()))
        if isinstance(first, dict) and "software" in first:
            return "wordfence-v3"
    return "osv"


def read_source(location: str, api_key: str | None = None) -> bytes:
    """The bytes of a feed from a file path or an http(s) URL."""
    if location.startswith(("http://", "https://")):
        headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        try:
            response = httpx.get(
                location,
                headers=headers,
                timeout=DOWNLOAD_TIMEOUT,
                follow_redirects=True,
            )
            response.raise_for_status()
        except httpx.HTTPError as error:
            raise RuntimeError(
                f"could not download {location}: {error}; download the feed "
                "where the network allows and run: cleanshift vulndb import FILE"
            ) from error
        return response.content
    path = Path(location)
    if not path.is_file():
        raise RuntimeError(f"no feed file at {location}")
    return path.read_bytes()


def _import(
    location: str, feed_format: str, source: str | None, api_key: str | None
) -> None:
    raw = read_source(location, api_key)
    try:
        document = json.loads(raw)
    except ValueError as error:
        raise RuntimeError(f"{location} is not a JSON feed: {error}") from error
    chosen = detect_format(document) if feed_format == "auto" else feed_format
    name = source or ("wordfence" if chosen == "wordfence-v3" else "osv")

    settings = get_settings()
    engine = create_db_engine(settings.resolved_database_url())
    migrate(engine)
    with session_scope(make_session_factory(engine)) as session:
        feed, changed = import_feed(session, name, chosen, raw, location)
        records = feed.record_count
    engine.dispose()
    Console().print(
        f"Imported {records} advisories as feed [bold]{name}[/] ({chosen}); "
        f"{changed} threat(s) raised, reopened or resolved across the fleet."
    )


@app.command("import")
def import_command(
    location: str = typer.Argument(..., help="A feed file or an http(s) URL."),
    feed_format: str = typer.Option(
        "auto", "--format", help="wordfence-v3, osv, or auto to tell by content."
    ),
    source: str | None = typer.Option(
        None, help="Name to store it under; a later import of the name replaces it."
    ),
) -> None:
    """Import a feed into the control plane's database and match every site."""
    _import(location, feed_format, source, None)


@app.command("update")
def update_command(
    url: str = typer.Option(WORDFENCE_FEED_URL, help="The feed to download."),
    api_key: str | None = typer.Option(
        None,
        envvar="CLEANSHIFT_WORDFENCE_API_KEY",
        help="Wordfence Intelligence API key, if the feed asks for one.",
    ),
) -> None:
    """Download the public Wordfence feed and import it."""
    _import(url, "wordfence-v3", "wordfence", api_key)


@app.command("status")
def status_command(
    output_format: str = typer.Option("table", "--format", help="table or json."),
) -> None:
    """The feeds in use, their size and the notices to show with their data."""
    settings = get_settings()
    engine = create_db_engine(settings.resolved_database_url())
    migrate(engine)
    with session_scope(make_session_factory(engine)) as session:
        feeds = feed_status(session)
    engine.dispose()
    if output_format == "json":
        print(json.dumps(feeds, indent=2, default=str))
        return
    console = Console()
    if not feeds:
        console.print(
            "No vulnerability feed imported; run: cleanshift vulndb import FILE"
        )
        return
    table = Table(title="Vulnerability feeds")
    for column in ("Source", "Format", "Records", "Imported"):
        table.add_column(column)
    for feed in feeds:
        table.add_row(
            feed["source"],
            feed["format"],
            str(feed["records"]),
            str(feed["imported_at"]),
        )
    console.print(table)
    for feed in feeds:
        for notice in feed["notices"]:
            console.print(f"[dim]{feed['source']}: {notice['notice']}[/dim]")
