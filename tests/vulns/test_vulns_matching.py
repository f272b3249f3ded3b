"""Acceptance: matching real versions against the Wordfence sample.

Expected results are written out by hand per record, and recomputed from the
raw JSON by a plain integer-tuple check that shares no code with the library.
"""

from __future__ import annotations

import pytest

from cleanshift.vulns import AdvisoryIndex, match_inventory, parse_version

# --- acceptance: contact-form-7 against the sample -------------------------------

# Every contact-form-7 record in the sample, copied by hand from the JSON:
# id -> affected range (all are "from *") and patched version.
CF7 = {
    "1814d2ad-73b1-4440-9cd6-7c5c569c4fb2": "< 5.0.4, fixed in 5.0.4",
    "38257dbf-288e-4028-af65-85f5389888ac": "<= 6.0.5, no fix",
    "5d7fb020-6acb-445e-a46b-bdb5aaf8f2b6": "<= 5.8.3, no fix",
    "92298f2d-aced-4177-b6e8-36e153e9c930": "<= 3.5.2, no fix",
    "953be831-d688-4ae1-b8c1-d863eded945b": "<= 5.9.4, no fix",
    "c2f54e8d-9e81-4902-9111-b826ef5da164": "< 5.3.2, fixed in 5.3.2",
    "d5bf4972-424a-4470-a0bc-7dcc95378e0e": "<= 5.9, no fix",
    "e421cb35-e9f4-43f3-a39e-d51d197bc279": "< 3.7.2, fixed in 3.7.2",
}

# Installed version -> {record id: expected patched version (None = no fix)},
# worked out by hand from the table above.
CF7_EXPECTED: dict[str, dict[str, str | None]] = {
    "3.5.2": {
        "1814d2ad-73b1-4440-9cd6-7c5c569c4fb2": "5.0.4",
        "38257dbf-288e-4028-af65-85f5389888ac": None,
        "5d7fb020-6acb-445e-a46b-bdb5aaf8f2b6": None,
        "92298f2d-aced-4177-b6e8-36e153e9c930": None,
        "953be831-d688-4ae1-b8c1-d863eded945b": None,
        "c2f54e8d-9e81-4902-9111-b826ef5da164": "5.3.2",
        "d5bf4972-424a-4470-a0bc-7dcc95378e0e": None,
        "e421cb35-e9f4-43f3-a39e-d51d197bc279": "3.7.2",
    },
    "5.3.1": {
        "38257dbf-288e-4028-af65-85f5389888ac": None,
        "5d7fb020-6acb-445e-a46b-bdb5aaf8f2b6": None,
        "953be831-d688-4ae1-b8c1-d863eded945b": None,
        "c2f54e8d-9e81-4902-9111-b826ef5da164": "5.3.2",  # 5.3.1 < 5.3.2
        "d5bf4972-424a-4470-a0bc-7dcc95378e0e": None,
    },
    "5.3.2": {  # the fix for c2f54e8d: excluded by the exclusive bound
        "38257dbf-288e-4028-af65-85f5389888ac": None,
        "5d7fb020-6acb-445e-a46b-bdb5aaf8f2b6": None,
        "953be831-d688-4ae1-b8c1-d863eded945b": None,
        "d5bf4972-424a-4470-a0bc-7dcc95378e0e": None,
    },
    "5.8": {
        "38257dbf-288e-4028-af65-85f5389888ac": None,
        "5d7fb020-6acb-445e-a46b-bdb5aaf8f2b6": None,  # 5.8 <= 5.8.3
        "953be831-d688-4ae1-b8c1-d863eded945b": None,
        "d5bf4972-424a-4470-a0bc-7dcc95378e0e": None,  # 5.8 <= 5.9
    },
    "5.9.5": {"38257dbf-288e-4028-af65-85f5389888ac": None},
    "6.1": {},
}


def _numeric(text: str) -> tuple[int, ...]:
    """An independent version key, for purely numeric versions only.

    Python compares tuples the way PHP's version_compare compares dotted
    numbers: part by part as integers, and a longer tuple that starts with a
    shorter one is greater ((4, 7, 0) > (4, 7)). Non-numeric text raises.
    """
    return tuple(int(part) for part in text.split("."))


def _independent_ids(
    raw: dict[str, dict[str, object]], software_type: str, slug: str, installed: str
) -> set[str]:
    """Which sample records affect ``installed``, without the library."""
    version = _numeric(installed)
    ids: set[str] = set()
    for record_id, record in raw.items():
        software = record["software"]
        assert isinstance(software, list)
        for item in software:
            if (item["type"], item["slug"]) != (software_type, slug):
                continue
            for span in item["affected_versions"].values():
                low, high = span["from_version"], span["to_version"]
                if "beta" in low + high:
                    # Only the two "5.8 beta" core records; the versions
                    # checked here are not 5.8 pre-releases.
                    assert record_id in BETA_RECORDS
                    continue
                above = low == "*" or (
                    version >= _numeric(low)
                    if span["from_inclusive"]
                    else version > _numeric(low)
                )
                below = high == "*" or (
                    version <= _numeric(high)
                    if span["to_inclusive"]
                    else version < _numeric(high)
                )
                if above and below:
                    ids.add(record_id)
    return ids


