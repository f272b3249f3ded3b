"""Known vulnerabilities across the fleet, matched without any scan."""

from __future__ import annotations

import copy
import json
import re
from typing import Any

import httpx
import pytest

from cleanshift.db.session import create_db_engine, make_session_factory, session_scope
from cleanshift.services.vulnerabilities import import_feed
from cleanshift.settings import Settings
from tests.conftest import SHARED, MakeServer, MakeUser, ServerHandle, UserHandle

SAMPLE = SHARED / "vulndb" / "wordfence-v3-sample.json"
SITE = "/var/www/shop"


@pytest.fixture
def feed() -> dict[str, Any]:
    if not SAMPLE.is_file():
        pytest.skip(f"the shared vulnerability sample {SAMPLE} is not here")
    document: dict[str, Any] = json.loads(SAMPLE.read_text())
    return document


def import_document(settings: Settings, document: dict[str, Any]) -> int:
    engine = create_db_engine(settings.resolved_database_url())
    try:
        with session_scope(make_session_factory(engine)) as session:
            _, changed = import_feed(
                session,
                "wordfence",
                "wordfence-v3",
                json.dumps(document).encode(),
                "test",
            )
    finally:
        engine.dispose()
    return changed


def numeric(version: str) -> tuple[int, ...]:
    """A plain comparison key, written apart from the library on purpose."""
    match = re.match(r"\d+(?:\.\d+)*", version)
    assert match, version
    parts = tuple(int(part) for part in match.group(0).split("."))
    while len(parts) > 1 and parts[-1] == 0:
        parts = parts[:-1]
    # Anything after the numbers (beta, rc) comes before the release itself.
    return (*parts, -1) if version[match.end() :].strip() else (*parts, 0)


def expected_ids(document: dict[str, Any], installed: dict[str, str]) -> set[str]:
    """Records whose range holds an installed version, checked by hand."""
    found = set()
    for record in document.values():
        for software in record["software"]:
            version = installed.get(software["slug"])
            if version is None:
                continue
            for bounds in software["affected_versions"].values():
                low, high = bounds["from_version"], bounds["to_version"]
                above = low == "*" or (
                    numeric(version) >= numeric(low)
                    if bounds["from_inclusive"]
                    else numeric(version) > numeric(low)
                )
                below = high == "*" or (
                    numeric(version) <= numeric(high)
                    if bounds["to_inclusive"]
                    else numeric(version) < numeric(high)
                )
                if above and below:
                    found.add(record["id"])
    return found


def report_site(
    client: httpx.Client, server: ServerHandle, core: str, plugin_version: str
) -> None:
    response = client.post(
        "/v1/agent/checkin",
        json={
            "sites": [
                {
                    "path": SITE,
                    "cms": "wordpress",
                    "cms_version": core,
                    "plugins": [
                        {
                            "slug": "contact-form-7",
                            "version": plugin_version,
                            "active": True,
                        }
                    ],
                }
            ]
        },
        headers=server.agent_headers,
    )
    assert response.status_code == 200, response.text


def open_vulnerabilities(
    client: httpx.Client, user: UserHandle
) -> dict[str, dict[str, Any]]:
    response = client.get(
        "/v1/threats",
        params={"type": "vulnerability", "status": "open", "limit": 500},
        headers=user.headers,
    )
    return {threat["rule"]: threat for threat in response.json()["data"]}


