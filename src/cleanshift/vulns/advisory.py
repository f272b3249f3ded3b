"""The normalised advisory model shared by every feed parser."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

from .cvss import Severity, cvss3_base_score, severity_from_score
from .versions import Version, VersionError, VersionRange, parse_version

__all__ = ["Advisory"]

logger = logging.getLogger(__name__)

_EMPTY: Mapping[str, object] = MappingProxyType({})


@dataclass(frozen=True, slots=True, eq=False)
class Advisory:
    """One vulnerability as it affects one piece of software.

    A feed record that covers several products yields one ``Advisory`` per
    product, all with the record's ``id``. ``software_type`` is ``core``
    (``slug`` ``wordpress`` or ``drupal``), ``plugin``, ``theme``,
    ``composer`` (``slug`` is ``vendor/name``) or ``drupal-module``.
    ``ranges`` are the affected versions; ``patched_versions`` the releases
    that fix them, empty when no fix is known. ``copyrights`` is the record's
    copyright/attribution object, verbatim.
    """

    id: str
    title: str
    software_type: str
    slug: str
    ranges: tuple[VersionRange, ...]
    patched_versions: tuple[Version, ...]
    cve: str | None
    cvss_score: float | None
    cvss_vector: str | None
    severity: Severity
    severity_note: str | None
    references: tuple[str, ...]
    copyrights: Mapping[str, object]
    source: str
    description: str | None = None
    informational: bool = False

    @property
    def no_known_fix(self) -> bool:
        """True when the record names no patched version."""
        return not self.patched_versions

    def affects(self, version: Version) -> bool:
        """Whether ``version`` falls inside any affected range."""
        return any(r.contains(version) for r in self.ranges)

    def patched_version_for(self, installed: Version) -> Version | None:
        """The lowest patched version above ``installed``, or None.

        A patched version that is itself inside an affected range is skipped:
        recommending it would send the user to another vulnerable release.
        """
        candidates = [
            v for v in self.patched_versions if v > installed and not self.affects(v)
        ]
        return min(candidates, default=None)


# --- helpers for the feed parsers: JSON values arrive untyped ---------------


def get_str(record: Mapping[str, object], key: str) -> str | None:
    """``record[key]`` if it is a non-blank string, else None."""
    value = record.get(key)
    return value if isinstance(value, str) and value.strip() else None


def get_list(record: Mapping[str, object], key: str) -> list[object]:
    """``record[key]`` if it is a list, else an empty list."""
    value = record.get(key)
    return value if isinstance(value, list) else []


def get_mapping(record: Mapping[str, object], key: str) -> Mapping[str, object]:
    """``record[key]`` if it is a JSON object, else an empty mapping."""
    value = record.get(key)
    return value if isinstance(value, Mapping) else _EMPTY


def frozen_mapping(value: Mapping[str, object]) -> Mapping[str, object]:
    """A read-only view of ``value`` (kept verbatim, not copied)."""
    return MappingProxyType(dict(value)) if value else _EMPTY


def parse_patched(
    record_id: str, slug: str, values: Iterable[object]
) -> tuple[Version, ...]:
    """Parse patched-version strings, logging and skipping malformed ones."""
    patched: list[Version] = []
    for value in values:
        try:
            if not isinstance(value, str):
                raise VersionError(f"not a string: {value!r}")
            patched.append(parse_version(value))
        except VersionError as exc:
            logger.warning(
                "%s (%s): skipping patched version %r: %s", record_id, slug, value, exc
            )
    return tuple(sorted(set(patched)))


def score_and_severity(
    record_id: str, score: object, vector: str | None
) -> tuple[float | None, Severity, str | None]:
    """Validate a CVSS score (computing it from a v3 vector if absent).

    Returns the score, the severity and a note on how the severity was set.
    """
    value: float | None = None
    if isinstance(score, (int, float)) and not isinstance(score, bool):
        if 0 <= score <= 10:
            value = float(score)
        else:
            logger.warning("%s: CVSS score %r out of range; ignored", record_id, score)
    if value is None and vector is not None and vector.startswith("CVSS:3"):
        try:
            value = cvss3_base_score(vector)
        except ValueError as exc:
            logger.warning("%s: unusable CVSS vector: %s", record_id, exc)
    severity, note = severity_from_score(value)
    if value is None and vector is not None and not vector.startswith("CVSS:3"):
        note = f"{note} (vector {vector.split('/', 1)[0]} is not scored here)"
    return value, severity, note
