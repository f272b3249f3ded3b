"""Scans through their whole life: trigger, agent delivery, results, threats."""

from __future__ import annotations

from typing import Any

import httpx

from tests.conftest import MakeServer, MakeUser, ServerHandle, UserHandle

SITE = "/var/www/example.com"


def webshell_finding(path: str, sha256: str = "ab" * 32) -> dict[str, Any]:
    return {
        "path": path,
        "raw_path": None,
        "site_path": SITE,
        "rule": "php_command_execution_from_request",
        "severity": "critical",
        "type": "malware",
        "family": "webshell",
        "title": "Runs shell commands taken from the request",
        "sha256": sha256,
        "line": 3,
        "offset": 40,
        "snippet": "system($_GET['c'])",
    }


def checkin(
    client: httpx.Client, server: ServerHandle, results: list[dict[str, Any]]
) -> dict[str, Any]:
    response = client.post(
        "/v1/agent/checkin",
        json={"sites": [{"path": SITE, "cms": "wordpress"}], "results": results},
        headers=server.agent_headers,
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def trigger(
    client: httpx.Client, user: UserHandle, server: ServerHandle, **extra: Any
) -> dict[str, Any]:
    response = client.post(
        "/scans/trigger", json={"server_id": server.id, **extra}, headers=user.headers
    )
    assert response.status_code == 202, response.text
    body: dict[str, Any] = response.json()
    return body


def run_scan(
    client: httpx.Client,
    user: UserHandle,
    server: ServerHandle,
    findings: list[dict[str, Any]],
    mode: str = "full",
) -> str:
    """Trigger a scan and play the agent's side of it over check-ins."""
    scan_id = trigger(client, user, server, scan_mode=mode)["scan_id"]
    [command] = [
        command
        for command in checkin(client, server, [])["commands"]
        if command["payload"]["scan_id"] == scan_id
    ]
    messages: list[dict[str, Any]] = [
        {"type": "ack", "command_id": command["command_id"]},
        {
            "type": "progress",
            "scan_id": scan_id,
            "files_total": 10,
            "files_scanned": 4,
            "bytes_scanned": 4000,
        },
    ]
    messages += [
        {"type": "finding", "scan_id": scan_id, "finding": finding}
        for finding in findings
    ]
    messages.append(
        {
            "type": "result",
            "command_id": command["command_id"],
            "scan_id": scan_id,
            "status": "completed",
            "summary": {
                "files_total": 10,
                "files_scanned": 10,
                "files_skipped": 1,
                "bytes_scanned": 10000,
                "duration": 0.5,
            },
        }
    )
    answer = checkin(client, server, messages)
    assert all(c["command_id"] != command["command_id"] for c in answer["commands"])
    return scan_id


def test_trigger_answers_as_the_reference_example(
    client: httpx.Client, make_user: MakeUser, make_server: MakeServer
) -> None:
    user = make_user()
    server = make_server(user)

    body = trigger(client, user, server, scan_mode="deep")

    assert body["scan_id"].startswith("scn_")
    assert body["status"] == "queued"
    assert body["estimated_duration"].endswith("s")
    scan = client.get(f"/v1/scans/{body['scan_id']}", headers=user.headers).json()
    assert scan["status"] == "queued"
    assert scan["scan_mode"] == "deep"


def test_default_mode_is_quick_and_the_agent_gets_the_command(
    client: httpx.Client, make_user: MakeUser, make_server: MakeServer
) -> None:
    user = make_user()
    server = make_server(user)

    scan_id = trigger(client, user, server)["scan_id"]
    commands = checkin(client, server, [])["commands"]

    assert [command["type"] for command in commands] == ["scan"]
    assert commands[0]["payload"] == {"scan_id": scan_id, "scan_mode": "quick"}


def test_idempotency_key_gives_back_the_same_scan(
    client: httpx.Client, make_user: MakeUser, make_server: MakeServer
) -> None:
    user = make_user()
    server = make_server(user)
    headers = {**user.headers, "Idempotency-Key": "retry-42"}

    first = client.post(
        "/v1/scans/trigger", json={"server_id": server.id}, headers=headers
    )
    second = client.post(
        "/v1/scans/trigger", json={"server_id": server.id}, headers=headers
    )

    assert first.json()["scan_id"] == second.json()["scan_id"]
    assert len(checkin(client, server, [])["commands"]) == 1


def test_scan_of_someone_elses_server_is_404(
    client: httpx.Client, make_user: MakeUser, make_server: MakeServer
) -> None:
    owner, stranger = make_user(), make_user()
    server = make_server(owner)

    response = client.post(
        "/v1/scans/trigger", json={"server_id": server.id}, headers=stranger.headers
    )

    assert response.status_code == 404
    assert server.id in response.json()["error"]["message"]


def test_results_complete_the_scan_with_findings_and_counts(
    client: httpx.Client, make_user: MakeUser, make_server: MakeServer
) -> None:
    user = make_user()
    server = make_server(user)

    scan_id = run_scan(client, user, server, [webshell_finding(f"{SITE}/shell.php")])

    scan = client.get(f"/v1/scans/{scan_id}", headers=user.headers).json()
    assert scan["status"] == "completed"
    assert scan["started_at"] is not None
    assert scan["finished_at"] is not None
    assert scan["duration"] is not None
    assert scan["progress"] == {
        "files_total": 10,
        "files_scanned": 10,
        "files_skipped": 1,
        "bytes_scanned": 10000,
    }
    assert scan["threat_counts"] == {
        "critical": 1,
        "high": 0,
        "medium": 0,
        "low": 0,
        "total": 1,
    }
    [finding] = scan["findings"]
    assert finding["path"] == f"{SITE}/shell.php"
    assert finding["threat_id"].startswith("thr_")
    assert finding["site_id"].startswith("site_")
    assert finding["line"] == 3


def test_a_result_delivered_twice_changes_nothing(
    client: httpx.Client, make_user: MakeUser, make_server: MakeServer
) -> None:
    user = make_user()
    server = make_server(user)
    scan_id = trigger(client, user, server, scan_mode="full")["scan_id"]
    [command] = checkin(client, server, [])["commands"]
    messages = [
        {
            "type": "finding",
            "scan_id": scan_id,
            "finding": webshell_finding(f"{SITE}/a.php"),
        },
        {
            "type": "result",
            "command_id": command["command_id"],
            "scan_id": scan_id,
            "status": "completed",
            "summary": {"files_scanned": 3, "duration": 0.1},
        },
    ]

    checkin(client, server, messages)
    first = client.get(f"/v1/scans/{scan_id}", headers=user.headers).json()
    checkin(client, server, messages)
    second = client.get(f"/v1/scans/{scan_id}", headers=user.headers).json()

    assert first == second
    threats = client.get("/v1/threats", headers=user.headers).json()["data"]
    assert len(threats) == 1


def test_scans_list_filters_by_status(
    client: httpx.Client, make_user: MakeUser, make_server: MakeServer
) -> None:
    user = make_user()
    server = make_server(user)
    done = run_scan(client, user, server, [])
    queued = trigger(client, user, server)["scan_id"]

    completed = client.get("/v1/scans?status=completed", headers=user.headers).json()
    waiting = client.get("/v1/scans?status=queued", headers=user.headers).json()

    assert [scan["scan_id"] for scan in completed["data"]] == [done]
    assert [scan["scan_id"] for scan in waiting["data"]] == [queued]
