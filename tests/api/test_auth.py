"""Registration, login and tokens, as a user of the API meets them."""

from __future__ import annotations

import httpx
import jwt

from tests.conftest import MakeUser


def test_register_returns_user_and_a_working_api_key(client: httpx.Client) -> None:
    response = client.post(
        "/v1/auth/register",
        json={"email": "Owner@Example.com", "password": "a long passphrase 42"},
    )

    assert response.status_code == 201
    body = response.json()
    assert body["user"]["email"] == "owner@example.com"
    assert body["user"]["id"].startswith("usr_")
    assert body["api_key"].startswith("cs_live_")
    me = client.get(
        "/v1/auth/me", headers={"Authorization": f"Bearer {body['api_key']}"}
    )
    assert me.json()["user"]["id"] == body["user"]["id"]


def test_register_twice_with_one_email_is_a_conflict(
    client: httpx.Client, make_user: MakeUser
) -> None:
    user = make_user()

    response = client.post(
        "/v1/auth/register", json={"email": user.email, "password": "another one 1234"}
    )

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "conflict"


def test_weak_password_is_refused_with_the_reason(client: httpx.Client) -> None:
    response = client.post(
        "/v1/auth/register", json={"email": "x@example.com", "password": "short"}
    )

    assert response.status_code == 422
    assert "Password too weak" in response.json()["error"]["message"]


def test_login_gives_a_bearer_jwt_with_the_contract_claims(
    client: httpx.Client, make_user: MakeUser
) -> None:
    user = make_user()

    response = client.post(
        "/v1/auth/login", json={"email": user.email, "password": user.password}
    )

    assert response.status_code == 200
    body = response.json()
    assert body["token_type"] == "bearer"
    assert body["expires_in"] == 86400
    assert body["refresh_expires_in"] == 2592000
    claims = jwt.decode(body["access_token"], options={"verify_signature": False})
    assert {"sub", "exp", "iat", "jti", "typ"} <= claims.keys()
    assert claims["exp"] - claims["iat"] == 86400
    me = client.get(
        "/v1/auth/me", headers={"Authorization": f"Bearer {body['access_token']}"}
    )
    assert me.status_code == 200


def test_unknown_email_and_wrong_password_get_the_same_answer(
    client: httpx.Client, make_user: MakeUser
) -> None:
    user = make_user()

    wrong_password = client.post(
        "/v1/auth/login", json={"email": user.email, "password": "not the password"}
    )
    unknown_email = client.post(
        "/v1/auth/login",
        json={"email": "nobody@example.com", "password": "not the password"},
    )

    assert wrong_password.status_code == unknown_email.status_code == 401
    assert wrong_password.json() == unknown_email.json()


def test_refresh_rotates_and_a_reused_token_ends_the_session(
    client: httpx.Client, make_user: MakeUser
) -> None:
    user = make_user()
    first = client.post(
        "/v1/auth/login", json={"email": user.email, "password": user.password}
    ).json()

    second = client.post(
        "/v1/auth/refresh", json={"refresh_token": first["refresh_token"]}
    )
    assert second.status_code == 200
    reuse = client.post(
        "/v1/auth/refresh", json={"refresh_token": first["refresh_token"]}
    )
    assert reuse.status_code == 401

    newest = second.json()
    after_reuse = client.post(
        "/v1/auth/refresh", json={"refresh_token": newest["refresh_token"]}
    )
    assert after_reuse.status_code == 401
    me = client.get(
        "/v1/auth/me", headers={"Authorization": f"Bearer {newest['access_token']}"}
    )
    assert me.status_code == 401


def test_requests_without_or_with_a_bad_token_are_401(client: httpx.Client) -> None:
    missing = client.get("/v1/servers")
    forged = client.get("/v1/servers", headers={"Authorization": "Bearer cs_live_nope"})
    garbage = client.get("/v1/servers", headers={"Authorization": "Bearer a.b.c"})

    for response in (missing, forged, garbage):
        assert response.status_code == 401
        assert response.json()["error"]["code"] == "unauthorized"
