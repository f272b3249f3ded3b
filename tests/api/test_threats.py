"""Threats: one per problem across scans, filters, and status changes."""

from __future__ import annotations

import httpx

from tests.api.test_scans import SITE, run_scan, webshell_finding
from tests.conftest import MakeServer, MakeUser


def test_the_same_problem_in_two_scans_is_one_threat(
    client: httpx.Client, make_user: MakeUser, make_server: MakeServer
) -> None:
    user = make_user()
    server = make_server(user)
    finding = webshell_finding(f"{SITE}/shell.php")

    first_scan = run_scan(client, user, server, [finding])
    second_scan = run_scan(client, user, server, [finding])

    [threat] = client.get("/v1/threats", headers=user.headers).json()["data"]
    assert threat["last_scan_id"] == second_scan
    assert threat["last_seen_at"] > threat["first_seen_at"]
    for scan_id in (first_scan, second_scan):
        listed = client.get(f"/v1/threats?scan_id={scan_id}", headers=user.headers)
        assert [item["id"] for item in listed.json()["data"]] == [threat["id"]]


def test_filters_select_by_severity_type_status_and_server(
    client: httpx.Client, make_user: MakeUser, make_server: MakeServer
) -> None:
    user = make_user()
    web, mail = make_server(user, name="web"), make_server(user, name="mail")
    low = webshell_finding(f"{SITE}/odd.php") | {"severity": "low"}
    run_scan(client, user, web, [webshell_finding(f"{SITE}/shell.php"), low])
    run_scan(client, user, mail, [webshell_finding(f"{SITE}/other.php")])

    def paths(query: str) -> set[str]:
        response = client.get(f"/v1/threats?{query}", headers=user.headers)
        assert response.status_code == 200, response.text
        return {threat["path"] for threat in response.json()["data"]}

    assert paths("severity=low") == {f"{SITE}/odd.php"}
    assert paths(f"server_id={mail.id}") == {f"{SITE}/other.php"}
    assert paths("type=malware&status=open") == {
        f"{SITE}/shell.php",
        f"{SITE}/odd.php",
        f"{SITE}/other.php",
    }
    assert paths("type=vulnerability") == set()
    assert paths("status=resolved") == set()


def test_threats_of_another_account_stay_hidden(
    client: httpx.Client, make_user: MakeUser, make_server: MakeServer
) -> None:
    owner, stranger = make_user(), make_user()
    server = make_server(owner)
    run_scan(client, owner, server, [webshell_finding(f"{SITE}/shell.php")])
    [threat] = client.get("/v1/threats", headers=owner.headers).json()["data"]

    assert client.get("/v1/threats", headers=stranger.headers).json()["data"] == []
    hidden = client.get(f"/v1/threats/{threat['id']}", headers=stranger.headers)
    assert hidden.status_code == 404
    patched = client.patch(
        f"/v1/threats/{threat['id']}",
        json={"status": "resolved"},
        headers=stranger.headers,
    )
    assert patched.status_code == 404


def test_false_positive_stays_quiet_until_the_content_changes(
    client: httpx.Client, make_user: MakeUser, make_server: MakeServer
) -> None:
    user = make_user()
    server = make_server(user)
    finding = webshell_finding(f"{SITE}/tool.php", sha256="11" * 32)
    run_scan(client, user, server, [finding])
    [threat] = client.get("/v1/threats", headers=user.headers).json()["data"]

    marked = client.patch(
        f"/v1/threats/{threat['id']}",
        json={"status": "false-positive", "note": "our admin tool"},
        headers=user.headers,
    )
    assert marked.json()["status"] == "false-positive"

    run_scan(client, user, server, [finding])
    same = client.get(f"/v1/threats/{threat['id']}", headers=user.headers).json()
    assert same["status"] == "false-positive"

    run_scan(client, user, server, [finding | {"sha256": "22" * 32}])
    changed = client.get(f"/v1/threats/{threat['id']}", headers=user.headers).json()
    assert changed["status"] == "open"
    assert [event["to"] for event in changed["history"]] == [
        "open",
        "false-positive",
        "open",
    ]


def test_a_full_scan_resolves_what_is_gone_and_reopens_what_returns(
    client: httpx.Client, make_user: MakeUser, make_server: MakeServer
) -> None:
    user = make_user()
    server = make_server(user)
    finding = webshell_finding(f"{SITE}/shell.php")
    run_scan(client, user, server, [finding])

    run_scan(client, user, server, [])
    [gone] = client.get("/v1/threats", headers=user.headers).json()["data"]
    assert gone["status"] == "resolved"

    run_scan(client, user, server, [finding])
    [back] = client.get("/v1/threats", headers=user.headers).json()["data"]
    assert back["id"] == gone["id"]
    assert back["status"] == "open"


def test_acknowledge_is_accepted_as_a_spelling(
    client: httpx.Client, make_user: MakeUser, make_server: MakeServer
) -> None:
    user = make_user()
    server = make_server(user)
    run_scan(client, user, server, [webshell_finding(f"{SITE}/shell.php")])
    [threat] = client.get("/v1/threats", headers=user.headers).json()["data"]

    response = client.patch(
        f"/v1/threats/{threat['id']}",
        json={"status": "acknowledge"},
        headers=user.headers,
    )

    assert response.json()["status"] == "acknowledged"
    listed = client.get("/v1/threats?status=acknowledged", headers=user.headers).json()
    assert [item["id"] for item in listed["data"]] == [threat["id"]]
