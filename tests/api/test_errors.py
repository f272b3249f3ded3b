"""Every error has the one shape, and bad input never causes a 500."""

from __future__ import annotations

import base64

import httpx

from tests.conftest import MakeUser


def assert_error_shape(body: dict[str, object], code: str) -> None:
    assert set(body) == {"error"}
    error = body["error"]
    assert isinstance(error, dict)
    assert error["code"] == code
    assert isinstance(error["message"], str)
    assert error["message"]
    assert isinstance(error["details"], list)


def test_unknown_route_and_method(client: httpx.Client) -> None:
    missing = client.get("/v1/no-such-thing")
    wrong_method = client.delete("/v1/health")

    assert missing.status_code == 404
    assert_error_shape(missing.json(), "not_found")
    assert wrong_method.status_code == 405
    assert_error_shape(wrong_method.json(), "method_not_allowed")


def test_malformed_json_is_a_400(client: httpx.Client, make_user: MakeUser) -> None:
    user = make_user()

    response = client.post(
        "/v1/scans/trigger",
        content=b'{"server_id": ',
        headers={**user.headers, "Content-Type": "application/json"},
    )

    assert response.status_code == 400
    assert_error_shape(response.json(), "bad_request")


def test_validation_errors_name_the_field(
    client: httpx.Client, make_user: MakeUser
) -> None:
    user = make_user()

    response = client.post(
        "/v1/scans/trigger",
        json={"server_id": "srv_x", "scan_mode": "thorough"},
        headers=user.headers,
    )

    assert response.status_code == 422
    assert_error_shape(response.json(), "validation_error")
    assert response.json()["error"]["details"][0]["field"] == "body.scan_mode"


def test_oversized_body_is_a_413(client: httpx.Client) -> None:
    response = client.post(
        "/v1/auth/login",
        content=b"x" * (17 * 1024 * 1024),
        headers={"Content-Type": "application/json"},
    )

    assert response.status_code == 413
    assert_error_shape(response.json(), "payload_too_large")


def test_bad_cursor_is_a_400(client: httpx.Client, make_user: MakeUser) -> None:
    user = make_user()

    response = client.get("/v1/threats?cursor=not-a-cursor", headers=user.headers)

    assert response.status_code == 400
    assert_error_shape(response.json(), "bad_request")


def test_health_answers_without_auth(client: httpx.Client) -> None:
    response = client.get("/v1/health")

    assert response.status_code == 200
    assert response.json()["status"] == "ok"


def test_a_forged_cursor_without_a_time_zone_is_a_400(
    client: httpx.Client, make_user: MakeUser
) -> None:
    user = make_user()
    forged = base64.urlsafe_b64encode(b'["2024-01-01T00:00:00", "x"]').decode()

    response = client.get(f"/v1/servers?cursor={forged}", headers=user.headers)

    assert response.status_code == 400
    assert_error_shape(response.json(), "bad_request")
