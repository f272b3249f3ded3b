"""``cleanshift scan``: scan folders on this machine, no server needed."""

from __future__ import annotations

import json
import os
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

from cleanshift.engine.findings import ScanReport
from cleanshift.engine.scanner import FileScanner

EXIT_THREATS = 1
EXIT_USAGE = 2


class ScanMode(StrEnum):
    """How much a scan reads."""

    quick = "quick"
    full = "full"
    deep = "deep"


class OutputFormat(StrEnum):
    """How results are printed."""

    table = "table"
    json = "json"


def scan_command(
    paths: list[Path] = typer.Argument(..., help="Files or folders to scan."),
    mode: ScanMode = typer.Option(ScanMode.full, help="quick, full or deep."),
    output_format: OutputFormat = typer.Option(
        OutputFormat.table, "--format", help="table for people, json for programs."
    ),
    workers: int | None = typer.Option(
        None, help="Worker processes; default: one per core."
    ),
    follow_symlinks: bool = typer.Option(
        False, help="Follow symlinks (never into a folder already walked)."
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

    # TODO(#4): quick mode should skip files unchanged since the last scan.
    reports = []
    with FileScanner(workers=workers, follow_symlinks=follow_symlinks) as scanner:
        for path in paths:
            reports.append(_scan_with_progress(scanner, path))

    if output_format is OutputFormat.json:
        print(json.dumps(_json_document(reports, mode), indent=2))
    else:
        _print_table(reports)
    if any(report.findings for report in reports):
        raise typer.Exit(EXIT_THREATS)


def _scan_with_progress(scanner: FileScanner, path: Path) -> ScanReport:
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

        return scanner.scan_tree(os.fsencode(path), progress=on_progress)


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
        "files_skipped": len(skipped),
        "bytes_scanned": sum(report.bytes_scanned for report in reports),
        "duration": round(sum(report.duration for report in reports), 3),
        "findings": findings,
        "skipped": skipped,
    }


def _print_table(reports: list[ScanReport]) -> None:
    console = Console()
    findings = [
        (report, finding) for report in reports for finding in report.sorted_findings()
    ]
    if findings:
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
        console.print(table)

    scanned = sum(report.files_scanned for report in reports)
    skipped = sum(len(report.skipped) for report in reports)
    seconds = sum(report.duration for report in reports)
    verdict = (
        f"[red bold]{len(findings)} threat(s)[/red bold]"
        if findings
        else "[green bold]no threats[/green bold]"
    )
    console.print(
        f"{verdict} in {scanned} file(s) scanned, {skipped} skipped, {seconds:.1f}s"
    )
    if skipped:
        console.print(
            "Skipped files (links, special files, unreadable or oversize) are "
            "listed with --format json.",
            style="dim",
        )


def _styled_severity(severity: str) -> str:
    colour = {"critical": "red bold", "high": "red", "medium": "yellow"}.get(
        severity, "cyan"
    )
    return f"[{colour}]{severity}[/{colour}]"
