"""Rotating a server's agent token, deleting a server, the installer."""

from __future__ import annotations

import httpx

from tests.api.test_scans import SITE, run_scan, webshell_finding
from tests.conftest import MakeServer, MakeUser


def test_rotated_token_replaces_the_old_one(
    client: httpx.Client, make_user: MakeUser, make_server: MakeServer
) -> None:
    user = make_user()
    server = make_server(user)

    rotated = client.post(f"/v1/servers/{server.id}/rotate-token", headers=user.headers)

    assert rotated.status_code == 200
    new_token = rotated.json()["agent_token"]
    assert new_token != server.agent_token
    assert new_token in rotated.json()["install_command"]
    old = client.post("/v1/agent/checkin", json={}, headers=server.agent_headers)
    new = client.post(
        "/v1/agent/checkin", json={}, headers={"Authorization": f"Bearer {new_token}"}
    )
    assert old.status_code == 401
    assert new.status_code == 200


def test_deleting_a_server_removes_its_threats_and_revokes_its_agent(
    client: httpx.Client, make_user: MakeUser, make_server: MakeServer
) -> None:
    user = make_user()
    server = make_server(user)
    scan_id = run_scan(client, user, server, [webshell_finding(f"{SITE}/x.php")])

    deleted = client.delete(f"/v1/servers/{server.id}", headers=user.headers)

    assert deleted.status_code == 204
    assert (
        client.get(f"/v1/servers/{server.id}", headers=user.headers).status_code == 404
    )
    assert client.get(f"/v1/scans/{scan_id}", headers=user.headers).status_code == 404
    assert client.get("/v1/threats", headers=user.headers).json()["data"] == []
    checkin = client.post("/v1/agent/checkin", json={}, headers=server.agent_headers)
    assert checkin.status_code == 401


def test_installer_is_served_without_auth(client: httpx.Client) -> None:
    response = client.get("/v1/agent/install.sh")

    assert response.status_code == 200
    assert response.text.startswith("#!/bin/sh")
    assert "cleanshift agent run" in response.text


def test_checkin_hands_out_a_websocket_address_and_token(
    client: httpx.Client, make_user: MakeUser, make_server: MakeServer
) -> None:
    user = make_user()
    server = make_server(user)

    answer = client.post("/v1/agent/checkin", json={}, headers=server.agent_headers)

    body = answer.json()
    assert body["ws_url"].endswith("/v1/ws/agent")
    assert body["ws_url"].startswith("ws")
    assert body["ws_token"].count(".") == 2
    as_bearer = client.get(
        "/v1/servers", headers={"Authorization": f"Bearer {body['ws_token']}"}
    )
    assert as_bearer.status_code == 401
