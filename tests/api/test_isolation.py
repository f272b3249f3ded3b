"""The tenant boundary: one account can neither see nor touch another's objects.

Account B tries every route that names an object, with account A's ids: each
try answers exactly as for an id that never existed, its body holds none of
A's data, and A's objects are as they were. The route tables below are
checked against the app's routes, so a new route that takes an object id
fails here until it is tried too.
"""

from __future__ import annotations

import secrets
import string
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from cleanshift.api.routes import api_router
from tests.api.test_scans import SITE, checkin, run_scan, trigger, webshell_finding
from tests.conftest import MakeServer, MakeUser, ServerHandle, UserHandle

# Path and query parameters that name an object, and the id prefix of each.
ID_PREFIXES = {
    "server_id": "srv",
    "site_id": "site",
    "scan_id": "scn",
    "threat_id": "thr",
    "remediation_id": "rem",
    "key_id": "key",
}


@dataclass(frozen=True)
class ObjectRouteTry:
    """A request on one object by its id in the path."""

    method: str
    path: str
    body: dict[str, Any] | None = None
    # Which of the owner's objects to name, when not the obvious one.
    objects: dict[str, str] = field(default_factory=dict)


OBJECT_ROUTES = [
    ObjectRouteTry("GET", "/servers/{server_id}"),
    ObjectRouteTry("DELETE", "/servers/{server_id}"),
    ObjectRouteTry("POST", "/servers/{server_id}/rotate-token"),
    ObjectRouteTry("GET", "/scans/{scan_id}"),
    # The queued scan: cancelling it would succeed if the boundary leaked.
    ObjectRouteTry(
        "POST", "/scans/{scan_id}/cancel", objects={"scan_id": "queued_scan_id"}
    ),
    ObjectRouteTry("GET", "/threats/{threat_id}"),
    ObjectRouteTry("PATCH", "/threats/{threat_id}", {"status": "resolved"}),
    ObjectRouteTry("POST", "/threats/{threat_id}/remediate", {}),
    ObjectRouteTry("GET", "/remediations/{remediation_id}"),
    ObjectRouteTry("POST", "/remediations/{remediation_id}/rollback"),
    ObjectRouteTry("DELETE", "/auth/api-keys/{key_id}"),
]

# (path, query parameter): list filters that take an object id.
ID_FILTERS = [
    ("/scans", "server_id"),
    ("/scans", "site_id"),
    ("/threats", "server_id"),
    ("/threats", "site_id"),
    ("/threats", "scan_id"),
]

# (method, path, body field): request bodies that name objects.
BODY_IDS = [
    ("POST", "/scans/trigger", "server_id"),
    ("POST", "/scans/trigger", "site_id"),
    ("PATCH", "/threats", "ids"),
]


@dataclass
class Account:
    """One account with one of everything, as its owner sees it."""

    user: UserHandle
    user_id: str
    account_id: str
    server: ServerHandle
    server_name: str
    site_id: str
    scan_id: str
    queued_scan_id: str
    threat_id: str
    finding_path: str
    remediation_id: str
    key_id: str
    key_secret: str

    def object_id(self, attribute: str) -> str:
        """The id of this account's object named by a route's parameter."""
        if attribute == "server_id":
            return self.server.id
        value = getattr(self, attribute)
        assert isinstance(value, str)
        return value

    def private_strings(self) -> set[str]:
        """What another account must never read in an answer."""
        return {
            self.user.email,
            self.user.api_key,
            self.user_id,
            self.account_id,
            self.server.id,
            self.server.agent_token,
            self.server_name,
            self.site_id,
            self.scan_id,
            self.queued_scan_id,
            self.threat_id,
            self.finding_path,
            self.remediation_id,
            self.key_id,
            self.key_secret,
        }


MakeAccount = Callable[[str], Account]


