"""``fill_activation``: plugins and themes marked active as the database says."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pytest

from cleanshift.dbscan.activation import fill_activation
from cleanshift.sites.discovery import Site, discover_sites
from tests.dbscan.conftest import ScratchDatabase
from tests.dbscan.test_site import write_wp_config
from tests.dbscan.wordpress_schema import (
    create_network_tables,
    create_wordpress_tables,
    insert_network_option,
    insert_option,
)
from tests.sites.conftest import SiteFactory, write

PASSWORD = "correct-horse-battery"


def build_wordpress(sites: SiteFactory, database: str, **config: Any) -> Path:
    """A WordPress with two plugins, a must-use plugin and three themes.

    ``config`` goes to ``write_wp_config``: the site's database settings.
    """
    site = sites.wordpress("example.com")
    write_wp_config(site, database, plugins=(), **config)
    sites.plugin(site, "akismet", "5.3")
    sites.plugin(site, "contact-form-7", "5.9.3", main_file="wp-contact-form-7.php")
    sites.theme(site, "twentytwentyfour", "1.1")
    sites.theme(site, "storefront", "4.5.5")
    sites.theme(site, "storefront-child", "1.0", template="storefront")
    write(site / "wp-content" / "mu-plugins" / "cache.php", "<?php\n")
    return site


def activate(
    database: ScratchDatabase, plugins: list[str], theme: str, parent: str
) -> None:
    """The options WordPress writes when plugins and a theme are switched on."""
    create_wordpress_tables(database, tables=("options",))
    insert_option(database, "wp_", "active_plugins", plugins)
    insert_option(database, "wp_", "stylesheet", theme)
    insert_option(database, "wp_", "template", parent)


def discovered(sites: SiteFactory) -> Site:
    [site] = discover_sites([sites.web_root], virtual_hosts=[])
    return site


def flags(site: Site) -> dict[str, bool | None]:
    return {entry["slug"]: entry["active"] for entry in site.plugins + site.themes}


@pytest.fixture
def sites(tmp_path: Path) -> SiteFactory:
    return SiteFactory(tmp_path / "www")


def test_active_plugin_theme_and_parent_theme(
    sites: SiteFactory, test_database: ScratchDatabase
) -> None:
    build_wordpress(sites, test_database.name)
    activate(test_database, ["akismet/akismet.php"], "storefront-child", "storefront")
    site = discovered(sites)
    assert set(flags(site).values()) == {None, True}

    filled = fill_activation(site)

    assert filled is site
    assert flags(site) == {
        "akismet": True,
        "contact-form-7": False,
        "cache": True,
        "storefront-child": True,
        "storefront": True,
        "twentytwentyfour": False,
    }


def test_network_activated_plugin_counts_as_active(
    sites: SiteFactory, test_database: ScratchDatabase
) -> None:
    build_wordpress(sites, test_database.name)
    activate(test_database, [], "twentytwentyfour", "twentytwentyfour")
    create_network_tables(test_database)
    insert_network_option(
        test_database,
        "wp_",
        "active_sitewide_plugins",
        {"contact-form-7/wp-contact-form-7.php": 1_717_171_717},
    )

    site = fill_activation(discovered(sites))

    assert flags(site) == {
        "akismet": False,
        "contact-form-7": True,
        "cache": True,
        "storefront-child": False,
        "storefront": False,
        "twentytwentyfour": True,
    }


def test_must_use_plugin_stays_active_when_nothing_else_is(
    sites: SiteFactory, test_database: ScratchDatabase
) -> None:
    build_wordpress(sites, test_database.name)
    create_wordpress_tables(test_database, tables=("options",))

    site = fill_activation(discovered(sites))

    [must_use] = [plugin for plugin in site.plugins if plugin["must_use"]]
    assert must_use["active"] is True
    assert {slug for slug, active in flags(site).items() if active} == {"cache"}


@pytest.mark.parametrize(
    "config",
    [
        {"host": "127.0.0.1:1", "password": PASSWORD},
        {"password": PASSWORD},
    ],
    ids=["connection refused", "wrong password"],
)
def test_unreadable_database_leaves_flags_unknown_and_warns_once(
    sites: SiteFactory,
    test_database: ScratchDatabase,
    config: dict[str, str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    build_wordpress(sites, test_database.name, **config)
    activate(test_database, ["akismet/akismet.php"], "storefront-child", "storefront")
    site = discovered(sites)

    with caplog.at_level(logging.DEBUG, logger="cleanshift"):
        fill_activation(site)
        fill_activation(site)

    assert flags(site) == {
        "akismet": None,
        "contact-form-7": None,
        "cache": True,
        "storefront-child": None,
        "storefront": None,
        "twentytwentyfour": None,
    }
    [warning] = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert site.path in warning.getMessage()
    assert "check that the database server" in warning.getMessage()
    assert PASSWORD not in caplog.text


def test_unreadable_wp_config_leaves_flags_unknown(
    sites: SiteFactory, caplog: pytest.LogCaptureFixture
) -> None:
    # The factory's wp-config.php sets DB_NAME only.
    site_dir = sites.wordpress("example.com")
    sites.plugin(site_dir, "akismet", "5.3")

    with caplog.at_level(logging.WARNING, logger="cleanshift"):
        site = fill_activation(discovered(sites))

    assert flags(site) == {"akismet": None}
    assert "wp-config.php does not set DB_USER" in caplog.text
    assert "check the database settings in its wp-config.php" in caplog.text
