"""Known-good releases: never reported, and in deep mode, held to their hashes."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path

import pytest

from cleanshift.engine.integrity import INTEGRITY_RULE, PHP_IN_UPLOADS_RULE
from cleanshift.engine.knowngood import (
    KnownGood,
    KnownGoodError,
    ReleaseManifest,
    build_manifest,
    load_store,
    manifest_path,
    write_manifest,
)
from cleanshift.engine.modes import ScanMode
from cleanshift.engine.scanner import FileScanner
from tests.engine.trees import SHELL, WP_VERSION_FILE, make_site, write


@pytest.fixture
def release(tmp_path: Path) -> Path:
    """A pristine release whose plugin, oddly, holds what a rule flags."""
    return make_site(tmp_path / "release")


@pytest.fixture
def store(tmp_path: Path, release: Path) -> Path:
    folder = tmp_path / "store"
    manifest = build_manifest(os.fsencode(release), "wordpress", "6.1.9")
    write_manifest(manifest, manifest_path(folder, manifest))
    return folder


@pytest.fixture
def site(tmp_path: Path, release: Path) -> Path:
    copy = tmp_path / "www" / "example.com"
    shutil.copytree(release, copy)
    return copy


def scan(site: Path, store: Path, mode: ScanMode) -> list[tuple[bytes, str, str]]:
    with FileScanner(workers=1) as scanner:
        report = scanner.scan_tree(
            os.fsencode(site), mode=mode, known_good=load_store(store)
        )
    return sorted((f.path, f.rule, f.type) for f in report.findings)


def test_manifest_records_every_file_and_survives_odd_names(
    tmp_path: Path, release: Path
) -> None:
    write(release, "odd", b"")
    os.rename(release / "odd", os.path.join(os.fsencode(release), b"caf\xe9.php"))

    manifest = build_manifest(os.fsencode(release), "wordpress", "6.1.9")
    path = tmp_path / "manifest.json"
    write_manifest(manifest, path)
    again = ReleaseManifest.from_json(json.loads(path.read_text()))

    assert again == manifest
    assert manifest.files[b"wp-includes/version.php"] == (
        hashlib.sha256(WP_VERSION_FILE).hexdigest()
    )
    assert b"caf\xe9.php" in manifest.files
    assert len(manifest.files) == 12


def test_a_file_matching_a_release_is_never_reported(site: Path, store: Path) -> None:
    without_store = scan(site, site.parent / "no-store", ScanMode.full)

    assert [(path, kind) for path, _rule, kind in without_store] == [
        (b"wp-content/plugins/tools/tools.php", "malware")
    ]
    assert scan(site, store, ScanMode.full) == []
    assert scan(site, store, ScanMode.deep) == []


def test_a_modified_release_file_is_an_integrity_finding_in_deep_mode_only(
    site: Path, store: Path
) -> None:
    write(site, "wp-includes/functions.php", b"<?php function wp() { return 2; }\n")

    assert scan(site, store, ScanMode.full) == []
    with FileScanner(workers=1) as scanner:
        report = scanner.scan_tree(
            os.fsencode(site), mode=ScanMode.deep, known_good=load_store(store)
        )

    [finding] = report.findings
    assert finding.path == b"wp-includes/functions.php"
    assert (finding.type, finding.severity, finding.rule) == (
        "integrity",
        "high",
        INTEGRITY_RULE,
    )
    assert "wordpress 6.1.9" in finding.title


def test_a_modified_file_that_is_also_malware_gives_both_findings(
    site: Path, store: Path
) -> None:
    write(site, "wp-includes/plugin.php", SHELL + b"// not the release copy\n")

    found = scan(site, store, ScanMode.deep)

    assert [(path, kind) for path, _rule, kind in found] == [
        (b"wp-includes/plugin.php", "integrity"),
        (b"wp-includes/plugin.php", "malware"),
    ]


def test_a_site_of_another_version_is_not_held_to_the_manifest(
    site: Path, store: Path
) -> None:
    write(site, "wp-includes/version.php", b"<?php\n$wp_version = '6.2';\n")
    write(site, "wp-includes/functions.php", b"<?php function wp() { return 2; }\n")

    assert scan(site, store, ScanMode.deep) == []


def test_sites_below_a_web_root_are_checked_each_against_its_release(
    tmp_path: Path, site: Path, store: Path
) -> None:
    write(site, "wp-includes/functions.php", b"<?php // changed\n")

    found = scan(site.parent, store, ScanMode.deep)

    assert found == [
        (b"example.com/wp-includes/functions.php", INTEGRITY_RULE, "integrity")
    ]


def test_deep_mode_flags_php_in_upload_folders(site: Path, store: Path) -> None:
    write(site, "wp-content/uploads/2024/05/thumb.php", b"<?php echo 'hi';\n")
    write(site, "wp-content/uploads/2024/05/photo.php.jpg", b"<?php echo 1;\n")
    write(site, "wp-includes/SimplePie/Cache/File.php", b"<?php class C {}\n")

    deep = scan(site, store, ScanMode.deep)
    full = scan(site, store, ScanMode.full)

    assert deep == [
        (b"wp-content/uploads/2024/05/photo.php.jpg", PHP_IN_UPLOADS_RULE, "malware"),
        (b"wp-content/uploads/2024/05/thumb.php", PHP_IN_UPLOADS_RULE, "malware"),
    ]
    assert full == []


def test_bad_manifests_are_skipped_and_bad_labels_refused(
    tmp_path: Path, store: Path, release: Path
) -> None:
    (store / "broken.json").write_text("{not json")
    (store / "other.json").write_text(json.dumps({"format": "something-else"}))

    known_good = load_store(store)

    assert list(known_good.releases) == [("wordpress", "6.1.9")]
    assert load_store(tmp_path / "missing") == KnownGood()
    with pytest.raises(KnownGoodError):
        build_manifest(os.fsencode(release), "../escape", "1")