@pytest.fixture
def make_account(
    client: httpx.Client, make_user: MakeUser, make_server: MakeServer
) -> MakeAccount:
    """Factory: an account with a server, scans, a threat, a remediation, a key."""

    def factory(label: str) -> Account:
        tag = f"{label}-{secrets.token_hex(4)}"
        user = make_user()
        answer = client.get("/v1/auth/me", headers=user.headers)
        assert answer.status_code == 200, answer.text
        me = answer.json()["user"]
        server = make_server(user, name=f"{tag}-web")
        finding_path = f"{SITE}/{tag}-shell.php"
        scan_id = run_scan(client, user, server, [webshell_finding(finding_path)])
        [threat] = client.get("/v1/threats", headers=user.headers).json()["data"]

        remediation = client.post(
            f"/v1/threats/{threat['id']}/remediate", json={}, headers=user.headers
        ).json()
        [command] = checkin(client, server, [])["commands"]
        # Completed but not verified: the threat stays open, and the
        # remediation could be rolled back by its owner.
        checkin(
            client,
            server,
            [
                {
                    "type": "result",
                    "command_id": command["command_id"],
                    "remediation_id": remediation["remediation_id"],
                    "status": "completed",
                    "summary": {"undo": {"quarantine_id": tag}},
                }
            ],
        )
        queued_scan_id = trigger(client, user, server)["scan_id"]
        key = client.post(
            "/v1/auth/api-keys", json={"name": f"{tag}-key"}, headers=user.headers
        ).json()
        return Account(
            user=user,
            user_id=me["id"],
            account_id=me["account_id"],
            server=server,
            server_name=f"{tag}-web",
            site_id=threat["site_id"],
            scan_id=scan_id,
            queued_scan_id=queued_scan_id,
            threat_id=threat["id"],
            finding_path=finding_path,
            remediation_id=remediation["remediation_id"],
            key_id=key["id"],
            key_secret=key["api_key"],
        )

    return factory


def test_every_route_that_names_an_object_is_tried() -> None:
    operations = list(api_operations())
    taking_ids = {(op.method, op.path) for op in operations if op.parameters("path")}
    tried = {(attempt.method, attempt.path) for attempt in OBJECT_ROUTES}
    filters = {
        (op.path, name)
        for op in operations
        if op.method == "GET"
        for name in op.parameters("query")
        if name in ID_PREFIXES
    }
    body_ids = {
        (op.method, op.path, name)
        for op in operations
        for name in op.body_fields
        if name in ID_PREFIXES or name == "ids"
    }

    assert taking_ids - tried == set(), "add these routes to OBJECT_ROUTES"
    assert tried - taking_ids == set(), "OBJECT_ROUTES names routes that are gone"
    assert filters == set(ID_FILTERS), "ID_FILTERS differs from the list routes"
    assert body_ids == set(BODY_IDS), "BODY_IDS differs from the request bodies"
    for op in operations:
        for name in op.parameters("path"):
            assert name in ID_PREFIXES, f"{op.method} {op.path}: unknown {name}"


def test_another_accounts_objects_are_not_found(
    client: httpx.Client, make_account: MakeAccount
) -> None:
    owner, stranger = make_account("alpha"), make_account("bravo")
    before = owner_view(client, owner)

    for attempt in OBJECT_ROUTES:
        names = {
            name: attempt.objects.get(name, name)
            for name in path_parameters(attempt.path)
        }
        real = {name: owner.object_id(attr) for name, attr in names.items()}
        missing = {name: never_issued_id(ID_PREFIXES[name]) for name in names}

        foreign = send(client, stranger, attempt, real)
        unknown = send(client, stranger, attempt, missing)

        label = f"{attempt.method} {attempt.path}"
        assert foreign.status_code == 404, f"{label}: {foreign.text}"
        assert foreign.json()["error"]["code"] == "not_found"
        assert masked(foreign.text, real) == masked(unknown.text, missing), label
        assert_private_strings_absent(foreign.text, owner, allowed=real.values())

    assert owner_view(client, owner) == before
    assert_owner_still_works(client, owner)


