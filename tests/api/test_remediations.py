"""Remediation requests: the playbook chosen, results, rollback."""

from __future__ import annotations

from typing import Any

import httpx

from tests.api.test_scans import SITE, checkin, run_scan, webshell_finding
from tests.conftest import MakeServer, MakeUser, ServerHandle, UserHandle


def open_threat(
    client: httpx.Client, user: UserHandle, server: ServerHandle, **finding: Any
) -> dict[str, Any]:
    run_scan(client, user, server, [webshell_finding(f"{SITE}/shell.php") | finding])
    [threat] = client.get("/v1/threats", headers=user.headers).json()["data"]
    return threat  # type: ignore[no-any-return]


def test_a_webshell_is_quarantined_and_resolved_when_the_agent_confirms(
    client: httpx.Client, make_user: MakeUser, make_server: MakeServer
) -> None:
    user = make_user()
    server = make_server(user)
    threat = open_threat(client, user, server)

    queued = client.post(
        f"/v1/threats/{threat['id']}/remediate", json={}, headers=user.headers
    )
    assert queued.status_code == 202
    assert queued.json()["playbook"] == "quarantine"
    assert queued.json()["status"] == "queued"
    remediation_id = queued.json()["remediation_id"]
    [command] = checkin(client, server, [])["commands"]
    assert command["type"] == "remediate"
    assert command["payload"]["threat"]["path"] == f"{SITE}/shell.php"

    result = {
        "type": "result",
        "command_id": command["command_id"],
        "remediation_id": remediation_id,
        "status": "completed",
        "summary": {
            "steps": [{"action": "moved to quarantine"}],
            "undo": {"quarantine_id": "q1"},
            "verified": True,
        },
    }
    checkin(client, server, [result, result])

    remediation = client.get(f"/v1/remediations/{remediation_id}", headers=user.headers)
    assert remediation.json()["status"] == "completed"
    assert remediation.json()["can_rollback"] is True
    assert remediation.json()["steps"] == [{"action": "moved to quarantine"}]
    resolved = client.get(f"/v1/threats/{threat['id']}", headers=user.headers).json()
    assert resolved["status"] == "resolved"

    rollback = client.post(
        f"/v1/remediations/{remediation_id}/rollback", headers=user.headers
    )
    assert rollback.status_code == 202
    assert rollback.json()["status"] == "rolling-back"
    [undo] = checkin(client, server, [])["commands"]
    assert undo["type"] == "rollback"
    assert undo["payload"]["undo"] == {"quarantine_id": "q1"}
    checkin(
        client,
        server,
        [
            {
                "type": "result",
                "command_id": undo["command_id"],
                "remediation_id": remediation_id,
                "status": "completed",
                "summary": {},
            }
        ],
    )
    after = client.get(
        f"/v1/remediations/{remediation_id}", headers=user.headers
    ).json()
    assert after["status"] == "rolled-back"
    reopened = client.get(f"/v1/threats/{threat['id']}", headers=user.headers).json()
    assert reopened["status"] == "open"


def test_playbook_follows_the_kind_of_threat(
    client: httpx.Client, make_user: MakeUser, make_server: MakeServer
) -> None:
    user = make_user()
    server = make_server(user)
    threat = open_threat(client, user, server, family="injected-script")

    queued = client.post(
        f"/v1/threats/{threat['id']}/remediate",
        json={"dry_run": True},
        headers=user.headers,
    )

    assert queued.json()["playbook"] == "clean"
    assert queued.json()["dry_run"] is True


def test_unknown_playbook_and_unfinished_rollback_are_refused(
    client: httpx.Client, make_user: MakeUser, make_server: MakeServer
) -> None:
    user = make_user()
    server = make_server(user)
    threat = open_threat(client, user, server)

    unknown = client.post(
        f"/v1/threats/{threat['id']}/remediate",
        json={"playbook": "rm-rf"},
        headers=user.headers,
    )
    queued = client.post(
        f"/v1/threats/{threat['id']}/remediate", json={}, headers=user.headers
    ).json()
    early = client.post(
        f"/v1/remediations/{queued['remediation_id']}/rollback", headers=user.headers
    )

    assert unknown.status_code == 422
    assert early.status_code == 409
