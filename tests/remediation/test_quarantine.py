"""The quarantine playbook on real files: take, keep, refuse, put back."""

from __future__ import annotations

import base64
import json
import os
import stat
from pathlib import Path

from cleanshift.remediation import RemediationContext
from tests.remediation.conftest import (
    WEBSHELL,
    Run,
    Snapshot,
    give_away,
    threat_for,
    tree_state,
    write,
)


def test_quarantine_and_rollback_restore_everything(
    site: Path, context: RemediationContext, remediate: Run, rollback: Run
) -> None:
    shell = write(site, "wp-content/uploads/2024/05/shell.php", WEBSHELL)
    give_away(shell)
    before = Snapshot.of(shell)

    status, summary = remediate("quarantine", threat_for(shell))

    assert status == "completed", summary
    assert summary["verified"] is True
    assert not shell.exists()
    undo = summary["undo"]
    assert undo["path"] == str(shell)
    assert (undo["mode"], undo["uid"], undo["gid"]) == (0o640, before.uid, before.gid)
    assert undo["mtime_ns"] == before.mtime_ns
    [entry] = (context.state_dir / "quarantine").iterdir()
    blob, record = entry / "file.blob", json.loads((entry / "file.json").read_text())
    assert blob.read_bytes() == WEBSHELL
    assert base64.b64decode(record["raw_path"]) == os.fsencode(shell)
    assert stat.S_IMODE(os.stat(context.state_dir / "quarantine").st_mode) == 0o700
    assert stat.S_IMODE(os.stat(entry).st_mode) == 0o700
    assert stat.S_IMODE(os.stat(blob).st_mode) == 0o600

    status, result = rollback(summary)

    assert status == "completed", result
    assert Snapshot.of(shell) == before


def test_dry_run_changes_nothing(site: Path, remediate: Run) -> None:
    shell = write(site, "shell.php", WEBSHELL)
    before = tree_state(site)

    status, summary = remediate("quarantine", threat_for(shell), dry_run=True)

    assert status == "completed", summary
    assert summary["undo"] == {}
    assert summary["verified"] is False
    assert [step["action"] for step in summary["steps"]] == ["check-hash", "quarantine"]
    assert summary["steps"][-1]["dry_run"] is True
    assert tree_state(site) == before


def test_file_changed_since_the_scan_is_refused(
    site: Path, context: RemediationContext, remediate: Run
) -> None:
    shell = write(site, "shell.php", WEBSHELL)
    threat = threat_for(shell)
    shell.write_bytes(WEBSHELL + b"// edited\n")

    status, summary = remediate("quarantine", threat)

    assert status == "failed"
    assert "changed since the scan" in summary["error"]
    assert shell.read_bytes() == WEBSHELL + b"// edited\n"
    entries = list((context.state_dir / "quarantine").glob("*/*"))
    assert not [path for path in entries if path.suffix in (".blob", ".json")]


def test_rollback_refuses_to_overwrite_a_new_file(
    site: Path, remediate: Run, rollback: Run
) -> None:
    shell = write(site, "shell.php", WEBSHELL)
    _, summary = remediate("quarantine", threat_for(shell))
    shell.write_bytes(b"<?php echo 'new page';\n")

    status, result = rollback(summary)

    assert status == "failed"
    assert "another file now sits at" in result["error"]
    assert shell.read_bytes() == b"<?php echo 'new page';\n"


def test_rollback_of_a_tampered_undo_record_is_refused(
    site: Path, remediate: Run, rollback: Run
) -> None:
    shell = write(site, "shell.php", WEBSHELL)
    _, summary = remediate("quarantine", threat_for(shell))
    summary["undo"]["raw_path"] = base64.b64encode(b"/etc/cron.d/evil").decode()

    status, result = rollback(summary)

    assert status == "failed"
    assert "does not match" in result["error"]
    assert not Path("/etc/cron.d/evil").exists()


def test_non_utf8_name_round_trips(site: Path, remediate: Run, rollback: Run) -> None:
    raw = os.fsencode(site) + b"/sh\xe9ll.php"
    with open(raw, "wb") as handle:
        handle.write(WEBSHELL)
    threat = threat_for(Path(os.fsdecode(raw)))
    threat["path"] = raw.decode("utf-8", "backslashreplace")
    threat["raw_path"] = base64.b64encode(raw).decode()

    status, summary = remediate("quarantine", threat)
    assert status == "completed", summary
    assert not os.path.lexists(raw)

    status, result = rollback(summary)
    assert status == "completed", result
    with open(raw, "rb") as handle:
        assert handle.read() == WEBSHELL


def test_paths_outside_the_web_roots_are_refused(
    tmp_path: Path, remediate: Run
) -> None:
    outside = write(tmp_path, "elsewhere/passwd", b"root:x:0:0\n")

    status, summary = remediate("quarantine", threat_for(outside))

    assert status == "failed"
    assert "not below any of this agent's web roots" in summary["error"]
    assert outside.exists()


def test_a_link_is_not_followed(site: Path, tmp_path: Path, remediate: Run) -> None:
    secret = write(tmp_path, "secret.txt", b"top secret\n")
    link = site / "link.php"
    link.symlink_to(secret)

    status, summary = remediate("quarantine", threat_for(secret) | {"path": str(link)})

    assert status == "failed"
    assert "not a regular file" in summary["error"] or "cannot open" in summary["error"]
    assert secret.read_bytes() == b"top secret\n"
    assert link.is_symlink()


def test_a_repeated_command_reports_the_first_run(site: Path, remediate: Run) -> None:
    shell = write(site, "shell.php", WEBSHELL)
    threat = threat_for(shell)
    _, first = remediate("quarantine", threat)

    status, again = remediate("quarantine", threat, rid=first["remediation_id"])

    assert status == "completed", again
    assert again["undo"] == first["undo"]
    assert again["steps"][0]["action"] == "already-done"


def test_store_inside_a_web_root_is_refused(
    site: Path, web_root: Path, remediate: Run, context: RemediationContext
) -> None:
    context.quarantine_dir = web_root / "quarantine"
    shell = write(site, "shell.php", WEBSHELL)

    status, summary = remediate("quarantine", threat_for(shell))

    assert status == "failed"
    assert "inside the web root" in summary["error"]
    assert shell.exists()
