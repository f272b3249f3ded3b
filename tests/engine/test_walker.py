"""A hostile tree cannot break the walk: every file is scanned or reported."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from cleanshift.engine.findings import SkippedFile
from cleanshift.engine.scanner import FileScanner
from cleanshift.engine.walker import FileEntry, walk_tree

WEBSHELL = b"<?php if (isset($_REQUEST['c'])) { system($_REQUEST['c']); } ?>\n"


@pytest.fixture
def hostile_tree(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    root.mkdir()
    raw = os.fsencode(root)
    (root / "index.php").write_bytes(b"<?php echo 'hello';\n")
    with open(os.path.join(raw, b"caf\xe9-shell.php"), "wb") as handle:
        handle.write(WEBSHELL)
    with open(os.path.join(raw, b"line\nbreak.php"), "wb") as handle:
        handle.write(WEBSHELL)
    (root / "with space.txt").write_text("plain text\n")
    (root / "uploads").mkdir()
    os.symlink(".", root / "uploads" / "loop")
    os.symlink("/nonexistent/target", root / "dangling")
    (tmp_path / "elsewhere.txt").write_text("outside the site\n")
    os.symlink(tmp_path / "elsewhere.txt", root / "outside")
    os.mkfifo(root / "uploads" / "pipe")
    (root / "big.bin").write_bytes(b"\0" * 4096)
    os.link(root / "index.php", root / "hardlink.php")
    return root


def find_count(root: Path) -> int:
    """What ``find`` lists below ``root`` that is not a directory."""
    listing = subprocess.run(
        ["find", str(root), "-mindepth", "1", "!", "-type", "d", "-print0"],
        check=True,
        capture_output=True,
    ).stdout
    return listing.count(b"\0")


def test_every_entry_is_scanned_or_skipped_with_a_reason(hostile_tree: Path) -> None:
    items = list(walk_tree(os.fsencode(hostile_tree), max_file_size=1024))

    files = {item.relative for item in items if isinstance(item, FileEntry)}
    skipped = {
        item.path: item.reason for item in items if isinstance(item, SkippedFile)
    }
    assert len(files) + len(skipped) == find_count(hostile_tree)
    assert files == {
        b"index.php",
        b"hardlink.php",
        b"caf\xe9-shell.php",
        b"line\nbreak.php",
        b"with space.txt",
    }
    assert skipped == {
        b"uploads/loop": "symlink",
        b"dangling": "symlink",
        b"outside": "symlink",
        b"uploads/pipe": "special-file",
        b"big.bin": "oversize",
    }


def test_following_links_never_loops_and_reports_dead_ends(hostile_tree: Path) -> None:
    items = list(
        walk_tree(os.fsencode(hostile_tree), follow_symlinks=True, max_file_size=1024)
    )

    skipped = {
        item.path: item.reason for item in items if isinstance(item, SkippedFile)
    }
    assert skipped[b"uploads/loop"] == "symlink-loop"
    assert skipped[b"dangling"] == "dangling-link"
    scanned = [item.relative for item in items if isinstance(item, FileEntry)]
    assert b"outside" in scanned
    assert len(scanned) == len(set(scanned))


def test_scanner_finds_shells_behind_odd_names_and_never_opens_a_fifo(
    hostile_tree: Path,
) -> None:
    with FileScanner(workers=1, max_file_size=1024) as scanner:
        report = scanner.scan_tree(os.fsencode(hostile_tree))

    found = {finding.path for finding in report.findings}
    assert found == {b"caf\xe9-shell.php", b"line\nbreak.php"}
    assert report.files_scanned + len(report.skipped) == find_count(hostile_tree)
    document = report.to_dict()
    odd = next(item for item in document["findings"] if item["raw_path"])
    assert odd["path"] == "caf\\xe9-shell.php"
    assert os.fsencode(hostile_tree) in report.root


def test_a_file_that_vanishes_before_it_is_read_is_reported(tmp_path: Path) -> None:
    for number in range(3):
        (tmp_path / f"page{number}.php").write_text("<?php echo 1;\n")
    entries = list(walk_tree(os.fsencode(tmp_path)))
    (tmp_path / "page1.php").unlink()

    scanner = FileScanner(workers=1)
    results = [scanner._local.scan(entry.path, entry.relative) for entry in entries]

    errors = {result.relative: result.error for result in results if result.error}
    assert list(errors) == [b"page1.php"]


def test_an_unlistable_root_is_reported_not_raised(tmp_path: Path) -> None:
    missing = tmp_path / "gone"

    items = list(walk_tree(os.fsencode(missing)))

    assert [item.reason for item in items if isinstance(item, SkippedFile)] == [
        "unreadable"
    ]
