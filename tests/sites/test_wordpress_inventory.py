"""WordPress plugins, must-use plugins and themes, with versions and sources."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from cleanshift.sites.discovery import Site, discover_sites
from tests.sites.conftest import SiteFactory, plugin_header, theme_style, write


def discover_one(web_root: Path) -> Site:
    [site] = discover_sites([web_root], virtual_hosts=[])
    return site


def keyed(entries: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {entry["slug"]: entry for entry in entries}


def test_plugins_with_versions_and_where_each_came_from(sites: SiteFactory) -> None:
    site = sites.wordpress("a")
    sites.plugin(site, "contact-form-7", "5.9.3", stable_tag="5.9.2")
    sites.plugin(site, "wordfence", None, stable_tag="7.11.5")
    sites.plugin(site, "seo-tools", "2.1.0", main_file="loader.php")
    sites.plugin(site, "in-trunk", None, stable_tag="trunk")
    readme_only = site / "wp-content" / "plugins" / "half-deleted"
    write(readme_only / "readme.txt", "=== Half ===\nStable tag: 1.4\n")
    write(site / "wp-content" / "plugins" / "just-assets" / "app.js", "void 0;\n")

    plugins = keyed(discover_one(sites.web_root).plugins)

    assert plugins["contact-form-7"] == {
        "slug": "contact-form-7",
        "name": "Contact Form 7",
        "version": "5.9.3",
        "version_source": "header",
        "active": None,
        "must_use": False,
        "main_file": "contact-form-7/contact-form-7.php",
    }
    assert (
        plugins["wordfence"]["version"],
        plugins["wordfence"]["version_source"],
    ) == (
        "7.11.5",
        "readme",
    )
    assert plugins["seo-tools"]["main_file"] == "seo-tools/loader.php"
    assert plugins["in-trunk"]["version"] is None
    assert plugins["in-trunk"]["version_source"] is None
    assert plugins["half-deleted"]["main_file"] is None
    assert plugins["half-deleted"]["version"] == "1.4"
    assert "just-assets" not in plugins
    assert "index" not in plugins


def test_main_file_is_the_php_file_with_the_plugin_header(sites: SiteFactory) -> None:
    site = sites.wordpress("a")
    folder = site / "wp-content" / "plugins" / "shop-kit"
    write(folder / "a-helpers.php", "<?php\n// Version: 0.0.1 is not a header\n")
    write(folder / "z-main.php", plugin_header("Shop Kit", "3.2.1"))
    write(folder / "lib" / "deep.php", plugin_header("Not Top Level", "9.9"))

    [plugin] = discover_one(sites.web_root).plugins

    assert (plugin["main_file"], plugin["version"]) == ("shop-kit/z-main.php", "3.2.1")


def test_header_past_eight_kib_is_not_read(sites: SiteFactory) -> None:
    site = sites.wordpress("a")
    folder = site / "wp-content" / "plugins" / "late-header"
    padding = "<?php\n" + "// padding\n" * 800
    write(folder / "late-header.php", padding + plugin_header("Late", "2.0"))
    write(folder / "readme.txt", "=== Late ===\nStable tag: 1.9\n")

    [plugin] = discover_one(sites.web_root).plugins

    assert plugin["main_file"] is None
    assert (plugin["version"], plugin["version_source"]) == ("1.9", "readme")


def test_headers_are_read_the_way_wordpress_reads_them(sites: SiteFactory) -> None:
    site = sites.wordpress("a")
    plugins = site / "wp-content" / "plugins"
    write(
        plugins / "crlf" / "crlf.php",
        "<?php\r\n/*\r\nPlugin Name: CRLF\r\nVersion: 1.2\r\n*/\r\n",
    )
    write(
        plugins / "lower" / "lower.php", "<?php\n# plugin name: Lower\n# version:1.3\n"
    )
    write(
        plugins / "one-line" / "one-line.php", "<?php /* Plugin Name: One Line */ ?>\n"
    )
    write(
        plugins / "closed" / "closed.php",
        "<?php\n/* Plugin Name: Closed\n Version: 1.5 */\n",
    )

    found = keyed(discover_one(sites.web_root).plugins)

    assert {slug: (p["name"], p["version"]) for slug, p in found.items()} == {
        "crlf": ("CRLF", "1.2"),
        "lower": ("Lower", "1.3"),
        "one-line": ("One Line", None),
        "closed": ("Closed", "1.5"),
    }


def test_single_file_and_must_use_plugins(sites: SiteFactory) -> None:
    site = sites.wordpress("a")
    plugins = site / "wp-content" / "plugins"
    write(
        plugins / "hello.php",
        "<?php\n/**\n * @package Hello_Example\n * @version 1.7.2\n */\n"
        "/*\nPlugin Name: Hello Example\nDescription: Sings.\nVersion: 1.7.2\n*/\n",
    )
    write(plugins / "stray.php", "<?php\n// not a plugin\n")
    mu = site / "wp-content" / "mu-plugins"
    write(mu / "host-cache.php", plugin_header("Host Cache", "0.9.1"))
    write(mu / "loader.php", "<?php\nrequire WPMU_PLUGIN_DIR . '/bundle/bundle.php';\n")
    write(mu / "bundle" / "bundle.php", plugin_header("Bundle", "4.0"))

    found = keyed(discover_one(sites.web_root).plugins)

    assert found["hello"]["main_file"] == "hello.php"
    assert (found["hello"]["version"], found["hello"]["must_use"]) == ("1.7.2", False)
    assert "stray" not in found
    assert found["host-cache"] == {
        "slug": "host-cache",
        "name": "Host Cache",
        "version": "0.9.1",
        "version_source": "header",
        "active": True,
        "must_use": True,
        "main_file": "host-cache.php",
    }
    # WordPress loads every file at the top, header or not, and no folders.
    assert (found["loader"]["name"], found["loader"]["version"]) == (None, None)
    assert found["loader"]["active"] is True
    assert "bundle" not in found


def test_themes_and_child_themes(sites: SiteFactory) -> None:
    site = sites.wordpress("a")
    sites.theme(site, "twentytwentyfour", "1.1")
    sites.theme(site, "shop-child", "1.0.2", template="twentytwentyfour")
    sites.theme(site, "no-version", None)
    write(
        site / "wp-content" / "themes" / "no-version" / "readme.txt",
        "Stable tag: 2.2\n",
    )
    write(site / "wp-content" / "themes" / "broken" / "index.php", "<?php\n")
    write(site / "wp-content" / "themes" / "index.php", "<?php\n")

    themes = keyed(discover_one(sites.web_root).themes)

    assert themes["twentytwentyfour"] == {
        "slug": "twentytwentyfour",
        "name": "Twentytwentyfour",
        "version": "1.1",
        "version_source": "header",
        "template": None,
        "active": None,
    }
    assert themes["shop-child"]["template"] == "twentytwentyfour"
    assert themes["no-version"]["version_source"] == "readme"
    assert "broken" not in themes


def test_junk_versions_are_not_reported(sites: SiteFactory) -> None:
    site = sites.wordpress("a")
    sites.plugin(site, "long", "1." + "0" * 200)
    sites.plugin(site, "markup", "<script>alert(1)</script>")
    write(
        site / "wp-content" / "themes" / "t" / "style.css", theme_style("T", "\x1b[31m")
    )

    found = discover_one(sites.web_root)

    assert [p["version"] for p in found.plugins] == [None, None]
    assert [t["version"] for t in found.themes] == [None]


def test_real_wordpress_release_inventory(
    wordpress_site: Path, sites: SiteFactory
) -> None:
    sites.theme(wordpress_site, "twentytwentythree", "1.0")
    write(
        wordpress_site / "wp-content" / "mu-plugins" / "debian-tweaks.php",
        plugin_header("Debian Tweaks", "1.0"),
    )

    site = discover_one(wordpress_site.parent)

    assert (site.cms, site.cms_version) == ("wordpress", "6.1.9")
    assert keyed(site.plugins)["akismet"] == {
        "slug": "akismet",
        "name": "Akismet Anti-Spam",
        "version": "5.0.2",
        "version_source": "header",
        "active": None,
        "must_use": False,
        "main_file": "akismet/akismet.php",
    }
    assert keyed(site.plugins)["debian-tweaks"]["must_use"] is True
    assert [theme["slug"] for theme in site.themes] == ["twentytwentythree"]
    # Debian's package links some files to other packages; they dangle here.
    assert os.path.islink(wordpress_site / ".htaccess")
    assert site.errors == []
