"""OSV records (written for these tests) parsed and matched."""

from __future__ import annotations

import logging

import pytest

from cleanshift.vulns import (
    AdvisoryIndex,
    Component,
    Inventory,
    parse_osv,
    parse_version,
)


def _warnings(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [
        r
        for r in caplog.records
        if r.levelno >= logging.WARNING and r.name.startswith("cleanshift.vulns")
    ]


# Written for this test (ids and CVE are invented); shaped like real OSV data.
OSV_DRUPAL_MODULE: dict[str, object] = {
    "schema_version": "1.6.0",
    "id": "TEST-DRUPAL-2024-001",
    "modified": "2024-05-01T00:00:00Z",
    "summary": "Example Module - Access bypass",
    "details": "Example Module does not check access.\nMore text.",
    "aliases": ["CVE-2099-0001"],
    "severity": [
        {"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N"}
    ],
    "affected": [
        {
            "package": {
                "ecosystem": "Packagist:https://packages.drupal.org/8",
                "name": "drupal/example_module",
            },
            "ranges": [
                {
                    "type": "ECOSYSTEM",
                    "events": [
                        {"introduced": "2.0.0"},
                        {"fixed": "2.0.5"},
                        {"introduced": "0"},
                        {"fixed": "1.3.2"},
                    ],
                }
            ],
        },
        {
            "package": {"ecosystem": "npm", "name": "example-module"},
            "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}]}],
        },
    ],
    "references": [
        {"type": "ADVISORY", "url": "https://www.drupal.org/sa-contrib-test"},
    ],
}

OSV_COMPOSER: dict[str, object] = {
    "id": "TEST-COMPOSER-2024-002",
    "details": "A library flaw.\nSecond line.",
    "severity": [
        {
            "type": "CVSS_V4",
            "score": "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N",
        }
    ],
    "affected": [
        {
            "package": {"ecosystem": "Packagist", "name": "Acme/HTTP-Client"},
            "ranges": [
                {
                    "type": "SEMVER",
                    "events": [{"introduced": "3.0.0"}, {"last_affected": "3.2.1"}],
                },
                {
                    "type": "GIT",
                    "repo": "https://example.invalid/acme",
                    "events": [{"introduced": "abc123"}],
                },
                {
                    "type": "ECOSYSTEM",
                    "events": [{"introduced": "1.0"}, {"fixed": "1.0.x"}],
                },
            ],
            "versions": ["4.0.0-beta1", "4.0.0-beta2", "not a version"],
        }
    ],
}

OSV_DRUPAL_CORE: dict[str, object] = {
    "id": "TEST-CORE-2024-003",
    "summary": "Drupal core - Cross-site scripting",
    "affected": [
        {
            "package": {"ecosystem": "Packagist", "name": "drupal/core"},
            "ranges": [
                {
                    "type": "ECOSYSTEM",
                    "events": [
                        {"introduced": "8.0.0"},
                        {"fixed": "10.1.8"},
                        {"introduced": "10.2.0"},
                        {"fixed": "10.2.2"},
                    ],
                }
            ],
        }
    ],
}


def test_osv_drupal_module_record() -> None:
    (adv,) = parse_osv(OSV_DRUPAL_MODULE)  # a single record, not a list
    assert (adv.software_type, adv.slug) == ("drupal-module", "example_module")
    assert (adv.id, adv.cve, adv.source) == (
        "TEST-DRUPAL-2024-001",
        "CVE-2099-0001",
        "osv",
    )
    assert adv.title == "Example Module - Access bypass"
    # Events given out of order still pair up by version.
    assert [str(r) for r in adv.ranges] == ["[*, 1.3.2)", "[2.0.0, 2.0.5)"]
    assert [v.text for v in adv.patched_versions] == ["1.3.2", "2.0.5"]
    assert (adv.cvss_score, adv.severity) == (7.5, "high")
    assert adv.references == ("https://www.drupal.org/sa-contrib-test",)
    assert dict(adv.copyrights) == {}


def test_osv_list_with_composer_and_core(caplog: pytest.LogCaptureFixture) -> None:
    withdrawn = {
        **OSV_DRUPAL_CORE,
        "id": "TEST-OLD",
        "withdrawn": "2024-01-01T00:00:00Z",
    }
    with caplog.at_level(logging.WARNING):
        advisories = parse_osv([OSV_COMPOSER, OSV_DRUPAL_CORE, withdrawn, "junk"])
    composer, core = advisories
    assert (composer.software_type, composer.slug) == ("composer", "acme/http-client")
    assert composer.title == "A library flaw."
    # last_affected is inclusive; listed versions are single points; the GIT
    # range and the range with a malformed fixed version are skipped.
    assert [str(r) for r in composer.ranges] == [
        "[3.0.0, 3.2.1]",
        "[4.0.0-beta1, 4.0.0-beta1]",
        "[4.0.0-beta2, 4.0.0-beta2]",
    ]
    assert composer.no_known_fix
    assert composer.cvss_vector is not None
    assert composer.cvss_vector.startswith("CVSS:4.0")
    assert (composer.cvss_score, composer.severity) == (None, "medium")
    assert (core.software_type, core.slug) == ("core", "drupal")
    assert [str(r) for r in core.ranges] == ["[8.0.0, 10.1.8)", "[10.2.0, 10.2.2)"]
    # GIT range, bad ECOSYSTEM range, bad listed version, the junk item.
    assert len(_warnings(caplog)) == 4


@pytest.mark.parametrize(
    ("component", "expected_ids", "patched"),
    [
        (
            Component("drupal-module", "example_module", "1.3.1"),
            ["TEST-DRUPAL-2024-001"],
            "1.3.2",
        ),
        (Component("drupal-module", "example_module", "1.3.2"), [], None),
        (
            Component("drupal-module", "example_module", "2.0.4"),
            ["TEST-DRUPAL-2024-001"],
            "2.0.5",
        ),
        (Component("drupal-module", "example_module", "2.1.0"), [], None),
        (Component("core", "drupal", "10.1.7"), ["TEST-CORE-2024-003"], "10.1.8"),
        (Component("core", "drupal", "10.1.8"), [], None),
        (Component("core", "drupal", "10.2.1"), ["TEST-CORE-2024-003"], "10.2.2"),
        (Component("core", "drupal", "7.99"), [], None),
        (Component("core", "wordpress", "10.1.7"), [], None),  # other software
    ],
)
def test_osv_records_match(
    component: Component, expected_ids: list[str], patched: str | None
) -> None:
    index = AdvisoryIndex(parse_osv([OSV_DRUPAL_MODULE, OSV_DRUPAL_CORE]))
    report = index.match(Inventory((component,)))
    assert [m.advisory.id for m in report.matches] == expected_ids
    for match in report.matches:
        assert match.patched_version == parse_version(patched or "")
