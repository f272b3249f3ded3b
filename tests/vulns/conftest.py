"""Fixtures for the vulnerability-matching tests: the shared Wordfence sample."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cleanshift.vulns import Advisory, AdvisoryIndex, load_wordfence_v3

# tests/vulns/ -> tests/ -> the checkout -> its parent, where shared/ lives.
WORDFENCE_SAMPLE = (
    Path(__file__).resolve().parents[3]
    / "shared"
    / "vulndb"
    / "wordfence-v3-sample.json"
)


@pytest.fixture(scope="session")
def wordfence_sample_path() -> Path:
    """Where the shared Wordfence v3 sample lives."""
    return WORDFENCE_SAMPLE


@pytest.fixture(scope="session")
def wordfence_raw() -> dict[str, dict[str, object]]:
    """The sample feed as plain JSON, for checks independent of the library."""
    with WORDFENCE_SAMPLE.open(encoding="utf-8") as handle:
        data: dict[str, dict[str, object]] = json.load(handle)
    return data


@pytest.fixture(scope="session")
def wordfence_advisories() -> list[Advisory]:
    """The sample feed parsed by the library."""
    return load_wordfence_v3(WORDFENCE_SAMPLE)


@pytest.fixture(scope="session")
def wordfence_index(wordfence_advisories: list[Advisory]) -> AdvisoryIndex:
    """The parsed sample, indexed for matching."""
    return AdvisoryIndex(wordfence_advisories)