BETA_RECORDS = {
    "6ed9a567-fde4-4b6f-81c1-423c5cbba0a9",  # 5.8 beta 1 - 5.8 beta 1
    "ba4aabcc-9db8-4385-90c2-58ed93df8f9d",  # 5.8 beta 1 - 5.8 beta 2
}


def test_cf7_table_matches_the_sample(
    wordfence_raw: dict[str, dict[str, object]],
) -> None:
    cf7_ids = {
        record_id
        for record_id, record in wordfence_raw.items()
        if any(s["slug"] == "contact-form-7" for s in record["software"])  # type: ignore[attr-defined]
    }
    assert cf7_ids == set(CF7)


@pytest.mark.parametrize("installed", sorted(CF7_EXPECTED))
def test_contact_form_7_matches(
    installed: str,
    wordfence_index: AdvisoryIndex,
    wordfence_raw: dict[str, dict[str, object]],
) -> None:
    inventory = {
        "wordpress": None,
        "plugins": [{"slug": "contact-form-7", "version": installed, "active": True}],
    }
    report = match_inventory(inventory, wordfence_index)
    found = {m.advisory.id: m.patched_version for m in report.matches}
    expected = CF7_EXPECTED[installed]
    assert set(found) == set(expected)
    assert set(found) == _independent_ids(
        wordfence_raw, "plugin", "contact-form-7", installed
    )
    for record_id, patched in expected.items():
        got = found[record_id]
        assert (got.text if got else None) == patched
    assert report.unmatchable == ()
    for match in report.matches:
        assert (match.software_type, match.slug) == ("plugin", "contact-form-7")
        assert match.installed_version == parse_version(installed)
        assert match.active is True
        assert match.no_known_fix is (match.patched_version is None)


# WordPress 6.4.2, by hand from the sample.
CORE_642 = {
    "0a6707ef-aab7-449c-8160-034bc188a998",  # 6.4 - 6.4.2 inclusive
    "112ed4f2-fe91-4d83-a3f7-eaf889870af4",  # all versions
    "6e6f993b-ce09-4050-84a1-cbe9953f36b1",  # <= 6.4.3
    "9fda5e15-fdf9-4b67-93d3-2dbfa94aefe9",  # all versions
    "e5dc87cd-4f45-4faf-b1e2-64e94eacb180",  # < 6.8, fixed in 6.8
}


@pytest.mark.parametrize("installed", ["6.4.2", "5.2.3", "4.7", "4.7.0", "3.3", "6.2"])
def test_wordpress_core_matches(
    installed: str,
    wordfence_index: AdvisoryIndex,
    wordfence_raw: dict[str, dict[str, object]],
) -> None:
    report = match_inventory({"wordpress": installed}, wordfence_index)
    found = {m.advisory.id for m in report.matches}
    assert found == _independent_ids(wordfence_raw, "core", "wordpress", installed)
    if installed == "6.4.2":
        assert found == CORE_642


def test_wordpress_47_is_not_470(wordfence_index: AdvisoryIndex) -> None:
    # Two records cover exactly "4.7 - 4.7". As in PHP, "4.7.0" > "4.7", so
    # only the spelling WordPress itself reports ("4.7") matches them.
    only_47 = {
        "2b300f55-f1ee-4345-adc2-32cd3b081a30",
        "91e61664-3b98-4a97-b35c-1ec88034d05b",
    }
    ids_47 = {
        m.advisory.id
        for m in match_inventory({"wordpress": "4.7"}, wordfence_index).matches
    }
    ids_470 = {
        m.advisory.id
        for m in match_inventory({"wordpress": "4.7.0"}, wordfence_index).matches
    }
    assert ids_47 - ids_470 == only_47
    assert ids_470 <= ids_47


def test_wordpress_beta_matches_wordfence_beta_spelling(
    wordfence_index: AdvisoryIndex,
) -> None:
    # WordPress reports "5.8-beta1"; Wordfence writes the bound "5.8 beta 1".
    report = match_inventory({"wordpress": "5.8-beta1"}, wordfence_index)
    assert {m.advisory.id for m in report.matches} >= BETA_RECORDS
    report = match_inventory({"wordpress": "5.8"}, wordfence_index)
    assert not BETA_RECORDS & {m.advisory.id for m in report.matches}
