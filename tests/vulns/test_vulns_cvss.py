"""CVSS v3 base scores and the severity buckets."""

from __future__ import annotations

import pytest

from cleanshift.vulns import cvss3_base_score, severity_from_score


@pytest.mark.parametrize(
    ("vector", "score"),
    [
        ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 9.8),
        ("CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N", 6.1),
        ("CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:L/I:L/A:N", 6.4),
        ("CVSS:3.0/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:H", 8.1),
        ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N", 0.0),
        ("CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:C/C:H/I:H/A:H/E:P", 9.1),
    ],
)
def test_cvss3_base_score(vector: str, score: float) -> None:
    assert cvss3_base_score(vector) == score


@pytest.mark.parametrize(
    "vector",
    [
        "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N",
        "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H",
        "CVSS:3.1/AV:X/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
        "AV:N/AC:L/Au:N/C:P/I:P/A:P",
    ],
)
def test_cvss3_base_score_rejects(vector: str) -> None:
    with pytest.raises(ValueError, match="CVSS"):
        cvss3_base_score(vector)


@pytest.mark.parametrize(
    ("score", "severity", "has_note"),
    [
        (10.0, "critical", False),
        (9.0, "critical", False),
        (8.9, "high", False),
        (7.0, "high", False),
        (6.9, "medium", False),
        (4.0, "medium", False),
        (3.9, "low", False),
        (0.1, "low", False),
        (0.0, "medium", True),
        (None, "medium", True),
    ],
)
def test_severity_from_score(
    score: float | None, severity: str, has_note: bool
) -> None:
    found, note = severity_from_score(score)
    assert found == severity
    assert (note is not None) is has_note
