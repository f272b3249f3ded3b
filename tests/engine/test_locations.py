"""Which files quick mode always reads, and which PHP files deep mode flags."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from cleanshift.engine.locations import find_site_roots, is_php_in_uploads, must_read
from cleanshift.engine.rules import default_rules
from cleanshift.engine.worker import RuleScanner, WorkerSettings
from tests.engine.trees import SHELL

WEB_ROOT = [
    b"index.php",
    b"example.com/wp-load.php",
    b"example.com/wp-includes/version.php",
    b"shop/app/etc/env.php",
    b"drupal/sites/default/settings.php",
]


def test_site_roots_are_found_by_their_marker_files() -> None:
    assert find_site_roots(WEB_ROOT) == {b"", b"example.com", b"shop", b"drupal"}


@pytest.mark.parametrize(
    ("relative", "expected"),
    [
        (b"example.com/wp-content/uploads/2024/a.jpg", True),
        (b"example.com/wp-content/plugins/x/cache/data.php", True),
        (b"example.com/wp-includes/images/smilies/x.png", True),
        (b"example.com/tmp/sess.txt", True),
        (b"example.com/wp-content/plugins/x/.htaccess", True),
        (b"example.com/wp-content/plugins/x/.user.ini", True),
        (b"example.com/wp-content/plugins/x/php.ini", True),
        (b"example.com/wp-config.php", True),
        (b"shop/app/etc/env.php", True),
        (b"drupal/sites/default/settings.php", True),
        (b"lib/configuration.php", True),
        (b"example.com/wp-cron.php", True),
        (b"shop/index.php", True),
        (b"top.php", True),
        (b"example.com/wp-includes/functions.php", False),
        (b"example.com/wp-content/plugins/x/x.php", False),
        (b"example.com/wp-content/themes/t/uploads.php", False),
    ],
)
def test_quick_mode_always_reads_where_attackers_write(
    relative: bytes, expected: bool
) -> None:
    assert must_read(relative, find_site_roots(WEB_ROOT)) is expected


@pytest.mark.parametrize(
    ("relative", "expected"),
    [
        (b"example.com/wp-content/uploads/2024/05/x.php", True),
        (b"example.com/wp-content/uploads/x.PHTML", True),
        (b"example.com/wp-content/uploads/x.php.jpg", True),
        (b"example.com/wp-content/uploads/x.phar", True),
        (b"drupal/sites/default/files/x.php5", True),
        (b"shop/pub/media/catalog/x.php", True),
        (b"example.com/uploads/x.php", True),
        (b"uploads/x.php", True),
        (b"example.com/wp-content/plugins/p/uploads/x.php", False),
        (b"example.com/wp-content/uploads/x.jpg", False),
        (b"example.com/wp-content/uploads/x.phps", False),
        (b"example.com/wp-includes/SimplePie/Cache/File.php", False),
        (b"example.com/wp-includes/images/media/x.php", False),
    ],
)
def test_php_in_uploads_covers_upload_folders_only(
    relative: bytes, expected: bool
) -> None:
    assert is_php_in_uploads(relative, find_site_roots(WEB_ROOT)) is expected


def test_a_file_that_changed_kind_or_size_after_the_walk_is_not_read(
    tmp_path: Path,
) -> None:
    os.mkfifo(tmp_path / "was-a-file.php")
    os.symlink("/etc/hostname", tmp_path / "now-a-link.php")
    (tmp_path / "grew.php").write_bytes(SHELL * 100)
    scanner = RuleScanner(default_rules(), WorkerSettings(max_file_size=len(SHELL)))

    results = {
        name: scanner.scan(os.fsencode(tmp_path / name), name.encode()).error
        for name in ("was-a-file.php", "now-a-link.php", "grew.php")
    }

    assert all(results.values()), results
