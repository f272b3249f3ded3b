"""API keys and login sessions: create, list, revoke, log out."""

from __future__ import annotations

import httpx

from tests.conftest import MakeUser


def login(client: httpx.Client, email: str, password: str) -> dict[str, str]:
    response = client.post(
        "/v1/auth/login", json={"email": email, "password": password}
    )
    assert response.status_code == 200, response.text
    body: dict[str, str] = response.json()
    return body


def test_api_keys_are_listed_without_secrets_and_die_when_revoked(
    client: httpx.Client, make_user: MakeUser
) -> None:
    user = make_user()

    created = client.post(
        "/v1/auth/api-keys", json={"name": "ci deploy"}, headers=user.headers
    )
    assert created.status_code == 201
    secret = created.json()["api_key"]
    key_id = created.json()["id"]
    new_headers = {"Authorization": f"Bearer {secret}"}
    assert client.get("/v1/servers", headers=new_headers).status_code == 200

    listed = client.get("/v1/auth/api-keys", headers=user.headers).json()["data"]
    assert {key["name"] for key in listed} == {"initial key", "ci deploy"}
    assert secret not in str(listed)
    assert user.api_key not in str(listed)

    revoked = client.delete(f"/v1/auth/api-keys/{key_id}", headers=user.headers)
    assert revoked.status_code == 204
    assert client.get("/v1/servers", headers=new_headers).status_code == 401


def test_someone_elses_api_key_cannot_be_revoked(
    client: httpx.Client, make_user: MakeUser
) -> None:
    owner, stranger = make_user(), make_user()
    [key] = client.get("/v1/auth/api-keys", headers=owner.headers).json()["data"]

    response = client.delete(f"/v1/auth/api-keys/{key['id']}", headers=stranger.headers)

    assert response.status_code == 404
    assert client.get("/v1/servers", headers=owner.headers).status_code == 200


def test_logout_ends_the_access_and_the_refresh_token(
    client: httpx.Client, make_user: MakeUser
) -> None:
    user = make_user()
    tokens = login(client, user.email, user.password)
    headers = {"Authorization": f"Bearer {tokens['access_token']}"}

    assert client.post("/v1/auth/logout", headers=headers).status_code == 204

    assert client.get("/v1/auth/me", headers=headers).status_code == 401
    refreshed = client.post(
        "/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]}
    )
    assert refreshed.status_code == 401
    other_session = login(client, user.email, user.password)
    me = client.get(
        "/v1/auth/me",
        headers={"Authorization": f"Bearer {other_session['access_token']}"},
    )
    assert me.status_code == 200


def test_logout_with_an_api_key_says_how_to_revoke_it(
    client: httpx.Client, make_user: MakeUser
) -> None:
    user = make_user()

    response = client.post("/v1/auth/logout", headers=user.headers)

    assert response.status_code == 400
    assert "api-keys" in response.json()["error"]["message"]
