"""``cleanshift scan``: scan folders on this machine, no server needed."""

from __future__ import annotations

import json
import logging
import os
import sqlite3
from enum import StrEnum
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeRemainingColumn,
)
from rich.table import Table

from cleanshift.cli.sitechecks import check_sites, load_index
from cleanshift.engine.cache import CACHE_FILE_NAME, ScanCache, default_cache_dir
from cleanshift.engine.exports import reports_to_csv, reports_to_sarif
from cleanshift.engine.findings import ScanReport
from cleanshift.engine.knowngood import KnownGood, default_store_dir, load_store
from cleanshift.engine.modes import ScanMode
from cleanshift.engine.scanner import FileScanner

logger = logging.getLogger(__name__)

EXIT_THREATS = 1
EXIT_USAGE = 2


class OutputFormat(StrEnum):
    """How results are printed."""

    table = "table"
    json = "json"
    csv = "csv"
    sarif = "sarif"


def scan_command(
    paths: list[Path] = typer.Argument(..., help="Files or folders to scan."),
    mode: ScanMode = typer.Option(
        ScanMode.full,
        help="quick: read changed files and upload, config and top-level files, "
        "re-report cached results of the rest; full: read everything; deep: full "
        "plus known-good integrity and PHP-in-uploads checks.",
    ),
    output_format: OutputFormat = typer.Option(
        OutputFormat.table,
        "--format",
        help="table for people; json, csv or sarif (2.1.0) for programs.",
    ),
    use_cache: bool = typer.Option(
        True,
        "--cache/--no-cache",
        help="Keep results in $XDG_CACHE_HOME/cleanshift for quick scans.",
    ),
    store: Path | None = typer.Option(
        None,
        help="Known-good manifests folder; default: "
        "$XDG_DATA_HOME/cleanshift/known-good.",
    ),
    workers: int | None = typer.Option(
        None, help="Worker processes; default: one per core."
    ),
    follow_symlinks: bool = typer.Option(
        False, help="Follow symlinks (never into a folder already walked)."
    ),
    vulndb: Path | None = typer.Option(
        None,
        help="A Wordfence v3 or OSV feed file: also report known vulnerabilities "
        "of the sites found (WordPress core, plugins, themes; other CMS cores).",
    ),
) -> None:
    """Scan files for malware. Exit 0 when clean, 1 when threats were found."""
    missing = [str(path) for path in paths if not os.path.lexists(path)]
    if missing:
        Console(stderr=True).print(
            f"[red]error:[/red] no such file or folder: {', '.join(missing)}",
            highlight=False,
        )
        raise typer.Exit(EXIT_USAGE)
    index = load_index(vulndb) if vulndb else None

    known_good = load_store(store or default_store_dir())
    cache = _open_cache() if use_cache else None
    reports = []
    try:
        with FileScanner(workers=workers, follow_symlinks=follow_symlinks) as scanner:
            for path in paths:
                reports.append(
                    _scan_with_progress(scanner, path, mode, cache, known_good)
                )
    finally:
        if cache is not None:
            cache.close()
    # Deep scans also read each CMS site's database, through its own config.
    site_checks = [
        check_sites(path, vulndb=index, databases=mode is ScanMode.deep)
        for path in paths
    ]
    extra = [
        {**finding, "root": os.fspath(path)}
        for path, checks in zip(paths, site_checks, strict=True)
        for finding in checks.findings
    ]
    problems = [problem for checks in site_checks for problem in checks.problems]

    if output_format is OutputFormat.json:
        document = _json_document(reports, mode)
        document["findings"] += extra
        document["problems"] = problems
        print(json.dumps(document, indent=2))
    elif output_format is OutputFormat.csv:
        print(reports_to_csv(reports), end="")
    elif output_format is OutputFormat.sarif:
        print(json.dumps(reports_to_sarif(reports), indent=2))
    else:
        _print_table(reports, extra, problems)
    if extra or any(report.findings for report in reports):
        raise typer.Exit(EXIT_THREATS)


def _open_cache() -> ScanCache | None:
    path = default_cache_dir() / CACHE_FILE_NAME
    try:
        return ScanCache.open(path)
    except (OSError, sqlite3.Error) as error:
        logger.warning("cannot open the scan cache %s (%s); not using it", path, error)
        return None