def test_another_accounts_ids_in_bodies_and_filters_find_nothing(
    client: httpx.Client, make_account: MakeAccount
) -> None:
    owner, stranger = make_account("alpha"), make_account("bravo")
    before = owner_view(client, owner)
    missing_threat = never_issued_id("thr")

    for path, name in ID_FILTERS:
        foreign_id = owner.object_id(name)
        listed = client.get(
            f"/v1{path}", params={name: foreign_id}, headers=stranger.user.headers
        )
        assert listed.status_code == 200, listed.text
        assert listed.json() == {"data": [], "next_cursor": None}, (path, name)

    on_foreign_server = client.post(
        "/v1/scans/trigger",
        json={"server_id": owner.server.id},
        headers=stranger.user.headers,
    )
    foreign_site = client.post(
        "/v1/scans/trigger",
        json={"server_id": stranger.server.id, "site_id": owner.site_id},
        headers=stranger.user.headers,
    )
    bulk = client.patch(
        "/v1/threats",
        json={"ids": [owner.threat_id, missing_threat], "status": "resolved"},
        headers=stranger.user.headers,
    )

    assert on_foreign_server.status_code == 404
    assert foreign_site.status_code == 404
    assert bulk.status_code == 200
    assert bulk.json()["updated"] == []
    [foreign_error, missing_error] = bulk.json()["errors"]
    assert foreign_error["id"] == owner.threat_id
    assert masked(foreign_error["error"], {"": owner.threat_id}) == masked(
        missing_error["error"], {"": missing_threat}
    )
    allowed = {owner.server.id, owner.site_id, owner.threat_id}
    for response in (on_foreign_server, foreign_site, bulk):
        assert_private_strings_absent(response.text, owner, allowed=allowed)
    assert owner_view(client, owner) == before
    assert_owner_still_works(client, owner)


def test_an_agent_token_is_refused_on_every_user_route(
    client: httpx.Client, make_account: MakeAccount
) -> None:
    owner = make_account("alpha")
    before = owner_view(client, owner)
    user_routes = [op for op in api_operations() if op.needs_token and not op.for_agent]

    assert ("GET", "/servers") in {(op.method, op.path) for op in user_routes}
    for op in user_routes:
        path = op.path
        for name in op.parameters("path"):
            path = path.replace(f"{{{name}}}", owner.object_id(name))
        response = client.request(
            op.method,
            f"/v1{path}",
            json={} if op.body_fields else None,
            headers=owner.server.agent_headers,
        )
        assert response.status_code == 403, f"{op.method} {op.path}: {response.text}"
        assert response.json()["error"]["code"] == "forbidden"

    assert owner_view(client, owner) == before


def test_a_user_token_is_refused_on_every_agent_route(
    client: httpx.Client, make_account: MakeAccount
) -> None:
    owner = make_account("alpha")
    agent_routes = [op for op in api_operations() if op.needs_token and op.for_agent]

    assert ("POST", "/agent/checkin") in {(op.method, op.path) for op in agent_routes}
    for op in agent_routes:
        for credentials in (owner.user.api_key, owner.key_secret):
            response = client.request(
                op.method,
                f"/v1{op.path}",
                json={"hostname": "taken-over"} if op.body_fields else None,
                headers={"Authorization": f"Bearer {credentials}"},
            )
            assert response.status_code == 403, response.text
            assert response.json()["error"]["code"] == "forbidden"

    server = client.get(f"/v1/servers/{owner.server.id}", headers=owner.user.headers)
    assert server.json()["hostname"] != "taken-over"


