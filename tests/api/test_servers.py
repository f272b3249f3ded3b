"""Servers: registration, status, sites, and who may see them."""

from __future__ import annotations

import httpx

from tests.conftest import MakeServer, MakeUser


def test_registered_server_is_pending_until_its_agent_checks_in(
    client: httpx.Client, make_user: MakeUser, make_server: MakeServer
) -> None:
    user = make_user()
    response = client.post(
        "/v1/servers/register",
        json={
            "name": "web-1",
            "hostname": "web-1.example.net",
            "labels": {"dc": "ams"},
        },
        headers=user.headers,
    )

    assert response.status_code == 201
    body = response.json()
    assert body["server"]["id"].startswith("srv_")
    assert body["server"]["status"] == "pending"
    assert body["agent_token"].startswith("cs_agent_")
    assert body["agent_token"] in body["install_command"]

    checkin = client.post(
        "/v1/agent/checkin",
        json={
            "agent_version": "0.1.0",
            "sites": [
                {"path": "/var/www/a", "cms": "wordpress", "cms_version": "6.1.9"}
            ],
        },
        headers={"Authorization": f"Bearer {body['agent_token']}"},
    )
    assert checkin.status_code == 200

    listed = client.get("/v1/servers", headers=user.headers).json()
    assert listed["next_cursor"] is None
    [server] = listed["data"]
    assert server["status"] == "online"
    assert server["site_count"] == 1
    assert server["agent_version"] == "0.1.0"
    assert "agent_token" not in server

    detail = client.get(f"/v1/servers/{server['id']}", headers=user.headers).json()
    assert [site["cms_version"] for site in detail["sites"]] == ["6.1.9"]
    assert detail["sites"][0]["id"].startswith("site_")


def test_another_account_cannot_see_a_server(
    client: httpx.Client, make_user: MakeUser, make_server: MakeServer
) -> None:
    owner, stranger = make_user(), make_user()
    server = make_server(owner)

    response = client.get(f"/v1/servers/{server.id}", headers=stranger.headers)

    assert response.status_code == 404
    assert client.get("/v1/servers", headers=stranger.headers).json()["data"] == []


def test_agent_tokens_and_user_tokens_stay_on_their_own_routes(
    client: httpx.Client, make_user: MakeUser, make_server: MakeServer
) -> None:
    user = make_user()
    server = make_server(user)

    as_agent = client.get("/v1/servers", headers=server.agent_headers)
    as_user = client.post("/v1/agent/checkin", json={}, headers=user.headers)

    assert as_agent.status_code == 403
    assert as_user.status_code == 403


def test_servers_page_through_with_a_cursor(
    client: httpx.Client, make_user: MakeUser, make_server: MakeServer
) -> None:
    user = make_user()
    created = {make_server(user, name=f"web-{number}").id for number in range(5)}

    seen: list[str] = []
    cursor = None
    while True:
        params = {"limit": 2} | ({"cursor": cursor} if cursor else {})
        page = client.get("/v1/servers", params=params, headers=user.headers).json()
        assert len(page["data"]) <= 2
        seen.extend(server["id"] for server in page["data"])
        cursor = page["next_cursor"]
        if cursor is None:
            break

    assert sorted(seen) == sorted(created)