def test_feed_import_and_updates_raise_and_resolve_without_a_scan(
    client: httpx.Client,
    settings: Settings,
    make_user: MakeUser,
    make_server: MakeServer,
    feed: dict[str, Any],
) -> None:
    old_shop, new_shop = make_user(), make_user()
    old_server, new_server = make_server(old_shop), make_server(new_shop)
    report_site(client, old_server, "6.1.9", "5.3.1")
    report_site(client, new_server, "6.1.9", "6.0.5")

    import_document(settings, feed)

    old_expected = expected_ids(feed, {"wordpress": "6.1.9", "contact-form-7": "5.3.1"})
    new_expected = expected_ids(feed, {"wordpress": "6.1.9", "contact-form-7": "6.0.5"})
    assert len(old_expected) > len(new_expected) > 0
    old_threats = open_vulnerabilities(client, old_shop)
    assert set(old_threats) == old_expected
    assert set(open_vulnerabilities(client, new_shop)) == new_expected
    assert client.get("/v1/scans", headers=old_shop.headers).json()["data"] == []

    xss = next(t for t in old_threats.values() if t["cve"] == "CVE-2020-35489")
    assert xss["details"]["installed_version"] == "5.3.1"
    assert xss["details"]["patched_version"] == "5.3.2"
    assert xss["details"]["cvss_vector"].startswith("CVSS:3")
    score = feed[xss["rule"]]["cvss"]["score"]
    assert xss["cvss"] == score
    assert xss["severity"] == (
        "critical" if score >= 9 else "high" if score >= 7 else "medium"
    )
    assert xss["path"] == f"{SITE}/wp-content/plugins/contact-form-7"
    assert "Defiant" in json.dumps(xss["details"]["copyrights"])

    newer = copy.deepcopy(feed)
    del newer[xss["rule"]]
    newer["00000000-0000-4000-8000-000000000001"] = {
        **copy.deepcopy(feed[xss["rule"]]),
        "id": "00000000-0000-4000-8000-000000000001",
        "title": "Contact Form 7 <= 6.0.5 - Test advisory",
        "cve": "CVE-2099-0001",
    }
    newer["00000000-0000-4000-8000-000000000001"]["software"][0][
        "affected_versions"
    ] = {
        "* - 6.0.5": {
            "from_version": "*",
            "from_inclusive": True,
            "to_version": "6.0.5",
            "to_inclusive": True,
        }
    }
    changed = import_document(settings, newer)

    assert changed >= 3
    old_now = open_vulnerabilities(client, old_shop)
    new_now = open_vulnerabilities(client, new_shop)
    assert xss["rule"] not in old_now
    assert "00000000-0000-4000-8000-000000000001" in old_now
    assert "00000000-0000-4000-8000-000000000001" in new_now
    gone = client.get(f"/v1/threats/{xss['id']}", headers=old_shop.headers).json()
    assert gone["status"] == "resolved"


def test_updating_the_plugin_resolves_its_threats_at_the_next_checkin(
    client: httpx.Client,
    settings: Settings,
    make_user: MakeUser,
    make_server: MakeServer,
    feed: dict[str, Any],
) -> None:
    user = make_user()
    server = make_server(user)
    import_document(settings, feed)
    report_site(client, server, "6.1.9", "5.3.1")
    assert any(
        t["details"]["installed_version"] == "5.3.1"
        for t in open_vulnerabilities(client, user).values()
    )

    report_site(client, server, "6.1.9", "6.2")

    remaining = open_vulnerabilities(client, user)
    assert set(remaining) == expected_ids(
        feed, {"wordpress": "6.1.9", "contact-form-7": "6.2"}
    )


def test_exposure_answers_which_of_my_sites_an_advisory_hits(
    client: httpx.Client,
    settings: Settings,
    make_user: MakeUser,
    make_server: MakeServer,
    feed: dict[str, Any],
) -> None:
    exposed, safe = make_user(), make_user()
    exposed_server = make_server(exposed)
    report_site(client, exposed_server, "6.1.9", "5.3.1")
    report_site(client, make_server(safe), "6.1.9", "6.0.5")
    import_document(settings, feed)

    mine = client.get(
        "/v1/vulnerabilities", params={"cve": "cve-2020-35489"}, headers=exposed.headers
    ).json()["data"]
    theirs = client.get(
        "/v1/vulnerabilities", params={"cve": "CVE-2020-35489"}, headers=safe.headers
    ).json()["data"]
    by_slug = client.get(
        "/v1/vulnerabilities",
        params={"slug": "contact-form-7"},
        headers=exposed.headers,
    ).json()["data"]

    [advisory] = mine
    [exposure] = advisory["exposures"]
    assert exposure["server_id"] == exposed_server.id
    assert exposure["site_path"] == SITE
    assert exposure["installed_version"] == "5.3.1"
    assert theirs == []
    assert {item["slug"] for item in by_slug} == {"contact-form-7"}
    assert len(by_slug) == len(expected_ids(feed, {"contact-form-7": "5.3.1"}))
    status = client.get("/v1/vulndb", headers=exposed.headers).json()["feeds"]
    assert status[0]["records"] == len(feed)
    assert any("Wordfence" in notice["notice"] for notice in status[0]["notices"])
