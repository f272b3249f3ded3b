"""Wordfence v3 parsing: the real sample and hand-made records."""

from __future__ import annotations

import copy
import logging
from collections import Counter
from pathlib import Path

import pytest

from cleanshift.vulns import (
    Advisory,
    VersionRange,
    load_wordfence_v3,
    parse_version,
    parse_wordfence_v3,
)

FEEDS_LOGGER = "cleanshift.vulns.feeds"


def _by_id(advisories: list[Advisory], record_id: str) -> Advisory:
    (found,) = [a for a in advisories if a.id == record_id]
    return found


def _warnings(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [
        r
        for r in caplog.records
        if r.levelno >= logging.WARNING and r.name.startswith("cleanshift.vulns")
    ]


# --- the real sample ---------------------------------------------------------


def test_sample_parses_every_record(
    wordfence_raw: dict[str, dict[str, object]],
    wordfence_advisories: list[Advisory],
) -> None:
    assert len(wordfence_raw) == 649
    assert len(wordfence_advisories) == 649  # one software item per record
    assert {a.id for a in wordfence_advisories} == set(wordfence_raw)
    counts = Counter((a.software_type, a.slug) for a in wordfence_advisories)
    # Per-slug counts from the sample's README.
    assert counts[("core", "wordpress")] == 378
    assert counts[("plugin", "elementor")] == 53
    assert counts[("plugin", "contact-form-7")] == 8
    assert counts[("plugin", "akismet")] == 2
    # README: 137 records carry a patched version, the rest have no known fix.
    assert sum(not a.no_known_fix for a in wordfence_advisories) == 137


def test_sample_loads_without_warnings(
    caplog: pytest.LogCaptureFixture, wordfence_sample_path: Path
) -> None:
    # Includes the odd "5.8 beta 1" and "12.8-a.1" bounds: all must parse.
    with caplog.at_level(logging.WARNING):
        load_wordfence_v3(wordfence_sample_path)
    assert _warnings(caplog) == []


def test_sample_known_record_fields(wordfence_advisories: list[Advisory]) -> None:
    adv = _by_id(wordfence_advisories, "c2f54e8d-9e81-4902-9111-b826ef5da164")
    assert adv.title == "Contact Form 7 <= 5.3.1 - Arbitrary File Upload via Bypass"
    assert (adv.software_type, adv.slug) == ("plugin", "contact-form-7")
    assert adv.ranges == (VersionRange(None, parse_version("5.3.2"), True, False),)
    assert adv.patched_versions == (parse_version("5.3.2"),)
    assert not adv.no_known_fix
    assert adv.cve == "CVE-2020-35489"
    assert adv.cvss_score == 8.1
    assert adv.cvss_vector == "CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:H"
    assert adv.severity == "high"
    assert adv.severity_note is None
    assert adv.source == "wordfence"
    assert adv.references == (
        "https://www.wordfence.com/threat-intel/vulnerabilities/id/"
        "c2f54e8d-9e81-4902-9111-b826ef5da164?source=api-prod",
    )
    assert adv.description is not None
    assert adv.description.startswith("The Contact Form 7 plugin")


def test_sample_record_without_fix(wordfence_advisories: list[Advisory]) -> None:
    adv = _by_id(wordfence_advisories, "00376356-4a85-4898-a101-710e1cb5c6bb")
    assert (adv.software_type, adv.slug) == ("core", "wordpress")
    assert adv.ranges == (VersionRange(None, parse_version("3.3"), True, True),)
    assert adv.no_known_fix
    assert adv.patched_versions == ()
    assert (adv.cvss_score, adv.severity) == (6.4, "medium")


def test_sample_severity_follows_score(wordfence_advisories: list[Advisory]) -> None:
    by_severity = Counter(a.severity for a in wordfence_advisories)
    # The sample's own "rating" field, counted independently: same buckets.
    assert by_severity == {"medium": 463, "high": 146, "critical": 30, "low": 10}


def test_sample_copyrights_kept_verbatim(
    wordfence_raw: dict[str, dict[str, object]],
    wordfence_advisories: list[Advisory],
) -> None:
    for adv in wordfence_advisories:
        assert dict(adv.copyrights) == wordfence_raw[adv.id]["copyrights"]
    adv = _by_id(wordfence_advisories, "c2f54e8d-9e81-4902-9111-b826ef5da164")
    wordfence = adv.copyrights["wordfence"]
    assert isinstance(wordfence, dict)
    assert wordfence["notice"] == (
        "Vulnerability data originates from the Wordfence Intelligence "
        "vulnerability data feed (Defiant, Inc.)."
    )
    template = adv.copyrights["nuclei-wordfence-cve"]
    assert isinstance(template, dict)
    assert "MIT License, Copyright (c) 2025 topscoder" in str(template["notice"])


def test_sample_odd_version_strings(wordfence_advisories: list[Advisory]) -> None:
    beta = _by_id(wordfence_advisories, "ba4aabcc-9db8-4385-90c2-58ed93df8f9d")
    (span,) = beta.ranges
    assert span.from_version is not None
    assert span.to_version is not None
    assert span.from_version.text == "5.8 beta 1"
    assert span.to_version.normalized == "5.8.beta.2"
    jetpack = _by_id(wordfence_advisories, "824360ab-c797-465a-8480-baeae941af29")
    assert jetpack.ranges[0].to_version == parse_version("12.8-a.1")


# --- hand-made Wordfence records ------------------------------------------------


def _range(low: str, high: str, low_inc: bool, high_inc: bool) -> dict[str, object]:
    return {
        "from_version": low,
        "from_inclusive": low_inc,
        "to_version": high,
        "to_inclusive": high_inc,
    }


# Shaped like the real feed, where a core record lists one range per branch.
MULTI_RANGE_RECORD: dict[str, object] = {
    "id": "11111111-2222-3333-4444-555555555555",
    "title": "WordPress Core 6.0 - 6.2.0 - Example (written for this test)",
    "software": [
        {
            "type": "core",
            "name": "WordPress Core",
            "slug": "wordpress",
            "affected_versions": {
                "6.2 - 6.2.0": _range("6.2", "6.2.1", True, False),
                "6.1 - 6.1.1": _range("6.1", "6.1.2", True, False),
                "6.0 - 6.0.3": _range("6.0", "6.0.4", True, False),
                "1.1. - 2.0": _range("1.1.", "2.0", True, True),
                "4.5 | built": _range("*", "4.5 | built on 2016-04-12", True, True),
                "bad flags": _range("3.0", "3.1", True, "yes"),  # type: ignore[arg-type]
            },
            "patched": True,
            "patched_versions": ["6.2.1", "6.1.2", "6.0.4", "6.0.4.", 7],
            "remediation": "Update",
        }
    ],
    "informational": False,
    "references": ["https://example.invalid/advisory"],
    "cvss": None,
    "cve": None,
    "copyrights": {"message": "Test record; no copyright."},
}


def test_wordfence_several_ranges_and_malformed_items(
    caplog: pytest.LogCaptureFixture,
) -> None:
    following = copy.deepcopy(MULTI_RANGE_RECORD)
    following["id"] = "following-record"
    feed = {"first": MULTI_RANGE_RECORD, "second": following}
    with caplog.at_level(logging.WARNING):
        advisories = parse_wordfence_v3(feed)
    # A bad range does not stop the record, nor the records after it.
    assert [a.id for a in advisories] == [MULTI_RANGE_RECORD["id"], "following-record"]
    adv = advisories[0]
    assert [str(r) for r in adv.ranges] == [
        "[6.2, 6.2.1)",
        "[6.1, 6.1.2)",
        "[6.0, 6.0.4)",
    ]
    assert [v.text for v in adv.patched_versions] == ["6.0.4", "6.1.2", "6.2.1"]
    # No CVSS at all: medium, with a note saying why.
    assert adv.cvss_score is None
    assert adv.severity == "medium"
    assert adv.severity_note is not None
    assert adv.cve is None
    # One warning per bad item, per record, with the values as log arguments.
    warnings = [
        r
        for r in _warnings(caplog)
        if isinstance(r.args, tuple) and r.args[:1] == (adv.id,)
    ]
    assert len(warnings) == 5
    assert {r.name for r in warnings} <= {FEEDS_LOGGER, "cleanshift.vulns.advisory"}
    # args are (record id, slug, offending label or value, reason).
    labels = {r.args[2] for r in warnings if isinstance(r.args, tuple)}
    assert labels == {"1.1. - 2.0", "4.5 | built", "bad flags", "6.0.4.", 7}
    assert all("%" in str(r.msg) for r in warnings)  # format string, not f-string


def test_wordfence_item_without_usable_range_is_skipped(
    caplog: pytest.LogCaptureFixture,
) -> None:
    record = copy.deepcopy(MULTI_RANGE_RECORD)
    software = record["software"]
    assert isinstance(software, list)
    software[0]["affected_versions"] = {"x": _range("1.1.", "2.0", True, True)}
    with caplog.at_level(logging.WARNING):
        assert parse_wordfence_v3({"x": record, "y": "not an object"}) == []
    assert len(_warnings(caplog)) == 3  # the range, the empty item, the bad record


def test_wordfence_rejects_a_non_object_feed() -> None:
    with pytest.raises(ValueError, match="JSON object"):
        parse_wordfence_v3([MULTI_RANGE_RECORD])
