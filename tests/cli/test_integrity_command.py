"""``cleanshift integrity build`` end to end, and scans that use its manifests."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.cli.test_scan_command import WEBSHELL, cleanshift

WP_VERSION = b"<?php\n$wp_version = '6.1.9';\n"


@pytest.fixture
def release(tmp_path: Path) -> Path:
    """A release that ships a file a rule flags (a plugin's admin tool, say)."""
    root = tmp_path / "release"
    (root / "wp-includes").mkdir(parents=True)
    (root / "wp-includes" / "version.php").write_bytes(WP_VERSION)
    (root / "wp-includes" / "functions.php").write_text("<?php function a() {}\n")
    (root / "wp-includes" / "tool.php").write_bytes(WEBSHELL)
    (root / "index.php").write_text("<?php echo 'home';\n")
    return root


def test_build_then_scan_trusts_the_release_and_checks_it_in_deep_mode(
    tmp_path: Path, release: Path
) -> None:
    store = tmp_path / "store"
    site = tmp_path / "site"
    shutil.copytree(release, site)

    built = cleanshift(
        "integrity", "build", str(release), "--name", "wordpress",
        "--version", "6.1.9", "--store", str(store),
    )  # fmt: skip
    clean = cleanshift("scan", str(site), "--store", str(store), "--format", "json")
    (site / "wp-includes" / "functions.php").write_text("<?php function b() {}\n")
    deep = cleanshift(
        "scan", str(site), "--mode", "deep", "--store", str(store), "--format", "json"
    )

    assert built.returncode == 0, built.stderr
    manifest = json.loads((store / "wordpress-6.1.9.json").read_text())
    assert manifest["name"] == "wordpress"
    assert manifest["version"] == "6.1.9"
    assert set(manifest["files"]) == {
        "index.php",
        "wp-includes/version.php",
        "wp-includes/functions.php",
        "wp-includes/tool.php",
    }
    assert clean.returncode == 0, clean.stdout
    assert json.loads(clean.stdout)["files_known_good"] == 4
    assert deep.returncode == 1
    [finding] = json.loads(deep.stdout)["findings"]
    assert finding["path"] == "wp-includes/functions.php"
    assert finding["type"] == "integrity"
    assert finding["rule"] == "integrity_modified_core_file"
    assert "wordpress 6.1.9" in finding["title"]


def test_wordpress_is_recognised_and_stored_in_the_user_folder(
    release: Path, isolated_user_folders: Path
) -> None:
    built = cleanshift("integrity", "build", str(release))
    listed = cleanshift("integrity", "list")
    scanned = cleanshift("scan", str(release))

    assert built.returncode == 0, built.stderr
    stored = isolated_user_folders / "data/cleanshift/known-good/wordpress-6.1.9.json"
    assert stored.is_file()
    assert "6.1.9" in listed.stdout
    assert scanned.returncode == 0, scanned.stdout


def test_output_writes_the_manifest_where_asked(tmp_path: Path, release: Path) -> None:
    output = tmp_path / "manifests" / "core.json"

    built = cleanshift(
        "integrity", "build", str(release), "--name", "core", "--version", "1.0",
        "--output", str(output),
    )  # fmt: skip

    assert built.returncode == 0, built.stderr
    assert json.loads(output.read_text())["name"] == "core"


@pytest.mark.parametrize(
    "arguments",
    [
        ["--name", "plugin"],
        ["--name", "../../etc", "--version", "1"],
        ["--name", "plugin", "--version", "1 2"],
    ],
)
def test_an_unnamed_or_badly_named_release_is_a_usage_error(
    tmp_path: Path, arguments: list[str]
) -> None:
    tree = tmp_path / "plugin"
    tree.mkdir()
    (tree / "plugin.php").write_text("<?php\n")

    result = cleanshift("integrity", "build", str(tree), *arguments)

    assert result.returncode == 2, result.stdout + result.stderr
    assert "error" in result.stderr


def test_a_missing_tree_is_a_usage_error(tmp_path: Path) -> None:
    result = cleanshift("integrity", "build", str(tmp_path / "nope"))

    assert result.returncode == 2
