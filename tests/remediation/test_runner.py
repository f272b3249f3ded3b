"""The agent's entry point: every command gets a result, whatever happens."""

from __future__ import annotations

from pathlib import Path

import pytest

from cleanshift.remediation import PLAYBOOKS, RemediationContext, execute_remediation
from cleanshift.remediation.phpsource import PhpLayout


@pytest.mark.parametrize(
    ("command", "payload", "message"),
    [
        ("remediate", {}, "no remediation_id"),
        (
            "remediate",
            {"remediation_id": "rem_1", "playbook": "x", "threat": {}},
            "no playbook 'x'",
        ),
        (
            "remediate",
            {"remediation_id": "rem_1", "playbook": "quarantine"},
            "no threat",
        ),
        (
            "remediate",
            {
                "remediation_id": "../../x",
                "playbook": "quarantine",
                "threat": {"path": "/nowhere/a.php", "sha256": "0" * 64},
            },
            "web roots",
        ),
        ("rollback", {"remediation_id": "rem_1", "undo": {}}, "nothing to undo"),
        (
            "rollback",
            {"remediation_id": "rem_1", "undo": {"playbook": "nope"}},
            "no playbook",
        ),
        ("explode", {}, "unknown remediation command"),
    ],
)
def test_bad_commands_fail_with_a_message(
    context: RemediationContext, command: str, payload: dict[str, object], message: str
) -> None:
    status, summary = execute_remediation(command, payload, context)

    assert status == "failed"
    assert message in summary["error"]


def test_unexpected_errors_become_results(
    context: RemediationContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    def explode(*_: object) -> None:
        raise ZeroDivisionError("boom")

    monkeypatch.setattr(PLAYBOOKS["quarantine"], "remediate", explode)
    payload = {"remediation_id": "rem_1", "playbook": "quarantine", "threat": {}}

    status, summary = execute_remediation("remediate", payload, context)

    assert status == "failed"
    assert "ZeroDivisionError: boom" in summary["error"]


def test_context_defaults(tmp_path: Path) -> None:
    context = RemediationContext(state_dir=tmp_path, web_roots=[])
    assert context.quarantine.root == tmp_path / "quarantine"
    assert context.pristine.root == tmp_path / "pristine"


@pytest.mark.parametrize(
    ("source", "reliable"),
    [
        (b"<?php echo 'a';\n", True),
        (b"<?php echo 'unterminated;\n", False),
        (b"<?php $x = <<<EOT\nhi ?> there\nEOT;\necho 1;\n", True),
        (b"<?php /* never closed\n", False),
    ],
)
def test_php_layout_knows_when_it_cannot_follow(source: bytes, reliable: bool) -> None:
    assert PhpLayout(source).reliable is reliable


def test_php_layout_cut_points() -> None:
    source = b"<?php\n$a = 1;\n$b = foo(\n  2\n);\n// note ?>\n<p>x</p>\n"
    layout = PhpLayout(source)

    assert layout.removable(6, 14)  # "$a = 1;\n"
    assert not layout.removable(14, 24)  # half of a call
    assert layout.mode_at(source.index(b"<p>")) == "html"
    assert layout.removable(source.index(b"<p>"), len(source))
