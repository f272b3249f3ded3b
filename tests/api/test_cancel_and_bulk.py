"""Cancelling scans and changing many threats at once."""

from __future__ import annotations

import httpx

from tests.api.test_scans import SITE, checkin, run_scan, trigger, webshell_finding
from tests.conftest import MakeServer, MakeUser


def test_cancelling_a_queued_scan_keeps_it_from_the_agent(
    client: httpx.Client, make_user: MakeUser, make_server: MakeServer
) -> None:
    user = make_user()
    server = make_server(user)
    scan_id = trigger(client, user, server)["scan_id"]

    cancelled = client.post(f"/v1/scans/{scan_id}/cancel", headers=user.headers)

    assert cancelled.status_code == 200
    assert cancelled.json()["status"] == "cancelled"
    assert checkin(client, server, [])["commands"] == []
    again = client.post(f"/v1/scans/{scan_id}/cancel", headers=user.headers)
    assert again.status_code == 409


def test_cancelling_a_running_scan_tells_the_agent_and_ignores_late_results(
    client: httpx.Client, make_user: MakeUser, make_server: MakeServer
) -> None:
    user = make_user()
    server = make_server(user)
    scan_id = trigger(client, user, server, scan_mode="full")["scan_id"]
    [command] = checkin(client, server, [])["commands"]
    checkin(
        client,
        server,
        [
            {
                "type": "progress",
                "scan_id": scan_id,
                "files_total": 9,
                "files_scanned": 1,
            }
        ],
    )

    client.post(f"/v1/scans/{scan_id}/cancel", headers=user.headers)
    [cancel] = checkin(client, server, [])["commands"]
    assert cancel["type"] == "cancel"
    assert cancel["payload"] == {
        "scan_id": scan_id,
        "command_id": command["command_id"],
    }

    checkin(
        client,
        server,
        [
            {
                "type": "finding",
                "scan_id": scan_id,
                "finding": webshell_finding(f"{SITE}/late.php"),
            },
            {
                "type": "result",
                "command_id": command["command_id"],
                "scan_id": scan_id,
                "status": "completed",
                "summary": {},
            },
        ],
    )
    scan = client.get(f"/v1/scans/{scan_id}", headers=user.headers).json()
    assert scan["status"] == "cancelled"
    assert scan["findings"] == []


def test_bulk_update_changes_mine_and_reports_the_rest(
    client: httpx.Client, make_user: MakeUser, make_server: MakeServer
) -> None:
    owner, stranger = make_user(), make_user()
    server = make_server(owner)
    run_scan(
        client,
        owner,
        server,
        [webshell_finding(f"{SITE}/a.php"), webshell_finding(f"{SITE}/b.php")],
    )
    mine = [
        t["id"] for t in client.get("/v1/threats", headers=owner.headers).json()["data"]
    ]

    response = client.patch(
        "/v1/threats",
        json={"ids": [*mine, "thr_doesnotexist00"], "status": "acknowledged"},
        headers=owner.headers,
    )
    foreign = client.patch(
        "/v1/threats",
        json={"ids": mine, "status": "resolved"},
        headers=stranger.headers,
    )

    assert response.status_code == 200
    assert sorted(t["id"] for t in response.json()["updated"]) == sorted(mine)
    assert [error["id"] for error in response.json()["errors"]] == [
        "thr_doesnotexist00"
    ]
    assert foreign.json()["updated"] == []
    assert len(foreign.json()["errors"]) == 2
    statuses = {
        t["status"]
        for t in client.get("/v1/threats", headers=owner.headers).json()["data"]
    }
    assert statuses == {"acknowledged"}


def test_bulk_update_needs_between_one_and_a_thousand_ids(
    client: httpx.Client, make_user: MakeUser
) -> None:
    user = make_user()

    empty = client.patch(
        "/v1/threats", json={"ids": [], "status": "resolved"}, headers=user.headers
    )
    too_many = client.patch(
        "/v1/threats",
        json={"ids": [f"thr_{n:012d}" for n in range(1001)], "status": "resolved"},
        headers=user.headers,
    )

    assert empty.status_code == 422
    assert too_many.status_code == 422
