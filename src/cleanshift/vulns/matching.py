"""Match an inventory of installed software against advisories.

Advisories are indexed by ``(software_type, slug)``, so matching costs one
dictionary look-up per installed component plus a range check against the few
advisories for that component, however large the advisory set is.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass

from .advisory import Advisory
from .versions import Version, VersionError, parse_version

__all__ = [
    "AdvisoryIndex",
    "Component",
    "Inventory",
    "MatchReport",
    "Unmatchable",
    "VulnerabilityMatch",
    "match_inventory",
]

logger = logging.getLogger(__name__)


def _key(software_type: str, slug: str) -> tuple[str, str]:
    # Slugs and Composer names are case-insensitive identifiers.
    return software_type.strip().lower(), slug.strip().lower()


@dataclass(frozen=True, slots=True)
class Component:
    """One installed piece of software; ``version`` None means unknown."""

    software_type: str
    slug: str
    version: str | None
    active: bool | None = None


@dataclass(frozen=True, slots=True)
class Inventory:
    """The software installed on one site."""

    components: tuple[Component, ...]

    @classmethod
    def from_wordpress(
        cls,
        wordpress: str | None,
        plugins: Iterable[Mapping[str, object]] = (),
        themes: Iterable[Mapping[str, object]] = (),
    ) -> Inventory:
        """Build from a core version and ``[{slug, version, active}]`` lists.

        An entry without a slug cannot be identified: it is logged and left out.
        """
        found: list[Component] = []
        if wordpress is not None:
            found.append(Component("core", "wordpress", wordpress))
        for software_type, entries in (("plugin", plugins), ("theme", themes)):
            for entry in entries:
                slug, version = entry.get("slug"), entry.get("version")
                active = entry.get("active")
                if not isinstance(slug, str) or not slug.strip():
                    logger.warning(
                        "%s entry without a slug ignored: %r", software_type, entry
                    )
                    continue
                found.append(
                    Component(
                        software_type,
                        slug,
                        version if isinstance(version, str) else None,
                        active if isinstance(active, bool) else None,
                    )
                )
        return cls(tuple(found))

    @classmethod
    def from_mapping(cls, data: Mapping[str, object]) -> Inventory:
        """Build from ``{"wordpress": ..., "plugins": [...], "themes": [...]}``."""
        core = data.get("wordpress")
        if core is not None and not isinstance(core, str):
            logger.warning("WordPress version %r is not a string; ignored", core)
        plugins, themes = data.get("plugins"), data.get("themes")
        return cls.from_wordpress(
            core if isinstance(core, str) else None,
            [p for p in plugins if isinstance(p, Mapping)]
            if isinstance(plugins, list)
            else [],
            [t for t in themes if isinstance(t, Mapping)]
            if isinstance(themes, list)
            else [],
        )


@dataclass(frozen=True, slots=True)
class VulnerabilityMatch:
    """An installed component that an advisory affects.

    ``patched_version`` is the lowest patched release above the installed one,
    or None when no fix is known.
    """

    advisory: Advisory
    software_type: str
    slug: str
    installed_version: Version
    patched_version: Version | None
    active: bool | None = None

    @property
    def no_known_fix(self) -> bool:
        """True when no patched release above the installed one is known."""
        return self.patched_version is None


@dataclass(frozen=True, slots=True)
class Unmatchable:
    """A component with advisories whose version could not be compared."""

    component: Component
    reason: str


@dataclass(frozen=True, slots=True)
class MatchReport:
    """The result of matching one inventory."""

    matches: tuple[VulnerabilityMatch, ...]
    unmatchable: tuple[Unmatchable, ...]


class AdvisoryIndex:
    """Advisories grouped by ``(software_type, slug)`` for fast matching."""

    def __init__(self, advisories: Iterable[Advisory]) -> None:
        """Index ``advisories``; the iterable is consumed once."""
        grouped: defaultdict[tuple[str, str], list[Advisory]] = defaultdict(list)
        for advisory in advisories:
            grouped[_key(advisory.software_type, advisory.slug)].append(advisory)
        self._by_key = {key: tuple(group) for key, group in grouped.items()}

    def __len__(self) -> int:
        return sum(len(group) for group in self._by_key.values())

    def advisories(self) -> Iterator[Advisory]:
        """Every indexed advisory."""
        for group in self._by_key.values():
            yield from group

    def advisories_for(self, software_type: str, slug: str) -> tuple[Advisory, ...]:
        """All advisories for one component, in feed order."""
        return self._by_key.get(_key(software_type, slug), ())

    def match(self, inventory: Inventory) -> MatchReport:
        """Match every component of ``inventory``.

        A component is only parsed when some advisory names it, so an odd
        version string on software with no advisories is not reported.
        """
        matches: list[VulnerabilityMatch] = []
        unmatchable: list[Unmatchable] = []
        for component in inventory.components:
            candidates = self.advisories_for(component.software_type, component.slug)
            if not candidates:
                continue
            try:
                if component.version is None:
                    raise VersionError("no installed version recorded")
                installed = parse_version(component.version)
            except VersionError as exc:
                logger.warning(
                    "cannot match %s %s version %r: %s",
                    component.software_type,
                    component.slug,
                    component.version,
                    exc,
                )
                unmatchable.append(Unmatchable(component, str(exc)))
                continue
            matches.extend(self._match_one(component, installed, candidates))
        matches.sort(key=lambda m: (m.software_type, m.slug, m.advisory.id))
        return MatchReport(tuple(matches), tuple(unmatchable))

    @staticmethod
    def _match_one(
        component: Component, installed: Version, candidates: tuple[Advisory, ...]
    ) -> Iterable[VulnerabilityMatch]:
        seen: set[tuple[str, str]] = set()
        for advisory in candidates:
            # A record may list the same product twice; report it once.
            if (advisory.source, advisory.id) in seen or not advisory.affects(
                installed
            ):
                continue
            seen.add((advisory.source, advisory.id))
            software_type, slug = _key(component.software_type, component.slug)
            yield VulnerabilityMatch(
                advisory=advisory,
                software_type=software_type,
                slug=slug,
                installed_version=installed,
                patched_version=advisory.patched_version_for(installed),
                active=component.active,
            )


def match_inventory(
    inventory: Inventory | Mapping[str, object],
    advisories: AdvisoryIndex | Iterable[Advisory],
) -> MatchReport:
    """Match ``inventory`` against ``advisories``.

    Pass an :class:`AdvisoryIndex` to reuse it across many inventories; a
    plain iterable is indexed on each call. A mapping inventory is read with
    :meth:`Inventory.from_mapping`.
    """
    if not isinstance(inventory, Inventory):
        inventory = Inventory.from_mapping(inventory)
    index = (
        advisories
        if isinstance(advisories, AdvisoryIndex)
        else AdvisoryIndex(advisories)
    )
    return index.match(inventory)
