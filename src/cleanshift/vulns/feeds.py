"""Parsers that turn vulnerability feeds into :class:`Advisory` objects.

Two formats are read:

* Wordfence Intelligence v3: one JSON object keyed by record UUID; each record
  lists ``software`` items with ``affected_versions`` ranges (several per item
  in the real feed, one per maintained branch) and ``patched_versions``.
* OSV (https://ossf.github.io/osv-schema/): one record or a list of records.
  Only the ``Packagist`` ecosystem is mapped, including its Drupal form
  ``Packagist:https://packages.drupal.org/8``.

Bad data never stops an import: a malformed version string is logged with the
record id and that range (or patched version) is skipped; a software item left
with no usable range is logged and skipped. Nothing is inferred from titles.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Iterator, Mapping

from .advisory import (
    Advisory,
    frozen_mapping,
    get_list,
    get_mapping,
    get_str,
    parse_patched,
    score_and_severity,
)
from .versions import Version, VersionError, VersionRange, parse_version

__all__ = ["load_osv", "load_wordfence_v3", "parse_osv", "parse_wordfence_v3"]

logger = logging.getLogger(__name__)


def _load_json(path: str | os.PathLike[str]) -> object:
    with open(path, encoding="utf-8") as handle:
        data: object = json.load(handle)
    return data


def load_wordfence_v3(path: str | os.PathLike[str]) -> list[Advisory]:
    """Read a Wordfence Intelligence v3 JSON file; see :func:`parse_wordfence_v3`."""
    return parse_wordfence_v3(_load_json(path))


def parse_wordfence_v3(feed: object, *, source: str = "wordfence") -> list[Advisory]:
    """Parse a decoded Wordfence v3 feed (a mapping of UUID to record).

    Raises ``ValueError`` only if ``feed`` is not a JSON object at all.
    """
    if not isinstance(feed, Mapping):
        raise ValueError("a Wordfence v3 feed is a JSON object keyed by record id")
    advisories: list[Advisory] = []
    for key, record in feed.items():
        if not isinstance(record, Mapping):
            logger.warning("Wordfence record %r is not an object; skipped", key)
            continue
        advisories.extend(_wordfence_record(str(key), record, source))
    return advisories


def _wordfence_record(
    key: str, record: Mapping[str, object], source: str
) -> Iterator[Advisory]:
    record_id = get_str(record, "id") or key
    cvss = get_mapping(record, "cvss")
    vector = get_str(cvss, "vector")
    score, severity, note = score_and_severity(record_id, cvss.get("score"), vector)
    references = tuple(r for r in get_list(record, "references") if isinstance(r, str))
    copyrights = frozen_mapping(get_mapping(record, "copyrights"))
    items = get_list(record, "software")
    if not items:
        logger.warning("%s: record lists no software; skipped", record_id)
    for item in items:
        software_type = get_str(item, "type") if isinstance(item, Mapping) else None
        slug = get_str(item, "slug") if isinstance(item, Mapping) else None
        if not isinstance(item, Mapping) or software_type is None or slug is None:
            logger.warning("%s: software item without type/slug skipped", record_id)
            continue
        ranges = _wordfence_ranges(
            record_id, slug, get_mapping(item, "affected_versions")
        )
        if not ranges:
            logger.warning(
                "%s (%s): no usable affected range; skipped", record_id, slug
            )
            continue
        yield Advisory(
            id=record_id,
            title=get_str(record, "title") or record_id,
            software_type=software_type.strip().lower(),
            slug=slug.strip().lower(),
            ranges=ranges,
            patched_versions=parse_patched(
                record_id, slug, get_list(item, "patched_versions")
            ),
            cve=get_str(record, "cve"),
            cvss_score=score,
            cvss_vector=vector,
            severity=severity,
            severity_note=note,
            references=references,
            copyrights=copyrights,
            source=source,
            description=get_str(record, "description"),
            informational=record.get("informational") is True,
        )


def _wordfence_ranges(
    record_id: str, slug: str, affected: Mapping[str, object]
) -> tuple[VersionRange, ...]:
    ranges: list[VersionRange] = []
    for label, spec in affected.items():
        try:
            if not isinstance(spec, Mapping):
                raise VersionError("range is not an object")
            low, high = spec.get("from_version"), spec.get("to_version")
            low_inc, high_inc = spec.get("from_inclusive"), spec.get("to_inclusive")
            if not (isinstance(low, str) and isinstance(high, str)):
                raise VersionError(f"bounds are not strings: {low!r}, {high!r}")
            if not (isinstance(low_inc, bool) and isinstance(high_inc, bool)):
                raise VersionError("inclusive flags are not booleans")
            found = VersionRange.parse(
                low, high, from_inclusive=low_inc, to_inclusive=high_inc
            )
            if found.is_empty():
                raise VersionError(f"range {found} is empty")
        except VersionError as exc:
            logger.warning(
                "%s (%s): skipping affected range %r: %s", record_id, slug, label, exc
            )
            continue
        ranges.append(found)
    return tuple(ranges)


# --- OSV ---------------------------------------------------------------------

_OSV_EVENTS = ("introduced", "fixed", "last_affected")


def load_osv(path: str | os.PathLike[str]) -> list[Advisory]:
    """Read an OSV JSON file (one record or a list); see :func:`parse_osv`."""
    return parse_osv(_load_json(path))


def parse_osv(data: object, *, source: str = "osv") -> list[Advisory]:
    """Parse one decoded OSV record or a list of them.

    Withdrawn records and packages outside the Packagist ecosystem are skipped.
    ``ECOSYSTEM`` and ``SEMVER`` ranges are both compared with
    ``version_compare`` order; ``GIT`` ranges (commit hashes) are skipped.
    """
    records = data if isinstance(data, list) else [data]
    advisories: list[Advisory] = []
    for index, record in enumerate(records):
        if not isinstance(record, Mapping) or get_str(record, "id") is None:
            logger.warning("OSV item %d has no id or is not an object; skipped", index)
            continue
        advisories.extend(_osv_record(record, source))
    return advisories


def _osv_target(ecosystem: str | None, name: str | None) -> tuple[str, str] | None:
    """Map an OSV package to (software_type, slug), or None if unsupported."""
    if ecosystem is None or name is None:
        return None
    if ecosystem != "Packagist" and not ecosystem.startswith("Packagist:"):
        return None
    name = name.strip().lower()  # Composer package names are case-insensitive
    if name in ("drupal/core", "drupal/drupal"):
        return "core", "drupal"
    if name.startswith("drupal/"):
        return "drupal-module", name.removeprefix("drupal/")
    return "composer", name


def _osv_record(record: Mapping[str, object], source: str) -> Iterator[Advisory]:
    record_id = get_str(record, "id") or ""
    if get_str(record, "withdrawn"):
        logger.info("%s: withdrawn; skipped", record_id)
        return
    details = get_str(record, "details")
    aliases = [a for a in get_list(record, "aliases") if isinstance(a, str)]
    cve = next((a for a in [record_id, *aliases] if a.startswith("CVE-")), None)
    vectors = {
        get_str(s, "type"): get_str(s, "score")
        for s in get_list(record, "severity")
        if isinstance(s, Mapping)
    }
    vector = vectors.get("CVSS_V3") or vectors.get("CVSS_V4")
    score, severity, note = score_and_severity(record_id, None, vector)
    references = tuple(
        url
        for ref in get_list(record, "references")
        if isinstance(ref, Mapping) and (url := get_str(ref, "url"))
    )
    for affected in get_list(record, "affected"):
        if not isinstance(affected, Mapping):
            continue
        package = get_mapping(affected, "package")
        ecosystem, name = get_str(package, "ecosystem"), get_str(package, "name")
        target = _osv_target(ecosystem, name)
        if target is None:
            logger.info("%s: package %s/%s not supported", record_id, ecosystem, name)
            continue
        software_type, slug = target
        ranges: list[VersionRange] = []
        fixed: list[Version] = []
        for spec in get_list(affected, "ranges"):
            if isinstance(spec, Mapping):
                found, fixes = _osv_range(record_id, slug, spec)
                ranges.extend(found)
                fixed.extend(fixes)
        for listed in get_list(affected, "versions"):
            try:
                point = parse_version(listed) if isinstance(listed, str) else None
            except VersionError as exc:
                logger.warning("%s (%s): skipping version: %s", record_id, slug, exc)
                continue
            if point is not None:
                ranges.append(VersionRange(point, point))
        if not ranges:
            logger.warning(
                "%s (%s): no usable affected range; skipped", record_id, slug
            )
            continue
        yield Advisory(
            id=record_id,
            title=get_str(record, "summary")
            or (details.splitlines()[0] if details else record_id),
            software_type=software_type,
            slug=slug,
            ranges=tuple(ranges),
            patched_versions=tuple(sorted(set(fixed))),
            cve=cve,
            cvss_score=score,
            cvss_vector=vector,
            severity=severity,
            severity_note=note,
            references=references,
            copyrights=frozen_mapping(get_mapping(record, "copyrights")),
            source=source,
            description=details,
        )


def _osv_range(
    record_id: str, slug: str, spec: Mapping[str, object]
) -> tuple[list[VersionRange], list[Version]]:
    """Turn one OSV range's events into version ranges and fixed versions."""
    kind = get_str(spec, "type")
    events: list[tuple[str, Version | None]] = []
    try:
        if kind not in ("ECOSYSTEM", "SEMVER"):
            raise VersionError(f"range type {kind!r} is not version-based")
        for event in get_list(spec, "events"):
            if not isinstance(event, Mapping) or len(event) != 1:
                raise VersionError(f"malformed event {event!r}")
            ((name, value),) = event.items()
            if name not in _OSV_EVENTS or not isinstance(value, str):
                raise VersionError(f"unsupported event {event!r}")
            unbounded = name == "introduced" and value == "0"
            events.append((name, None if unbounded else parse_version(value)))
    except VersionError as exc:
        logger.warning("%s (%s): skipping OSV range: %s", record_id, slug, exc)
        return [], []
    # OSV does not require events in order; its evaluation sorts them by version.
    events.sort(key=lambda e: (e[1] is not None, e[1].key if e[1] else ()))
    ranges: list[VersionRange] = []
    fixed: list[Version] = []
    start: Version | None = None
    is_open = False
    for name, version in events:
        if name == "introduced":
            if not is_open:
                start, is_open = version, True
            continue
        if name == "fixed" and version is not None:
            fixed.append(version)
        if is_open:
            ranges.append(VersionRange(start, version, True, name == "last_affected"))
            is_open = False
    if is_open:
        ranges.append(VersionRange(start, None))
    return ranges, fixed
