"""Remediation over real processes: API, agent, a site on disk, and SIGKILL.

A real ``cleanshift serve`` and ``cleanshift agent run`` scan a site built
here; the API's remediate and rollback routes then drive the agent's
playbooks, and the files on disk are checked byte for byte, with their
mode, owner and mtime. The last test kills the agent at random moments in
the middle of quarantining a large file and shows that nothing is lost.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import signal
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from cleanshift.remediation import PristineStore
from tests.integration.processes import ProcessGroup
from tests.remediation.conftest import (
    BLOG_HEADER,
    INJECTED_FIRST_LINE,
    PLUGIN_MAIN,
    VERSION_PHP,
    WEBSHELL,
    Snapshot,
    give_away,
    write,
)
from tests.remediation.fleet import Fleet, import_feed

# Under the scan's 64 MiB limit, and big enough that copying takes a while.
BIG_SIZE = 60 * 1024 * 1024


@pytest.fixture
def processes(tmp_path: Path) -> Iterator[ProcessGroup]:
    group = ProcessGroup(tmp_path)
    yield group
    group.stop()


def by_path(threats: list[dict[str, Any]], path: Path) -> dict[str, Any]:
    [threat] = [threat for threat in threats if threat["path"] == str(path)]
    return threat


def test_quarantine_and_clean_through_the_api(
    tmp_path: Path, database_url: str, processes: ProcessGroup
) -> None:
    site = tmp_path / "www" / "example.com"
    write(site, "wp-includes/version.php", VERSION_PHP)
    write(site, "index.php", b"<?php\nrequire __DIR__ . '/wp-blog-header.php';\n")
    header = write(site, "wp-blog-header.php", INJECTED_FIRST_LINE + BLOG_HEADER)
    shell = write(site, "wp-content/uploads/2024/05/shell.php", WEBSHELL)
    for path in (header, shell):
        give_away(path)
    originals = {path: Snapshot.of(path) for path in (header, shell)}
    fleet = Fleet(tmp_path, processes, database_url)

    threats = fleet.scan()
    assert {threat["path"] for threat in threats} == {str(header), str(shell)}

    # A dry run reports the plan and changes nothing.
    planned = fleet.remediate(by_path(threats, header)["id"], "clean", dry_run=True)
    dry = fleet.wait_status(planned, "completed", "failed")
    assert dry["status"] == "completed", dry
    assert any(step.get("dry_run") for step in dry["steps"])
    assert Snapshot.of(header) == originals[header]

    for path, playbook in ((shell, "quarantine"), (header, "clean")):
        threat = by_path(threats, path)
        remediation_id = fleet.remediate(threat["id"], playbook)

        done = fleet.wait_status(remediation_id, "completed", "failed")
        assert done["status"] == "completed", done
        assert done["can_rollback"] is True
        assert fleet.threat(threat["id"])["status"] == "resolved"
        if playbook == "quarantine":
            assert not path.exists()
        else:
            assert path.read_bytes() == BLOG_HEADER

        fleet.rollback(remediation_id)
        undone = fleet.wait_status(remediation_id, "rolled-back", "rollback-failed")
        assert undone["status"] == "rolled-back", undone
        assert Snapshot.of(path) == originals[path]
        assert fleet.threat(threat["id"])["status"] == "open"


def test_killing_the_agent_mid_quarantine_loses_nothing(
    tmp_path: Path, processes: ProcessGroup
) -> None:
    site = tmp_path / "www" / "example.com"
    write(site, "wp-includes/version.php", VERSION_PHP)
    content = b"<?php system($_GET['c']); /*" + os.urandom(BIG_SIZE) + b"*/\n"
    big = write(site, "wp-content/uploads/big.php", content)
    give_away(big)
    original = Snapshot.of(big)
    digest = hashlib.sha256(content).hexdigest()
    fleet = Fleet(tmp_path, processes, f"sqlite:///{tmp_path / 'cleanshift.db'}")
    [threat] = fleet.scan()
    chance = random.Random(7)

    for _ in range(3):
        remediation_id = fleet.remediate(threat["id"], "quarantine")
        entry = fleet.state_dir / "quarantine" / remediation_id
        wait_until(entry.exists, 60)
        kill_after(fleet, chance.uniform(0, 0.5))
        assert_nothing_lost(big, entry, digest, original)

        # The control plane sends the command again to the new agent.
        fleet.agent = fleet.start_agent()
        done = fleet.wait_status(remediation_id, "completed", "failed")
        assert done["status"] == "completed", done
        assert not big.exists()
        assert_complete_record(entry, digest)

        fleet.rollback(remediation_id)
        wait_until(lambda: any(site.rglob(".big.php.cleanshift-*")) or big.exists(), 60)
        kill_after(fleet, chance.uniform(0, 0.3))
        assert_nothing_lost(big, entry, digest, original)

        fleet.agent = fleet.start_agent()
        undone = fleet.wait_status(remediation_id, "rolled-back", "rollback-failed")
        assert undone["status"] == "rolled-back", undone
        assert Snapshot.of(big) == original
        assert fleet.threat(threat["id"])["status"] == "open"


def wait_until(condition: Any, timeout: float) -> None:
    """Poll ``condition`` closely, so a kill can land early in a step."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting for the agent to start the step")
        time.sleep(0.005)


