"""Quick mode: unchanged files come from the cache, findings and all."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from cleanshift.engine.cache import ScanCache
from cleanshift.engine.knowngood import KnownGood, build_manifest
from cleanshift.engine.modes import ScanMode
from cleanshift.engine.rules import compile_rules, rules_version
from cleanshift.engine.scanner import POOL_THRESHOLD, FileScanner
from tests.engine.trees import (
    CLEAN,
    SHELL,
    make_site,
    reads_recorded,
    restore_mtime,
    write,
)

# Read by every quick scan of make_site's tree: settings, top level, uploads.
ALWAYS_READ = {
    b"index.php",
    b"wp-config.php",
    b"wp-load.php",
    b"wp-content/plugins/tools/.htaccess",
    b"wp-content/uploads/2024/05/photo.jpg",
}


@pytest.fixture
def cache(tmp_path: Path) -> Iterator[ScanCache]:
    opened = ScanCache.open(tmp_path / "cache" / "scan-cache.sqlite3")
    yield opened
    opened.close()


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return make_site(tmp_path / "site")


@pytest.fixture
def scanner() -> Iterator[FileScanner]:
    with FileScanner(workers=1) as single:
        yield single


def test_quick_scan_skips_unchanged_files_but_reports_their_findings(
    site: Path, cache: ScanCache, scanner: FileScanner
) -> None:
    root = os.fsencode(site)
    full = scanner.scan_tree(root, cache=cache)

    with reads_recorded(scanner) as read:
        quick = scanner.scan_tree(root, mode=ScanMode.quick, cache=cache)

    assert set(read) == ALWAYS_READ
    assert quick.files_cached == full.files_scanned - len(ALWAYS_READ)
    assert quick.files_scanned == len(ALWAYS_READ)
    assert [finding.path for finding in full.findings] == [
        b"wp-content/plugins/tools/tools.php"
    ]
    assert quick.findings == full.findings


def test_a_changed_file_of_the_same_size_and_a_new_mtime_is_read(
    site: Path, cache: ScanCache, scanner: FileScanner
) -> None:
    root = os.fsencode(site)
    helper = site / "lib" / "helpers.php"
    scanner.scan_tree(root, cache=cache)
    before = helper.stat()

    helper.write_bytes(SHELL)
    os.utime(helper, ns=(before.st_atime_ns, before.st_mtime_ns + 10**9))
    with reads_recorded(scanner) as read:
        quick = scanner.scan_tree(root, mode=ScanMode.quick, cache=cache)

    assert helper.stat().st_size == before.st_size
    assert b"lib/helpers.php" in read
    assert b"lib/helpers.php" in {finding.path for finding in quick.findings}


def test_a_changed_file_with_its_mtime_put_back_is_read_by_its_ctime(
    site: Path, cache: ScanCache, scanner: FileScanner
) -> None:
    root = os.fsencode(site)
    helper = site / "lib" / "helpers.php"
    scanner.scan_tree(root, cache=cache)
    before = helper.stat()

    helper.write_bytes(SHELL)
    restore_mtime(helper, before.st_mtime_ns, before.st_ctime_ns)
    with reads_recorded(scanner) as read:
        quick = scanner.scan_tree(root, mode=ScanMode.quick, cache=cache)

    after = helper.stat()
    assert (after.st_size, after.st_mtime_ns) == (before.st_size, before.st_mtime_ns)
    assert b"lib/helpers.php" in read
    assert b"lib/helpers.php" in {finding.path for finding in quick.findings}


def test_where_attackers_write_content_unlike_the_cache_is_matched_again(
    site: Path, cache: ScanCache, scanner: FileScanner
) -> None:
    # A file whose stamp looks unchanged while its content is not (a clock
    # turned back, a file system with untrustworthy ctimes): the cached hash
    # no longer fits, so the uploads file is matched again, not trusted.
    root = os.fsencode(site)
    shell = b"wp-content/uploads/2024/05/cache.php"
    write(site, shell.decode(), SHELL)
    assert shell in {f.path for f in scanner.scan_tree(root, cache=cache).findings}
    cache.connection.execute(
        "UPDATE file_results SET sha256 = ?, finding = NULL WHERE path = ?",
        ("0" * 64, shell),
    )
    cache.connection.commit()

    quick = scanner.scan_tree(root, mode=ScanMode.quick, cache=cache)

    assert shell in {finding.path for finding in quick.findings}
    assert quick.files_scanned == len(ALWAYS_READ) + 1


def test_where_attackers_write_unchanged_content_keeps_its_finding(
    site: Path, cache: ScanCache, scanner: FileScanner
) -> None:
    root = os.fsencode(site)
    shell = b"wp-content/uploads/2024/05/cache.php"
    write(site, shell.decode(), SHELL)
    full = scanner.scan_tree(root, cache=cache)

    with reads_recorded(scanner) as read:
        quick = scanner.scan_tree(root, mode=ScanMode.quick, cache=cache)

    assert shell in read
    assert sorted(quick.findings, key=lambda f: f.path) == sorted(
        full.findings, key=lambda f: f.path
    )


def test_a_cleaned_file_stops_being_reported(
    site: Path, cache: ScanCache, scanner: FileScanner
) -> None:
    root = os.fsencode(site)
    scanner.scan_tree(root, cache=cache)

    (site / "wp-content/plugins/tools/tools.php").write_bytes(CLEAN)
    (site / "lib" / "helpers.php").unlink()
    quick = scanner.scan_tree(root, mode=ScanMode.quick, cache=cache)
    again = scanner.scan_tree(root, mode=ScanMode.quick, cache=cache)

    assert quick.findings == []
    assert again.findings == []
    assert again.files_total == quick.files_total


def test_a_new_rule_set_makes_quick_read_everything(
    tmp_path: Path, site: Path, cache: ScanCache
) -> None:
    rules_dir = tmp_path / "rules"
    write(rules_dir, "marker.yar", rule_source("marker_one", "MARKER_ONE"))
    write(site, "lib/marked.php", b"<?php // MARKER_TWO\n")
    root = os.fsencode(site)
    first_version = rules_version(rules_dir)
    with FileScanner(
        compile_rules(rules_dir), workers=1, rules_version=first_version
    ) as old:
        old.scan_tree(root, cache=cache)
        assert old.scan_tree(root, mode=ScanMode.quick, cache=cache).files_cached

    write(rules_dir, "marker.yar", rule_source("marker_two", "MARKER_TWO"))
    assert rules_version(rules_dir) != first_version
    with FileScanner(
        compile_rules(rules_dir), workers=1, rules_version=rules_version(rules_dir)
    ) as new:
        quick = new.scan_tree(root, mode=ScanMode.quick, cache=cache)

    assert quick.files_cached == 0
    assert quick.files_scanned == quick.files_total
    assert [finding.rule for finding in quick.findings] == ["marker_two"]


def test_without_a_cache_quick_reads_everything(
    site: Path, scanner: FileScanner
) -> None:
    report = scanner.scan_tree(os.fsencode(site), mode=ScanMode.quick)

    assert report.files_cached == 0
    assert report.files_scanned == report.files_total
    assert len(report.findings) == 1


def test_a_release_added_to_the_store_silences_a_cached_finding(
    tmp_path: Path, site: Path, cache: ScanCache, scanner: FileScanner
) -> None:
    root = os.fsencode(site)
    assert scanner.scan_tree(root, cache=cache).findings
    plugin = os.fsencode(site / "wp-content/plugins/tools")
    known_good = KnownGood({("tools", "1.0"): build_manifest(plugin, "tools", "1.0")})

    quick = scanner.scan_tree(
        root, mode=ScanMode.quick, cache=cache, known_good=known_good
    )

    assert quick.findings == []
    assert quick.files_known_good >= 1


def test_the_pool_and_the_cache_agree(tmp_path: Path, cache: ScanCache) -> None:
    site = tmp_path / "big"
    for number in range(POOL_THRESHOLD + 20):
        write(site, f"lib/page{number}.php", f"<?php echo {number};\n".encode())
    write(site, "lib/page7.php", SHELL)
    root = os.fsencode(site)

    with FileScanner(workers=2) as pooled:
        full = pooled.scan_tree(root, cache=cache)
        quick = pooled.scan_tree(root, mode=ScanMode.quick, cache=cache)

    assert [finding.path for finding in full.findings] == [b"lib/page7.php"]
    assert quick.findings == full.findings
    assert quick.files_cached == POOL_THRESHOLD + 20


def test_a_corrupt_cache_file_is_replaced(tmp_path: Path, site: Path) -> None:
    path = tmp_path / "scan-cache.sqlite3"
    path.write_bytes(b"this is not a database" * 100)

    cache = ScanCache.open(path)
    with FileScanner(workers=1) as scanner:
        scanner.scan_tree(os.fsencode(site), cache=cache)
        quick = scanner.scan_tree(os.fsencode(site), mode=ScanMode.quick, cache=cache)
    cache.close()

    assert quick.files_cached > 0
    assert oct(path.stat().st_mode & 0o777) == oct(0o600)
    with sqlite3.connect(path) as check:
        assert check.execute("SELECT count(*) FROM file_results").fetchone()[0]


def rule_source(name: str, marker: str) -> bytes:
    """A rule with the metadata the engine requires, matching ``marker``."""
    return (
        f"rule {name} {{\n"
        f'  meta:\n    description = "test marker"\n    severity = "high"\n'
        f'    family = "test"\n'
        f'  strings:\n    $m = "{marker}"\n'
        f"  condition:\n    $m\n}}\n"
    ).encode()


def test_results_written_by_another_process_are_seen(
    tmp_path: Path, site: Path, cache: ScanCache
) -> None:
    # The cache keeps what it loaded between scans; a write through another
    # connection (another scan process) must make it read again.
    root = os.fsencode(site)
    with FileScanner(workers=1) as scanner:
        scanner.scan_tree(root, cache=cache)
        version = scanner.rules_version
    first = cache.load(root, version)
    other = ScanCache.open(cache.path)
    try:
        other.forget(root, [b"lib/helpers.php"])
    finally:
        other.close()

    again = cache.load(root, version)

    assert b"lib/helpers.php" in first
    assert b"lib/helpers.php" not in again
    assert set(first) - set(again) == {b"lib/helpers.php"}
