"""Discovered sites travel in the agent's check-in and land in the control plane."""

from __future__ import annotations

import base64
import json
import os
from pathlib import Path

import httpx

from cleanshift.agent.daemon import Agent
from cleanshift.api.schemas import CheckinRequest
from cleanshift.sites.discovery import discover_sites
from cleanshift.sites.vhosts import VirtualHost
from tests.conftest import MakeServer, MakeUser
from tests.dbscan.conftest import ScratchDatabase
from tests.dbscan.test_activation import activate, build_wordpress
from tests.sites.conftest import SiteFactory, write


def build_server_tree(sites: SiteFactory) -> list[VirtualHost]:
    blog = sites.wordpress("example.com", "6.4.3")
    sites.plugin(blog, "contact-form-7", "5.9.3")
    sites.theme(blog, "twentytwentyfour", "1.1")
    write(blog / "wp-content" / "mu-plugins" / "cache.php", "<?php\n")
    sites.joomla("joomla.example.com", 5, 1, 2)
    odd_name = os.path.join(os.fsencode(sites.web_root), b"caf\xe9")
    os.mkdir(odd_name)
    with open(os.path.join(odd_name, b"index.php"), "wb") as handle:
        handle.write(b"<?php echo 'caf\xe9';\n")
    root = str(sites.web_root / "example.com")
    return [VirtualHost("nginx", ("example.com",), root, True, 443, "/etc/x.conf")]


def test_sites_fit_the_checkin_schema_as_json(sites: SiteFactory) -> None:
    hosts = build_server_tree(sites)

    payload = {
        "agent_version": "0.1.0",
        "sites": [
            site.to_dict()
            for site in discover_sites([sites.web_root], virtual_hosts=hosts)
        ],
    }
    body = json.loads(json.dumps(payload))
    request = CheckinRequest.model_validate(body)

    assert request.sites is not None
    reported = {site.cms: site for site in request.sites}
    assert {cms: site.cms_version for cms, site in reported.items()} == {
        "wordpress": "6.4.3",
        "joomla": "5.1.2",
        "php": None,
    }
    assert reported["wordpress"].url == "https://example.com"
    odd_name = os.path.join(os.fsencode(sites.web_root), b"caf\xe9")
    [odd] = [site for site in body["sites"] if site["cms"] == "php"]
    assert odd["path"].endswith("/caf\\xe9")
    assert odd["raw_path"] == base64.b64encode(odd_name).decode()
    for site in body["sites"]:
        assert {"path", "url", "cms", "cms_version", "plugins", "themes"} <= set(site)
        for entry in site["plugins"] + site["themes"]:
            assert {"slug", "version", "active"} <= set(entry)


def test_control_plane_stores_what_discovery_found(
    client: httpx.Client,
    make_user: MakeUser,
    make_server: MakeServer,
    sites: SiteFactory,
    tmp_path: Path,
) -> None:
    user = make_user()
    server = make_server(user)
    hosts = build_server_tree(sites)
    found = discover_sites([sites.web_root], virtual_hosts=hosts)

    response = client.post(
        "/v1/agent/checkin",
        json={"sites": [site.to_dict() for site in found]},
        headers=server.agent_headers,
    )

    assert response.status_code == 200, response.text
    detail = client.get(f"/v1/servers/{server.id}", headers=user.headers).json()
    [wordpress] = [site for site in detail["sites"] if site["cms"] == "wordpress"]
    assert wordpress["url"] == "https://example.com"
    assert wordpress["cms_version"] == "6.4.3"
    assert {(p["slug"], p["version"], p["must_use"]) for p in wordpress["plugins"]} == {
        ("contact-form-7", "5.9.3", False),
        ("cache", None, True),
    }
    assert [t["slug"] for t in wordpress["themes"]] == ["twentytwentyfour"]
    assert len(detail["sites"]) == 3


def test_agent_reports_which_plugins_and_themes_are_active(
    client: httpx.Client,
    make_user: MakeUser,
    make_server: MakeServer,
    sites: SiteFactory,
    test_database: ScratchDatabase,
    tmp_path: Path,
) -> None:
    user = make_user()
    server = make_server(user)
    build_wordpress(sites, test_database.name)
    activate(test_database, ["akismet/akismet.php"], "storefront-child", "storefront")
    agent = Agent(
        str(client.base_url), server.agent_token, [sites.web_root], tmp_path / "agent"
    )

    with agent._client:
        agent.checkin()

    detail = client.get(f"/v1/servers/{server.id}", headers=user.headers).json()
    [wordpress] = detail["sites"]
    assert {p["slug"]: p["active"] for p in wordpress["plugins"]} == {
        "akismet": True,
        "contact-form-7": False,
        "cache": True,
    }
    assert {t["slug"]: t["active"] for t in wordpress["themes"]} == {
        "storefront-child": True,
        "storefront": True,
        "twentytwentyfour": False,
    }
