"""Two API processes behind one address share limits and reach any agent."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import redis

from tests.integration.processes import (
    ProcessGroup,
    start_agent,
    start_api,
    unique_email,
    wait_for,
)

REDIS_URL = "redis://127.0.0.1:6379/0"


@pytest.fixture
def processes(tmp_path: Path) -> Iterator[ProcessGroup]:
    group = ProcessGroup(tmp_path)
    yield group
    group.stop()


@pytest.fixture
def redis_url() -> str:
    redis.Redis.from_url(REDIS_URL).ping()
    return REDIS_URL


def register(url: str) -> tuple[httpx.Client, str, str]:
    api = httpx.Client(base_url=url, timeout=30)
    body = api.post(
        "/v1/auth/register",
        json={
            "email": unique_email(),
            "password": "correct horse battery staple",
        },
    ).json()
    api.headers["Authorization"] = f"Bearer {body['api_key']}"
    server = api.post("/v1/servers/register", json={"name": "web-1"}).json()
    return api, server["server"]["id"], server["agent_token"]


def test_the_token_limit_holds_across_two_processes(
    tmp_path: Path, processes: ProcessGroup, redis_url: str
) -> None:
    database = f"sqlite:///{tmp_path / 'shared.db'}"
    limits = {
        "CLEANSHIFT_REDIS_URL": redis_url,
        "CLEANSHIFT_RATE_LIMIT_TOKEN": "10/minute",
    }
    first = start_api(processes, tmp_path / "a", database, env=limits, name="api-a")
    second = start_api(processes, tmp_path / "b", database, env=limits, name="api-b")
    api, _, _ = register(first)
    token = api.headers["Authorization"]

    codes = []
    for number in range(12):
        url = first if number % 2 == 0 else second
        codes.append(
            httpx.get(f"{url}/v1/servers", headers={"Authorization": token}).status_code
        )

    # The key already made one call (registering the server), so nine more
    # pass; with a counter per process, all twelve would.
    assert codes == [200] * 9 + [429] * 3


def test_a_command_reaches_the_agent_through_the_other_process(
    tmp_path: Path,
    processes: ProcessGroup,
    redis_url: str,
    postgres_url: str,
) -> None:
    shared = {"CLEANSHIFT_REDIS_URL": redis_url, "CLEANSHIFT_JWT_SECRET": "s" * 64}
    holder = start_api(
        processes, tmp_path / "a", postgres_url, env=shared, name="api-a"
    )
    other = start_api(processes, tmp_path / "b", postgres_url, env=shared, name="api-b")
    api, server_id, agent_token = register(other)
    web_root = tmp_path / "www" / "site"
    web_root.mkdir(parents=True)
    (web_root / "index.php").write_text("<?php echo 'hi';\n")
    # A long check-in interval: only the socket can bring the command quickly.
    start_agent(
        processes,
        holder,
        agent_token,
        web_root.parent,
        tmp_path / "agent",
        interval=120,
    )
    wait_for(
        lambda: "WebSocket connected" in processes.logs(), 60, "the socket", processes
    )

    started = time.monotonic()
    scan_id = api.post(
        "/v1/scans/trigger", json={"server_id": server_id, "scan_mode": "full"}
    ).json()["scan_id"]

    def done() -> bool:
        return bool(api.get(f"/v1/scans/{scan_id}").json()["status"] == "completed")

    wait_for(done, 30, "the scan pushed through the other process", processes)
    assert time.monotonic() - started < 30