@dataclass(frozen=True)
class Operation:
    """One method on one path, as the OpenAPI document describes it."""

    method: str
    path: str
    spec: dict[str, Any]
    body_fields: frozenset[str]

    def parameters(self, where: str) -> set[str]:
        """Names of the ``path`` or ``query`` parameters."""
        return {p["name"] for p in self.spec.get("parameters", []) if p["in"] == where}

    @property
    def needs_token(self) -> bool:
        """Whether the route takes a bearer token."""
        return bool(self.spec.get("security"))

    @property
    def for_agent(self) -> bool:
        """Agent tokens are valid on /agent/* routes only, and only they are."""
        return self.path.startswith("/agent/")


def api_operations() -> Iterator[Operation]:
    """Every operation of the API router, paths without the /v1 prefix."""
    app = FastAPI()
    app.include_router(api_router)
    document = app.openapi()
    schemas = document["components"]["schemas"]
    for path, item in document["paths"].items():
        for method, spec in item.items():
            body = spec.get("requestBody", {}).get("content", {})
            reference = body.get("application/json", {}).get("schema", {}).get("$ref")
            fields = schemas[reference.rsplit("/", 1)[1]] if reference else {}
            yield Operation(
                method.upper(), path, spec, frozenset(fields.get("properties", {}))
            )


def path_parameters(path: str) -> list[str]:
    """``["server_id"]`` for ``/servers/{server_id}``."""
    return [part[1:-1] for part in path.split("/") if part.startswith("{")]


def send(
    client: httpx.Client,
    account: Account,
    attempt: ObjectRouteTry,
    ids: dict[str, str],
) -> httpx.Response:
    """Make ``attempt`` as ``account`` with these ids in its path."""
    path = attempt.path
    for name, value in ids.items():
        path = path.replace(f"{{{name}}}", value)
    return client.request(
        attempt.method, f"/v1{path}", json=attempt.body, headers=account.user.headers
    )


def never_issued_id(prefix: str) -> str:
    """An id of the right shape that no object has."""
    alphabet = string.ascii_letters + string.digits
    return prefix + "_" + "".join(secrets.choice(alphabet) for _ in range(16))


def masked(text: str, ids: dict[str, str]) -> str:
    """``text`` with the ids a request named replaced by a placeholder."""
    for value in ids.values():
        text = text.replace(value, "<id>")
    return text


def assert_private_strings_absent(
    text: str, owner: Account, allowed: Iterable[str] = ()
) -> None:
    """None of the owner's data in ``text``, except ids the caller sent."""
    leaked = {
        value for value in owner.private_strings() - set(allowed) if value in text
    }
    assert leaked == set(), f"answer reveals {leaked}: {text}"


def owner_view(client: httpx.Client, owner: Account) -> dict[str, Any]:
    """Everything the owner can read about its objects."""
    headers = owner.user.headers

    def get(path: str) -> Any:
        response = client.get(f"/v1{path}", headers=headers)
        assert response.status_code == 200, response.text
        return response.json()

    keys = get("/auth/api-keys")["data"]
    # Reading the view uses a key, which records when it was last used.
    for key in keys:
        key.pop("last_used_at")
    return {
        "servers": get("/servers"),
        "server": get(f"/servers/{owner.server.id}"),
        "scans": get("/scans"),
        "scan": get(f"/scans/{owner.scan_id}"),
        "queued_scan": get(f"/scans/{owner.queued_scan_id}"),
        "threats": get("/threats"),
        "threat": get(f"/threats/{owner.threat_id}"),
        "remediation": get(f"/remediations/{owner.remediation_id}"),
        "keys": keys,
    }


def assert_owner_still_works(client: httpx.Client, owner: Account) -> None:
    """The owner's key and agent token work, and the agent got nothing new."""
    second_key = {"Authorization": f"Bearer {owner.key_secret}"}
    assert client.get("/v1/servers", headers=second_key).status_code == 200
    commands = checkin(client, owner.server, [])["commands"]
    assert [(command["type"], command["payload"]) for command in commands] == [
        ("scan", {"scan_id": owner.queued_scan_id, "scan_mode": "quick"})
    ]
