"""The pristine store and the restore playbook, on real release trees."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from cleanshift.remediation import PristineStore, RemediationContext
from cleanshift.sites.discovery import wordpress_version
from tests.remediation.conftest import (
    BLOG_HEADER,
    PLUGIN_MAIN,
    VERSION_PHP,
    WP_VERSION,
    Run,
    Snapshot,
    give_away,
    threat_for,
    tree_state,
    write,
)

MODIFIED = BLOG_HEADER.replace(
    b"wp();", b"wp(); mail('a@b.c', 'x', $_SERVER['HTTP_HOST']);"
)


@pytest.fixture
def release(tmp_path: Path) -> Path:
    """The pristine WordPress release the test site runs."""
    tree = tmp_path / "release" / "wordpress"
    write(tree, "wp-includes/version.php", VERSION_PHP)
    write(tree, "wp-blog-header.php", BLOG_HEADER)
    write(tree, "index.php", b"<?php\nrequire __DIR__ . '/wp-blog-header.php';\n")
    return tree


def test_store_keeps_one_copy_per_content(tmp_path: Path, release: Path) -> None:
    store = PristineStore(tmp_path / "pristine")
    write(release, "wp-admin/index.php", BLOG_HEADER)

    assert store.add_tree(release, "wordpress", WP_VERSION) == 4
    assert store.add_tree(release, "wordpress", "6.1.10") == 4

    objects = [
        path
        for path in (tmp_path / "pristine" / "objects").rglob("*")
        if path.is_file()
    ]
    assert len(objects) == 3
    copy = store.lookup("wordpress", WP_VERSION, "wp-blog-header.php")
    assert copy is not None
    assert copy.read_bytes() == BLOG_HEADER
    assert store.lookup("wordpress", WP_VERSION, b"wp-admin/index.php") == copy
    assert store.lookup("wordpress", WP_VERSION, "missing.php") is None
    assert store.lookup("wordpress", "9.9", "wp-blog-header.php") is None
    assert store.lookup("../../etc", WP_VERSION, "passwd") is None


def test_restore_puts_the_pristine_copy_back_and_rolls_back(
    site: Path,
    release: Path,
    context: RemediationContext,
    remediate: Run,
    rollback: Run,
) -> None:
    context.pristine.add_tree(release, "wordpress", WP_VERSION)
    path = write(site, "wp-blog-header.php", MODIFIED)
    give_away(path, 0o600)
    before = Snapshot.of(path)
    threat = threat_for(path, type="integrity")

    status, summary = remediate("restore", threat)

    assert status == "completed", summary
    assert path.read_bytes() == BLOG_HEADER
    assert summary["verified"] is True
    assert summary["undo"]["release"] == {"name": "wordpress", "version": WP_VERSION}
    assert summary["undo"]["sha256_after"] == hashlib.sha256(BLOG_HEADER).hexdigest()
    after = Snapshot.of(path)
    assert (after.mode, after.uid, after.gid) == (0o600, before.uid, before.gid)

    status, result = rollback(summary)

    assert status == "completed", result
    assert Snapshot.of(path) == before


def test_restore_of_a_plugin_file(
    site: Path, tmp_path: Path, context: RemediationContext, remediate: Run
) -> None:
    plugin = tmp_path / "release" / "contact-helper"
    write(plugin, "contact-helper.php", PLUGIN_MAIN)
    write(plugin, "readme.txt", b"Stable tag: 1.2.0\n")
    context.pristine.add_tree(plugin, "wordpress-plugin-contact-helper", "1.2.0")
    path = site / "wp-content/plugins/contact-helper/contact-helper.php"
    path.write_bytes(PLUGIN_MAIN + b"@include '/tmp/x.ico';\n")

    status, summary = remediate("restore", threat_for(path, type="integrity"))

    assert status == "completed", summary
    assert path.read_bytes() == PLUGIN_MAIN


def test_restore_without_a_pristine_copy_says_what_to_do(
    site: Path, context: RemediationContext, remediate: Run
) -> None:
    path = write(site, "wp-blog-header.php", MODIFIED)
    before = tree_state(site)

    status, summary = remediate("restore", threat_for(path, type="integrity"))

    assert status == "failed"
    assert "has no copy of wp-blog-header.php from wordpress 6.1.9" in summary["error"]
    assert "add that release" in summary["error"]
    assert tree_state(site) == before


def test_damaged_pristine_copy_is_not_written(
    site: Path, release: Path, context: RemediationContext, remediate: Run
) -> None:
    context.pristine.add_tree(release, "wordpress", WP_VERSION)
    copy = context.pristine.lookup("wordpress", WP_VERSION, "wp-blog-header.php")
    assert copy is not None
    copy.write_bytes(b"<?php system($_GET['c']);\n")
    path = write(site, "wp-blog-header.php", MODIFIED)

    status, summary = remediate("restore", threat_for(path, type="integrity"))

    assert status == "failed"
    assert "does not match its manifest" in summary["error"]
    assert path.read_bytes() == MODIFIED


def test_dry_run_changes_nothing(
    site: Path, release: Path, context: RemediationContext, remediate: Run
) -> None:
    context.pristine.add_tree(release, "wordpress", WP_VERSION)
    path = write(site, "wp-blog-header.php", MODIFIED)
    before = tree_state(site)

    status, summary = remediate(
        "restore", threat_for(path, type="integrity"), dry_run=True
    )

    assert status == "completed", summary
    assert summary["undo"] == {}
    assert tree_state(site) == before


def test_real_wordpress_core_file(
    wordpress_site: Path,
    wordpress_tree: Path,
    context: RemediationContext,
    remediate: Run,
    rollback: Run,
) -> None:
    # The fixture's site sits under tmp_path/www, the web root of ``context``.
    assert wordpress_site.parent in context.web_roots
    version = wordpress_version(os.fsencode(wordpress_site))
    assert version is not None
    context.pristine.add_tree(wordpress_tree, "wordpress", version)
    path = wordpress_site / "wp-includes" / "load.php"
    original = path.read_bytes()
    path.write_bytes(original + b"\n/* tampered */\n")
    before = Snapshot.of(path)

    status, summary = remediate("restore", threat_for(path, type="integrity"))

    assert status == "completed", summary
    assert summary["verified"] is True
    assert path.read_bytes() == original
    assert rollback(summary)[0] == "completed"
    assert Snapshot.of(path) == before
