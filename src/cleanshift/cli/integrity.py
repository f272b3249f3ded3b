"""``cleanshift integrity``: record pristine releases as known-good manifests."""

from __future__ import annotations

import os
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from cleanshift.engine.knowngood import (
    KnownGoodError,
    build_manifest,
    check_label,
    default_store_dir,
    load_store,
    manifest_path,
    write_manifest,
)
from cleanshift.sites.discovery import wordpress_version

EXIT_USAGE = 2

app = typer.Typer(
    help="Known-good releases: files whose hash matches one are never reported.",
    no_args_is_help=True,
)

STORE_HELP = (
    "Known-good manifests folder; default: $XDG_DATA_HOME/cleanshift/known-good."
)


@app.command("build")
def build_command(
    tree: Path = typer.Argument(..., help="The unpacked, pristine release."),
    name: str | None = typer.Option(
        None, help="Release name, e.g. wordpress; found for WordPress core."
    ),
    version: str | None = typer.Option(
        None, help="Release version, e.g. 6.1.9; found for WordPress core."
    ),
    output: Path | None = typer.Option(
        None, help="Write the manifest here instead of into the store."
    ),
    store: Path | None = typer.Option(None, help=STORE_HELP),
) -> None:
    """Record the sha256 of every file of a release you trust.

    Build from the release archive, never from a live site: whatever the
    manifest lists is never reported as malware.
    """
    errors = Console(stderr=True)
    if not tree.is_dir():
        errors.print(f"[red]error:[/red] not a folder: {tree}", highlight=False)
        raise typer.Exit(EXIT_USAGE)
    name, version = _release_of(tree, name, version)
    if name is None or version is None:
        errors.print(
            "[red]error:[/red] cannot tell which release this is; "
            "give --name and --version",
            highlight=False,
        )
        raise typer.Exit(EXIT_USAGE)
    try:
        check_label("name", name)
        check_label("version", version)
    except KnownGoodError as error:
        errors.print(f"[red]error:[/red] {error}", highlight=False)
        raise typer.Exit(EXIT_USAGE) from error

    manifest = build_manifest(os.fsencode(tree), name, version)
    target = output or manifest_path(store or default_store_dir(), manifest)
    write_manifest(manifest, target)
    print(f"recorded {len(manifest.files)} files of {manifest.label} in {target}")


@app.command("list")
def list_command(store: Path | None = typer.Option(None, help=STORE_HELP)) -> None:
    """List the releases in the known-good store."""
    folder = store or default_store_dir()
    known_good = load_store(folder)
    if not known_good.releases:
        print(f"no known-good releases in {folder}")
        return
    table = Table(title=f"Known-good releases in {folder}")
    for column in ("Name", "Version", "Files"):
        table.add_column(column)
    for (release_name, release_version), manifest in sorted(
        known_good.releases.items()
    ):
        table.add_row(release_name, release_version, str(len(manifest.files)))
    Console().print(table)


def _release_of(
    tree: Path, name: str | None, version: str | None
) -> tuple[str | None, str | None]:
    if name in (None, "wordpress") and version is None:
        found = wordpress_version(os.fsencode(tree))
        if found is not None:
            return "wordpress", found
    return name, version
