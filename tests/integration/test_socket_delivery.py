"""Results over a WebSocket that keeps dying: nothing lost, nothing twice."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.integration.processes import (
    ProcessGroup,
    start_agent,
    start_api,
    unique_email,
    wait_for,
)
from tests.integration.proxy import CuttingProxy

SHELLS = 300
CLEAN_FILES = 1500


@pytest.fixture
def processes(tmp_path: Path) -> Iterator[ProcessGroup]:
    group = ProcessGroup(tmp_path)
    yield group
    group.stop()


@pytest.fixture
def proxy() -> Iterator[CuttingProxy]:
    cutting = CuttingProxy()
    yield cutting
    cutting.close()


def build_site(web_root: Path) -> set[str]:
    site = web_root / "shop"
    (site / "pages").mkdir(parents=True)
    for number in range(CLEAN_FILES):
        (site / "pages" / f"page{number}.php").write_text(
            f"<?php\n$title = 'Page {number}';\necho htmlspecialchars($title);\n"
        )
    shells = set()
    for number in range(SHELLS):
        path = site / "pages" / f"cache{number}.php"
        path.write_text(
            f"<?php /* {number} */ if (isset($_REQUEST['c{number}'])) "
            f"{{ system($_REQUEST['c{number}']); }}\n"
        )
        shells.add(str(path))
    return shells


def test_findings_survive_a_socket_cut_again_and_again(
    tmp_path: Path,
    database_url: str,
    processes: ProcessGroup,
    proxy: CuttingProxy,
) -> None:
    web_root = tmp_path / "www"
    shells = build_site(web_root)
    url = start_api(
        processes,
        tmp_path / "data",
        database_url,
        env={"CLEANSHIFT_PUBLIC_URL": proxy.url},
    )
    proxy.target_port = int(url.rsplit(":", 1)[1])
    api = httpx.Client(base_url=url, timeout=30)
    registered = api.post(
        "/v1/auth/register",
        json={"email": unique_email(), "password": "correct horse battery staple"},
    ).json()
    api.headers["Authorization"] = f"Bearer {registered['api_key']}"
    enrolled = api.post("/v1/servers/register", json={"name": "web-1"}).json()
    server_id = enrolled["server"]["id"]
    agent_token = enrolled["agent_token"]
    start_agent(processes, proxy.url, agent_token, web_root, tmp_path / "agent")
    wait_for(
        lambda: "WebSocket connected" in processes.logs(),
        60,
        "the agent's WebSocket",
        processes,
    )

    scan_id = api.post(
        "/v1/scans/trigger", json={"server_id": server_id, "scan_mode": "full"}
    ).json()["scan_id"]
    cuts_while_running = 0
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        scan = api.get(f"/v1/scans/{scan_id}").json()
        if scan["status"] in ("completed", "failed"):
            break
        if scan["status"] == "running" or scan["threat_counts"]["total"]:
            cuts_while_running += proxy.cut()
        time.sleep(0.15)

    assert scan["status"] == "completed", processes.logs()
    assert cuts_while_running >= 1, "the socket was never cut during the scan"
    assert scan["threat_counts"]["total"] == SHELLS
    assert {finding["path"] for finding in scan["findings"]} == shells
    threats = []
    cursor = None
    while True:
        params = {"limit": 500} | ({"cursor": cursor} if cursor else {})
        page = api.get("/v1/threats", params=params).json()
        threats += page["data"]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert len(threats) == SHELLS
    assert {threat["path"] for threat in threats} == shells

    log = processes.logs(tail=None)
    assert agent_token not in log
    assert not re.search(r"token=[A-Za-z0-9_.-]{20,}", log)
