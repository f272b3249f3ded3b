"""The file scanner: what a finding carries, and the worker pool's results."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from cleanshift.engine.scanner import POOL_THRESHOLD, FileScanner

SHELL = b"<?php\n\n$x = 1;\nsystem($_GET['cmd']);\n"


def test_finding_carries_line_offset_snippet_and_hash(tmp_path: Path) -> None:
    (tmp_path / "shell.php").write_bytes(SHELL)

    with FileScanner(workers=1) as scanner:
        report = scanner.scan_tree(os.fsencode(tmp_path))

    [finding] = report.findings
    assert finding.path == b"shell.php"
    assert finding.sha256 == hashlib.sha256(SHELL).hexdigest()
    assert finding.line is not None
    assert finding.offset is not None
    assert SHELL.count(b"\n", 0, finding.offset) + 1 == finding.line
    assert "system" in finding.snippet or "$_GET" in finding.snippet
    assert finding.severity in ("critical", "high", "medium", "low")
    assert finding.title


def test_worker_pool_finds_the_same_as_one_process(tmp_path: Path) -> None:
    for number in range(POOL_THRESHOLD + 50):
        (tmp_path / f"page{number}.php").write_text(f"<?php echo {number};\n")
    for number in (3, 170, POOL_THRESHOLD + 10):
        (tmp_path / f"page{number}.php").write_bytes(SHELL)

    with FileScanner(workers=2) as pooled:
        pooled_report = pooled.scan_tree(os.fsencode(tmp_path))
    with FileScanner(workers=1) as single:
        single_report = single.scan_tree(os.fsencode(tmp_path))

    assert sorted(pooled_report.findings, key=lambda f: f.path) == sorted(
        single_report.findings, key=lambda f: f.path
    )
    assert {finding.path for finding in pooled_report.findings} == {
        b"page3.php",
        b"page170.php",
        f"page{POOL_THRESHOLD + 10}.php".encode(),
    }
    assert pooled_report.files_scanned == POOL_THRESHOLD + 50


def test_progress_reaches_the_total(tmp_path: Path) -> None:
    for number in range(5):
        (tmp_path / f"f{number}.php").write_text("<?php echo 1;\n")
    seen: list[tuple[int, int]] = []

    with FileScanner(workers=1) as scanner:
        scanner.scan_tree(
            os.fsencode(tmp_path),
            progress=lambda done, _bytes, total: seen.append((done, total)),
        )

    assert seen[0] == (0, 5)
    assert seen[-1] == (5, 5)


def test_a_snippet_from_binary_content_carries_no_control_characters(
    tmp_path: Path,
) -> None:
    # The control plane stores snippets as text, which cannot hold NUL; raw
    # bytes around a match in a binary file must come out escaped.
    shell = tmp_path / "blob.php"
    shell.write_bytes(b"<?php system($_GET['c']); /*\x00\x01\x1b[31m\x7f*/\n")

    with FileScanner(workers=1) as scanner:
        [finding] = scanner.scan_tree(os.fsencode(tmp_path)).findings

    assert "\\x00" in finding.snippet
    assert "\\x1b" in finding.snippet
    assert not any(
        ord(char) < 0x20 or 0x7F <= ord(char) < 0xA0 for char in finding.snippet
    )