def kill_after(fleet: Fleet, delay: float) -> None:
    time.sleep(delay)
    fleet.agent.send_signal(signal.SIGKILL)
    fleet.agent.wait()


def assert_nothing_lost(
    path: Path, entry: Path, digest: str, original: Snapshot
) -> None:
    """The file is whole at its path, or whole in quarantine with its record."""
    if path.exists():
        assert Snapshot.of(path) == original
    else:
        assert_complete_record(entry, digest)


def assert_complete_record(entry: Path, digest: str) -> None:
    record = json.loads((entry / "file.json").read_text())
    assert record["sha256"] == digest
    assert hashlib.sha256((entry / "file.blob").read_bytes()).hexdigest() == digest


def test_restore_and_disable_through_the_api(
    tmp_path: Path, database_url: str, processes: ProcessGroup
) -> None:
    release = tmp_path / "release"
    write(release, "wp-includes/version.php", VERSION_PHP)
    write(release, "wp-blog-header.php", BLOG_HEADER)
    PristineStore(tmp_path / "agent" / "pristine").add_tree(
        release, "wordpress", "6.1.9"
    )
    site = tmp_path / "www" / "example.com"
    write(site, "wp-includes/version.php", VERSION_PHP)
    header = write(site, "wp-blog-header.php", INJECTED_FIRST_LINE + BLOG_HEADER)
    give_away(header)
    original = Snapshot.of(header)
    plugin = site / "wp-content/plugins/contact-helper"
    write(plugin, "contact-helper.php", PLUGIN_MAIN)
    fleet = Fleet(tmp_path, processes, database_url)
    import_feed(processes, database_url, tmp_path / "feed.json")

    [malware] = [threat for threat in fleet.scan() if threat["type"] == "malware"]
    remediation_id = fleet.remediate(malware["id"], "restore")
    done = fleet.wait_status(remediation_id, "completed", "failed")
    assert done["status"] == "completed", done
    assert header.read_bytes() == BLOG_HEADER
    assert fleet.threat(malware["id"])["status"] == "resolved"
    fleet.rollback(remediation_id)
    assert (
        fleet.wait_status(remediation_id, "rolled-back", "rollback-failed")["status"]
        == "rolled-back"
    )
    assert Snapshot.of(header) == original

    [vulnerable] = fleet.api.get(
        "/v1/threats", params={"server_id": fleet.server_id, "type": "vulnerability"}
    ).json()["data"]
    answer = fleet.api.post(f"/v1/threats/{vulnerable['id']}/remediate", json={})
    assert answer.json()["playbook"] == "update-plugin"
    remediation_id = answer.json()["remediation_id"]
    done = fleet.wait_status(remediation_id, "completed", "failed")
    assert done["status"] == "completed", done
    assert done["steps"][0]["fallback"] == "WP-CLI not found; plugin disabled instead"
    assert not plugin.exists()
    assert fleet.threat(vulnerable["id"])["status"] == "resolved"
    fleet.rollback(remediation_id)
    assert (
        fleet.wait_status(remediation_id, "rolled-back", "rollback-failed")["status"]
        == "rolled-back"
    )
    assert (plugin / "contact-helper.php").read_bytes() == PLUGIN_MAIN
