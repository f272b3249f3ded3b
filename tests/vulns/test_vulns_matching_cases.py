"""Matching rules on hand-made advisories: fixes, bad versions, scale."""

from __future__ import annotations

import logging
import time

import pytest

from cleanshift.vulns import (
    Advisory,
    AdvisoryIndex,
    Component,
    Inventory,
    VersionRange,
    match_inventory,
    parse_version,
)


def _advisory(
    ranges: list[VersionRange],
    patched: list[str],
    slug: str = "demo",
    record_id: str = "A1",
) -> Advisory:
    return Advisory(
        id=record_id,
        title="Demo",
        software_type="plugin",
        slug=slug,
        ranges=tuple(ranges),
        patched_versions=tuple(parse_version(p) for p in patched),
        cve=None,
        cvss_score=None,
        cvss_vector=None,
        severity="medium",
        severity_note=None,
        references=(),
        copyrights={},
        source="test",
    )


BRANCHES = _advisory(
    [
        VersionRange.parse("6.2", "6.2.1", to_inclusive=False),
        VersionRange.parse("6.1", "6.1.2", to_inclusive=False),
        VersionRange.parse("*", "6.0.4", to_inclusive=False),
    ],
    ["6.2.1", "6.1.2", "6.0.4"],
)


@pytest.mark.parametrize(
    ("installed", "patched"),
    [("6.2", "6.2.1"), ("6.1.1", "6.1.2"), ("6.1", "6.1.2"), ("5.9", "6.0.4")],
)
def test_patched_version_is_lowest_above_installed(
    installed: str, patched: str
) -> None:
    inventory = Inventory.from_wordpress(None, [{"slug": "demo", "version": installed}])
    (match,) = match_inventory(inventory, [BRANCHES]).matches
    assert match.patched_version == parse_version(patched)
    assert match.active is None


def test_patched_version_inside_a_range_is_not_offered() -> None:
    # 6.0.4 is listed as patched but also falls in [6.0, 6.1): not a fix.
    adv = _advisory(
        [
            VersionRange.parse("*", "6.0.4", to_inclusive=False),
            VersionRange.parse("6.0", "6.1"),
        ],
        ["6.0.4", "6.1.1"],
    )
    inventory = Inventory.from_wordpress(None, [{"slug": "demo", "version": "5.0"}])
    (match,) = match_inventory(inventory, [adv]).matches
    assert match.patched_version == parse_version("6.1.1")


def test_unparseable_and_missing_versions_are_unmatchable(
    caplog: pytest.LogCaptureFixture,
) -> None:
    adv = _advisory([VersionRange.parse("*", "2.0")], [])
    inventory = {
        "wordpress": "6.4.2",
        "plugins": [
            {"slug": "demo", "version": "4.5 | built on 2016-04-12", "active": True},
            {"slug": "Demo", "version": "1.1.", "active": False},
            {"slug": "demo", "active": True},
            {"slug": "demo", "version": "1.9"},
            {"slug": "no-advisories", "version": "garbage!"},  # never parsed
            {"version": "1.0"},  # no slug: cannot be identified
        ],
        "themes": [{"slug": "demo", "version": "1.0"}],  # a theme, not the plugin
    }
    with caplog.at_level(logging.WARNING):
        report = match_inventory(inventory, [adv])
    assert [(m.slug, m.installed_version.text) for m in report.matches] == [
        ("demo", "1.9")
    ]
    assert [(u.component.slug, u.component.version) for u in report.unmatchable] == [
        ("demo", "4.5 | built on 2016-04-12"),
        ("Demo", "1.1."),
        ("demo", None),
    ]
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 4  # three unmatchable, one entry without a slug
    logged_values = [a for r in warnings if isinstance(r.args, tuple) for a in r.args]
    assert "4.5 | built on 2016-04-12" in logged_values


def test_slug_lookup_is_case_insensitive_and_reports_once() -> None:
    duplicate = _advisory([VersionRange.parse("1.0", "1.5")], ["1.6"], slug="Demo")
    report = match_inventory(
        Inventory((Component("Plugin", "DEMO", "1.2"),)),
        [BRANCHES, _advisory([VersionRange.parse("*", "2.0")], []), duplicate],
    )
    # BRANCHES does not cover 1.2; the two "A1" items that do are one finding.
    assert [(m.advisory.id, m.software_type, m.slug) for m in report.matches] == [
        ("A1", "plugin", "demo")
    ]


# --- scale ---------------------------------------------------------------------


def test_large_inventory_is_matched_through_the_index() -> None:
    advisories = [
        _advisory(
            [VersionRange.parse("*", f"{n % 7}.{n % 5}", to_inclusive=False)],
            [f"{n % 7}.{n % 5}"],
            slug=f"plugin-{n % 2000}",
            record_id=f"ADV-{n}",
        )
        for n in range(20000)
    ]
    index = AdvisoryIndex(advisories)
    assert len(index) == 20000
    assert len(index.advisories_for("plugin", "plugin-7")) == 10
    plugins = [
        {"slug": f"plugin-{n}", "version": "3.1", "active": True} for n in range(2000)
    ]
    started = time.perf_counter()
    report = match_inventory(Inventory.from_wordpress("6.4.2", plugins), index)
    elapsed = time.perf_counter() - started
    # Independent count: advisory n affects 3.1 when (n % 7, n % 5) > (3, 1).
    expected = sum((n % 7, n % 5) > (3, 1) for n in range(20000))
    assert len(report.matches) == expected
    assert elapsed < 2.0  # about 0.05 s here; generous for slow CI machines
