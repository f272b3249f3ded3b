"""Rate limits as a client meets them: headers, 429, Retry-After."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from cleanshift.settings import Settings
from tests.conftest import MakeUser


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """The contract's limits, scaled down so a test reaches them quickly."""
    return settings.model_copy(
        update={
            "rate_limit_token": "5/minute",
            "rate_limit_anonymous": "8/minute",
            "rate_limit_login_failures": "3/hour",
        }
    )


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    # Limits live in the API process, not the database: SQLite suffices.
    return f"sqlite:///{tmp_path}/limits.db"


def test_every_answer_carries_the_limit_headers_and_429_says_when(
    client: httpx.Client, make_user: MakeUser
) -> None:
    user = make_user()

    answers = [client.get("/v1/servers", headers=user.headers) for _ in range(6)]

    assert [answer.status_code for answer in answers] == [200] * 5 + [429]
    assert [answer.headers["X-RateLimit-Remaining"] for answer in answers[:5]] == [
        "4",
        "3",
        "2",
        "1",
        "0",
    ]
    assert all(answer.headers["X-RateLimit-Limit"] == "5" for answer in answers)
    limited = answers[-1]
    assert 1 <= int(limited.headers["Retry-After"]) <= 60
    assert int(limited.headers["X-RateLimit-Reset"]) > 0
    assert limited.json()["error"]["code"] == "rate_limited"


def test_each_token_has_its_own_budget(
    client: httpx.Client, make_user: MakeUser
) -> None:
    first, second = make_user(), make_user()
    for _ in range(5):
        client.get("/v1/servers", headers=first.headers)

    assert client.get("/v1/servers", headers=first.headers).status_code == 429
    assert client.get("/v1/servers", headers=second.headers).status_code == 200


def test_unauthenticated_requests_are_limited_per_address(
    client: httpx.Client,
) -> None:
    answers = [
        client.post(
            "/v1/auth/login", json={"email": f"u{n}@example.com", "password": "x"}
        )
        for n in range(9)
    ]

    assert [answer.status_code for answer in answers] == [401] * 8 + [429]


def test_failed_logins_are_limited_per_email(
    client: httpx.Client, make_user: MakeUser
) -> None:
    user = make_user()
    for _ in range(3):
        wrong = client.post(
            "/v1/auth/login", json={"email": user.email, "password": "guess guess 1"}
        )
        assert wrong.status_code == 401

    blocked = client.post(
        "/v1/auth/login", json={"email": user.email, "password": user.password}
    )

    assert blocked.status_code == 429
    assert "Retry-After" in blocked.headers
