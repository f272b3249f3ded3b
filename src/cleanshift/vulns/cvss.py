"""CVSS v3.x base scores and the severity buckets derived from them.

OSV records carry only a CVSS vector, so the base score is computed here with
the CVSS v3.1 specification's formulas (section 7 and Appendix A). v3.0
vectors use the same weights; the v3.1 ``Roundup`` is used for both because it
only differs from v3.0's by removing floating-point artefacts.
"""

from __future__ import annotations

import math
from typing import Final, Literal

__all__ = ["Severity", "cvss3_base_score", "severity_from_score"]

Severity = Literal["critical", "high", "medium", "low"]

_WEIGHTS: Final[dict[str, dict[str, float]]] = {
    "AV": {"N": 0.85, "A": 0.62, "L": 0.55, "P": 0.2},
    "AC": {"L": 0.77, "H": 0.44},
    "UI": {"N": 0.85, "R": 0.62},
    "C": {"H": 0.56, "L": 0.22, "N": 0.0},
    "I": {"H": 0.56, "L": 0.22, "N": 0.0},
    "A": {"H": 0.56, "L": 0.22, "N": 0.0},
}
# Privileges Required weighs more when the scope changes.
_PR_UNCHANGED: Final = {"N": 0.85, "L": 0.62, "H": 0.27}
_PR_CHANGED: Final = {"N": 0.85, "L": 0.68, "H": 0.5}
_BASE_METRICS: Final = ("AV", "AC", "PR", "UI", "S", "C", "I", "A")


def _roundup(value: float) -> float:
    # Spec Appendix A: round up to one decimal without float noise.
    as_int = round(value * 100000)
    if as_int % 10000 == 0:
        return as_int / 100000.0
    return (math.floor(as_int / 10000) + 1) / 10.0


def cvss3_base_score(vector: str) -> float:
    """Return the base score of a ``CVSS:3.0/...`` or ``CVSS:3.1/...`` vector.

    Raises ``ValueError`` for any other or malformed vector. Temporal and
    environmental metrics in the vector are ignored: feeds rate the base score.
    """
    prefix, _, body = vector.strip().partition("/")
    if prefix not in ("CVSS:3.0", "CVSS:3.1"):
        raise ValueError(f"not a CVSS v3 vector: {vector!r}")
    metrics: dict[str, str] = {}
    for part in body.split("/"):
        name, sep, value = part.partition(":")
        if not sep or name in metrics:
            raise ValueError(f"malformed CVSS vector: {vector!r}")
        metrics[name] = value
    if any(name not in metrics for name in _BASE_METRICS):
        raise ValueError(f"CVSS vector lacks base metrics: {vector!r}")
    scope = metrics["S"]
    if scope not in ("U", "C"):
        raise ValueError(f"bad scope in CVSS vector: {vector!r}")
    try:
        weights = {name: _WEIGHTS[name][metrics[name]] for name in _WEIGHTS}
        pr = (_PR_CHANGED if scope == "C" else _PR_UNCHANGED)[metrics["PR"]]
    except KeyError:
        raise ValueError(f"bad metric value in CVSS vector: {vector!r}") from None
    iss = 1 - (1 - weights["C"]) * (1 - weights["I"]) * (1 - weights["A"])
    if scope == "U":
        impact = 6.42 * iss
    else:
        impact = 7.52 * (iss - 0.029) - 3.25 * (iss - 0.02) ** 15
    exploitability = 8.22 * weights["AV"] * weights["AC"] * pr * weights["UI"]
    if impact <= 0:
        return 0.0
    if scope == "U":
        return _roundup(min(impact + exploitability, 10))
    return _roundup(min(1.08 * (impact + exploitability), 10))


def severity_from_score(score: float | None) -> tuple[Severity, str | None]:
    """Map a CVSS score to a severity and an optional note explaining it.

    9.0+ is critical, 7.0+ high, 4.0+ medium, above 0 low. A missing score
    defaults to medium, with a note, so an unscored record is neither hidden
    nor inflated. A score of 0.0 (CVSS rating "None") is handled the same way:
    a record in a vulnerability feed scored 0.0 is a data error, not a
    harmless finding.
    """
    if score is None:
        return "medium", "no CVSS score in the record; severity defaults to medium"
    if score <= 0:
        return "medium", "CVSS score is 0.0; treated as unscored (medium)"
    if score >= 9.0:
        return "critical", None
    if score >= 7.0:
        return "high", None
    if score >= 4.0:
        return "medium", None
    return "low", None
