"""Each CMS is found with its version; nested sites stand on their own."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from cleanshift.sites import discovery
from cleanshift.sites.cms import Detection
from cleanshift.sites.discovery import discover_sites, wordpress_version
from cleanshift.sites.files import WebRootReader
from tests.sites.conftest import SiteFactory, by_path, write

Build = Callable[[SiteFactory], Path]

CASES: list[tuple[str, Build, str, str | None]] = [
    ("wordpress", lambda f: f.wordpress("a"), "wordpress", "6.4.3"),
    ("joomla-5", lambda f: f.joomla("a", 5, 1, 2), "joomla", "5.1.2"),
    ("joomla-4", lambda f: f.joomla("a", 4, 4, 10), "joomla", "4.4.10"),
    ("joomla-3.10", lambda f: f.joomla("a", 3, 10, 12), "joomla", "3.10.12"),
    ("joomla-3.6", lambda f: f.joomla_legacy("a", "3.6", "5"), "joomla", "3.6.5"),
    ("drupal-10", lambda f: f.drupal("a", "10.2.3"), "drupal", "10.2.3"),
    ("drupal-7", lambda f: f.drupal_legacy("a", "7.98"), "drupal", "7.98"),
    ("drupal-6", lambda f: f.drupal_legacy("a", "6.38", six=True), "drupal", "6.38"),
    (
        "magento-lock",
        lambda f: f.magento("a", lock_version="2.4.7-p1", base_version="2.4.6"),
        "magento",
        "2.4.7-p1",
    ),
    (
        "magento-vendor",
        lambda f: f.magento("a", base_version="2.4.6-p3"),
        "magento",
        "2.4.6-p3",
    ),
    (
        "magento-pinned",
        lambda f: f.magento("a", required="2.4.5-p8"),
        "magento",
        "2.4.5-p8",
    ),
    ("php", lambda f: f.php_app("a"), "php", None),
]


@pytest.mark.parametrize(
    ("build", "cms", "version"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_each_cms_is_found_with_its_version(
    sites: SiteFactory, build: Build, cms: str, version: str | None
) -> None:
    build(sites)

    [site] = discover_sites([sites.web_root], virtual_hosts=[])

    assert site.path == str(sites.web_root / "a")
    assert (site.cms, site.cms_version) == (cms, version)
    assert site.errors == []
    assert site.file_count > 0
    assert site.size_bytes > 0


def test_joomla_pre_release_keeps_its_extra_version(sites: SiteFactory) -> None:
    site = sites.joomla("a", 5, 2, 0)
    version_file = site / "libraries" / "src" / "Version.php"
    version_file.write_text(
        version_file.read_text().replace("EXTRA_VERSION = ''", "EXTRA_VERSION = 'rc1'")
    )

    [found] = discover_sites([sites.web_root], virtual_hosts=[])

    assert found.cms_version == "5.2.0-rc1"


def test_magento_checkout_reads_the_root_composer_version(sites: SiteFactory) -> None:
    site = sites.magento("shop")
    write(
        site / "composer.json",
        json.dumps({"name": "magento/magento2ce", "version": "2.4.8"}),
    )

    [found] = discover_sites([sites.web_root], virtual_hosts=[])

    assert (found.cms, found.cms_version) == ("magento", "2.4.8")


def test_magento_with_a_range_only_has_no_version(sites: SiteFactory) -> None:
    sites.magento("shop", required="^2.4")

    [found] = discover_sites([sites.web_root], virtual_hosts=[])

    assert (found.cms, found.cms_version) == ("magento", None)
    assert found.errors == ["composer files: no Magento version found"]


def test_a_marker_without_its_cms_is_plain_php(sites: SiteFactory) -> None:
    write(sites.web_root / "a" / "administrator" / "index.php", "<?php\n")
    write(sites.web_root / "b" / "app" / "etc" / "env.php", "<?php\nreturn [];\n")

    found = by_path(discover_sites([sites.web_root], virtual_hosts=[]), sites.web_root)

    assert {path: site.cms for path, site in found.items()} == {"a": "php", "b": "php"}


def test_cms_site_is_never_also_a_generic_site(sites: SiteFactory) -> None:
    sites.wordpress("example.com/public_html")
    write(sites.web_root / "example.com" / "logs" / "access.log", "GET /\n")
    sites.drupal("other.org", "10.1.8")

    found = by_path(discover_sites([sites.web_root], virtual_hosts=[]), sites.web_root)

    assert {path: site.cms for path, site in found.items()} == {
        "example.com/public_html": "wordpress",
        "other.org": "drupal",
    }


def test_nested_sites_are_their_own_sites(sites: SiteFactory) -> None:
    sites.drupal("example.com", "10.2.3")
    sites.wordpress("example.com/blog", "6.5.2")
    sites.magento("shop.example.com", lock_version="2.4.7")
    sites.wordpress("shop.example.com/pub/news", "6.3.1")
    sites.php_app("app.example.com")
    sites.wordpress("app.example.com/blog", "6.4.1")

    found = by_path(discover_sites([sites.web_root], virtual_hosts=[]), sites.web_root)

    assert {path: (s.cms, s.cms_version) for path, s in found.items()} == {
        "example.com": ("drupal", "10.2.3"),
        "example.com/blog": ("wordpress", "6.5.2"),
        "shop.example.com": ("magento", "2.4.7"),
        "shop.example.com/pub/news": ("wordpress", "6.3.1"),
        # The app has PHP of its own beside the blog, so both are sites.
        "app.example.com": ("php", None),
        "app.example.com/blog": ("wordpress", "6.4.1"),
    }


def test_web_root_itself_can_be_the_site(sites: SiteFactory) -> None:
    sites.wordpress(".")

    [site] = discover_sites([sites.web_root], virtual_hosts=[])

    assert (site.path, site.cms) == (str(sites.web_root), "wordpress")


def test_sites_below_the_depth_limit_are_not_searched(sites: SiteFactory) -> None:
    sites.wordpress("a/b/c")
    sites.wordpress("d/e/f/g")

    found = by_path(discover_sites([sites.web_root], virtual_hosts=[]), sites.web_root)

    assert found["a/b/c"].cms == "wordpress"
    assert "d/e/f/g" not in found


def test_overlapping_web_roots_report_each_site_once(sites: SiteFactory) -> None:
    sites.wordpress("example.com")

    found = discover_sites(
        [sites.web_root, sites.web_root / "example.com"], virtual_hosts=[]
    )

    assert [site.path for site in found] == [str(sites.web_root / "example.com")]


def test_missing_web_root_is_skipped(tmp_path: Path, sites: SiteFactory) -> None:
    sites.wordpress("a")

    found = discover_sites([tmp_path / "nowhere", sites.web_root], virtual_hosts=[])

    assert [site.cms for site in found] == ["wordpress"]


def test_wordpress_version_reads_one_site(sites: SiteFactory) -> None:
    site = sites.wordpress("a", "6.2.5")

    assert wordpress_version(os.fsencode(site)) == "6.2.5"
    assert wordpress_version(os.fsencode(sites.web_root)) is None


def test_real_wordpress_release(wordpress_tree: Path) -> None:
    [site] = discover_sites([wordpress_tree], virtual_hosts=[])

    assert (site.cms, site.cms_version) == ("wordpress", "6.1.9")
    assert site.file_count > 1000


def test_a_failing_detector_costs_one_folder_only(
    sites: SiteFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    sites.wordpress("a")
    sites.drupal("b", "10.2.3")

    def broken(reader: WebRootReader, directory: bytes) -> Detection | None:
        raise RuntimeError("bug triggered by a hostile folder")

    monkeypatch.setattr(discovery, "DETECTORS", (broken, *discovery.DETECTORS[1:]))

    found = by_path(discover_sites([sites.web_root], virtual_hosts=[]), sites.web_root)

    assert found["b"].cms == "drupal"
    assert found["a"].cms == "php"
