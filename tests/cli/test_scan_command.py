"""``cleanshift scan`` as a user runs it: exit codes, JSON and table output."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

WEBSHELL = b"<?php\n// tools\n@eval(base64_decode($_POST['payload']));\n"
UPLOADER = (
    b"<?php if (isset($_FILES['f'])) {\n"
    b"  move_uploaded_file($_FILES['f']['tmp_name'], $_FILES['f']['name']);\n"
    b"  echo 'ok'; }\n"
    b"echo '<form method=post enctype=multipart/form-data>"
    b"<input type=file name=f><input type=submit></form>';\n"
)


def cleanshift(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cleanshift", *args],
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture
def infected_site(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    (site / "wp-content" / "uploads").mkdir(parents=True)
    (site / "index.php").write_text("<?php require __DIR__ . '/wp-blog-header.php';\n")
    (site / "wp-content" / "uploads" / "cache.php").write_bytes(WEBSHELL)
    (site / "up.php").write_bytes(UPLOADER)
    return site


def test_json_lists_each_threat_relative_to_the_scanned_path(
    infected_site: Path,
) -> None:
    result = cleanshift("scan", str(infected_site), "--format", "json")

    assert result.returncode == 1, result.stderr
    document = json.loads(result.stdout)
    by_path = {finding["path"]: finding for finding in document["findings"]}
    assert set(by_path) == {"wp-content/uploads/cache.php", "up.php"}
    shell = by_path["wp-content/uploads/cache.php"]
    assert shell["sha256"] == hashlib.sha256(WEBSHELL).hexdigest()
    assert shell["severity"] in ("critical", "high")
    assert shell["type"] == "malware"
    assert shell["rule"]
    assert shell["line"] == 3
    assert document["files_scanned"] == 3


def test_clean_tree_exits_zero(tmp_path: Path) -> None:
    (tmp_path / "index.php").write_text(
        "<?php echo htmlspecialchars($_GET['q'] ?? '');\n"
    )

    result = cleanshift("scan", str(tmp_path), "--format", "json")

    assert result.returncode == 0, result.stdout + result.stderr
    assert json.loads(result.stdout)["findings"] == []


def test_table_output_names_the_file_and_the_verdict(infected_site: Path) -> None:
    result = cleanshift("scan", str(infected_site))

    assert result.returncode == 1
    assert "up.php" in result.stdout
    assert "2 threat(s)" in result.stdout


def test_missing_path_is_a_usage_error(tmp_path: Path) -> None:
    result = cleanshift("scan", str(tmp_path / "nope"))

    assert result.returncode == 2
    assert "no such file or folder" in result.stderr


def test_unknown_mode_is_a_usage_error(tmp_path: Path) -> None:
    result = cleanshift("scan", str(tmp_path), "--mode", "thorough")

    assert result.returncode == 2
