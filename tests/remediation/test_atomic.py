"""Crash safety: a write or a quarantine killed at any moment loses nothing."""

from __future__ import annotations

import hashlib
import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cleanshift.remediation import RemediationContext
from cleanshift.remediation.atomic import write_atomic
from tests.remediation.conftest import (
    BLOG_HEADER,
    INJECTED_FIRST_LINE,
    Run,
    Snapshot,
    threat_for,
    write,
)

SIZE = 24 * 1024 * 1024
WRITER = """
import sys, time
from cleanshift.remediation.atomic import write_atomic

def chunks():
    for _ in range({size} // (1024 * 1024)):
        time.sleep(0.002)
        yield b"B" * (1024 * 1024)

sys.stdout.write("go\\n"); sys.stdout.flush()
write_atomic(sys.argv[1].encode(), chunks())
"""
QUARANTINER = """
import json, sys
from pathlib import Path
from cleanshift.remediation import RemediationContext, execute_remediation

payload = json.loads(sys.argv[1])
context = RemediationContext(state_dir=Path(sys.argv[2]), web_roots=[Path(sys.argv[3])])
sys.stdout.write("go\\n"); sys.stdout.flush()
execute_remediation("remediate", payload, context)
"""


def run_and_kill(code: str, *arguments: str, seed: int, delay: float = 0.15) -> None:
    """Start ``code`` in a child, SIGKILL it at a random moment after it starts."""
    child = subprocess.Popen(
        [sys.executable, "-c", code, *arguments], stdout=subprocess.PIPE
    )
    assert child.stdout is not None
    assert child.stdout.readline() == b"go\n"
    time.sleep(random.Random(seed).uniform(0, delay))
    child.send_signal(signal.SIGKILL)
    child.wait()


def test_failure_between_write_and_rename_leaves_the_old_file(
    site: Path, remediate: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(site, "wp-blog-header.php", INJECTED_FIRST_LINE + BLOG_HEADER)
    before = Snapshot.of(path)

    real_replace = os.replace

    def fail(source: bytes, target: bytes) -> None:
        # Only the site file's rename fails: the copy kept for undo is made.
        if target == os.fsencode(path):
            raise OSError(28, "No space left on device")
        real_replace(source, target)

    monkeypatch.setattr(os, "replace", fail)
    status, summary = remediate("clean", threat_for(path))
    monkeypatch.undo()

    assert status == "failed"
    assert "No space left on device" in summary["error"]
    assert Snapshot.of(path) == before
    assert sorted(os.listdir(site)) == [
        "index.php",
        "wp-blog-header.php",
        "wp-content",
        "wp-includes",
    ]


@pytest.mark.parametrize("seed", range(8))
def test_killed_writer_leaves_old_or_new_never_torn(tmp_path: Path, seed: int) -> None:
    target = tmp_path / "big.bin"
    target.write_bytes(b"A" * SIZE)

    run_and_kill(WRITER.format(size=SIZE), str(target), seed=seed)

    data = target.read_bytes()
    assert data in (b"A" * SIZE, b"B" * SIZE)
    write_atomic(os.fsencode(target), [b"C"])
    assert os.listdir(tmp_path) == ["big.bin"]


@pytest.mark.parametrize("seed", range(6))
def test_killed_quarantine_loses_nothing_and_resumes(
    site: Path, context: RemediationContext, remediate: Run, seed: int
) -> None:
    shell = site / "wp-content/uploads/big.php"
    shell.parent.mkdir(parents=True)
    content = b"<?php system($_GET['c']); /*" + os.urandom(SIZE) + b"*/\n"
    shell.write_bytes(content)
    digest = hashlib.sha256(content).hexdigest()
    remediation_id = f"rem_kill{seed}"
    threat = threat_for(shell)
    payload = {
        "remediation_id": remediation_id,
        "playbook": "quarantine",
        "dry_run": False,
        "threat": threat,
    }

    run_and_kill(
        QUARANTINER,
        json.dumps(payload),
        str(context.state_dir),
        str(context.web_roots[0]),
        seed=seed,
        delay=0.6,
    )

    entry = context.state_dir / "quarantine" / remediation_id
    record_path = entry / "file.json"
    if shell.exists():
        assert shell.read_bytes() == content
    else:
        record = json.loads(record_path.read_text())
        assert record["sha256"] == digest
        assert hashlib.sha256((entry / "file.blob").read_bytes()).hexdigest() == digest
    if record_path.exists():
        blob = (entry / "file.blob").read_bytes()
        assert hashlib.sha256(blob).hexdigest() == digest

    # The control plane sends the command again; the second run finishes.
    status, summary = remediate("quarantine", threat, rid=remediation_id)
    assert status == "completed", summary
    assert not shell.exists()
    assert hashlib.sha256((entry / "file.blob").read_bytes()).hexdigest() == digest