def _scan_with_progress(
    scanner: FileScanner,
    path: Path,
    mode: ScanMode,
    cache: ScanCache | None,
    known_good: KnownGood,
) -> ScanReport:
    console = Console(stderr=True)
    with Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=console,
        transient=True,
        disable=not console.is_terminal,
    ) as progress:
        task = progress.add_task(f"Scanning {path}", total=None)

        def on_progress(scanned: int, _bytes: int, total: int) -> None:
            progress.update(task, completed=scanned, total=total)

        return scanner.scan_tree(
            os.fsencode(path),
            mode=mode,
            cache=cache,
            known_good=known_good,
            progress=on_progress,
        )


def _json_document(reports: list[ScanReport], mode: ScanMode) -> dict[str, Any]:
    findings = []
    skipped = []
    for report in reports:
        data = report.to_dict()
        for item in data["findings"]:
            findings.append({**item, "root": data["root"]})
        for item in data["skipped"]:
            skipped.append({**item, "root": data["root"]})
    return {
        "mode": mode.value,
        "roots": [report.to_dict()["root"] for report in reports],
        "files_total": sum(report.files_total for report in reports),
        "files_scanned": sum(report.files_scanned for report in reports),
        "files_cached": sum(report.files_cached for report in reports),
        "files_known_good": sum(report.files_known_good for report in reports),
        "files_skipped": len(skipped),
        "bytes_scanned": sum(report.bytes_scanned for report in reports),
        "duration": round(sum(report.duration for report in reports), 3),
        "findings": findings,
        "skipped": skipped,
    }


def _print_table(
    reports: list[ScanReport],
    extra: list[dict[str, Any]],
    problems: list[dict[str, str]],
) -> None:
    console = Console()
    findings = [
        (report, finding) for report in reports for finding in report.sorted_findings()
    ]
    if findings or extra:
        table = Table(title="Threats found", show_lines=False)
        for column in ("Severity", "Path", "Rule", "Line", "Type"):
            table.add_column(column, overflow="fold")
        for report, finding in findings:
            item = finding.to_dict()
            location = item["path"]
            if len(reports) > 1:
                location = os.path.join(os.fsdecode(report.root), location)
            table.add_row(
                _styled_severity(finding.severity),
                location,
                finding.rule,
                str(finding.line or ""),
                finding.family,
            )
        for item in extra:
            where = item.get("path") or _describe_location(item.get("location") or {})
            table.add_row(
                _styled_severity(item["severity"]),
                where,
                item.get("cve") or item["rule"],
                "",
                item["type"],
            )
        console.print(table)
    for problem in problems:
        console.print(
            f"[yellow]could not check[/yellow] {problem['site_path']} "
            f"({problem['where']}): {problem['message']}",
            highlight=False,
        )

    scanned = sum(report.files_scanned for report in reports)
    cached = sum(report.files_cached for report in reports)
    skipped = sum(len(report.skipped) for report in reports)
    seconds = sum(report.duration for report in reports)
    count = len(findings) + len(extra)
    verdict = (
        f"[red bold]{count} threat(s)[/red bold]"
        if count
        else "[green bold]no threats[/green bold]"
    )
    unchanged = f", {cached} unchanged (cached)" if cached else ""
    console.print(
        f"{verdict} in {scanned} file(s) scanned{unchanged}, {skipped} skipped, "
        f"{seconds:.1f}s"
    )
    if skipped:
        console.print(
            "Skipped files (links, special files, unreadable or oversize) are "
            "listed with --format json.",
            style="dim",
        )


def _describe_location(location: dict[str, Any]) -> str:
    key = ", ".join(
        f"{name}={value}" for name, value in (location.get("key") or {}).items()
    )
    where = ".".join(
        str(location.get(part, "")) for part in ("database", "table", "column")
    )
    return f"{where} [{key}]"


def _styled_severity(severity: str) -> str:
    colour = {"critical": "red bold", "high": "red", "medium": "yellow"}.get(
        severity, "cyan"
    )
    return f"[{colour}]{severity}[/{colour}]"
