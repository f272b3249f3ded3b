"""Matching database values against the YARA rules for database content.

The rules live in ``cleanshift/rules/database/*.yar`` and follow the file
rules' metadata contract (``description``, ``severity``, ``family``). The
scanner sets the global ``field`` to the kind of value it scans (``title``,
``content``, ``option``, ``config``, ``cron``), so a rule can be strict
where a value has no business holding markup, such as a post title.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yara_x

from cleanshift.engine.findings import SEVERITY_ORDER
from cleanshift.engine.findings import make_snippet as engine_snippet
from cleanshift.engine.rules import RuleInfo, RuleSetError, describe_rule

logger = logging.getLogger(__name__)

DATABASE_RULES_DIR = Path(__file__).resolve().parent.parent / "rules" / "database"
FIELD_GLOBAL = "field"
SCAN_TIMEOUT_SECONDS = 10


@dataclass(frozen=True)
class ValueMatch:
    """The most severe rule that matched a value, and where in it."""

    rule: RuleInfo
    snippet: str
    sha256: str
    matched_rules: tuple[str, ...]


def compile_database_rules(rules_dir: Path = DATABASE_RULES_DIR) -> yara_x.Rules:
    """Compile every ``*.yar`` file in ``rules_dir``, one namespace each."""
    compiler = yara_x.Compiler()
    compiler.define_global(FIELD_GLOBAL, "")
    for path in sorted(rules_dir.glob("*.yar")):
        compiler.new_namespace(path.stem)
        try:
            compiler.add_source(path.read_text(encoding="utf-8"), origin=str(path))
        except yara_x.CompileError as error:
            raise RuleSetError(f"{path.name}: {error}") from error
    return compiler.build()


@cache
def default_database_rules() -> yara_x.Rules:
    """The shipped database rules, compiled once per process."""
    return compile_database_rules()


def value_digest(value: str | bytes) -> str:
    """The SHA-256 of a value as stored, text taken as UTF-8."""
    return hashlib.sha256(_as_bytes(value)).hexdigest()


class ValueScanner:
    """Scans one value at a time; keep one per scan, it is not thread-safe."""

    def __init__(self, rules: yara_x.Rules | None = None) -> None:
        self._scanner = yara_x.Scanner(
            rules if rules is not None else default_database_rules()
        )
        self._scanner.set_timeout(SCAN_TIMEOUT_SECONDS)
        self._info: dict[str, RuleInfo] = {}
        self._field: str | None = ""
        self.values_scanned = 0

    def scan(self, value: str | bytes, field: str) -> ValueMatch | None:
        """The match for ``value`` read as the given kind of field, if any.

        Raises ``yara_x.TimeoutError`` or ``yara_x.ScanError`` when the
        rules cannot finish on this value.
        """
        data = _as_bytes(value)
        self._set_field(field)
        self.values_scanned += 1
        results = self._scanner.scan(data)
        if not results.matching_rules:
            return None

        described = sorted(
            ((self._describe(rule), rule) for rule in results.matching_rules),
            key=lambda pair: SEVERITY_ORDER[pair[0].severity],
        )
        info, rule = described[0]
        return ValueMatch(
            rule=info,
            snippet=_snippet(data, rule.patterns),
            sha256=hashlib.sha256(data).hexdigest(),
            matched_rules=tuple(pair[0].name for pair in described),
        )

    def _set_field(self, field: str) -> None:
        if field == self._field or self._field is None:
            return
        try:
            self._scanner.set_global(FIELD_GLOBAL, field)
            self._field = field
        except ValueError:
            # Rules compiled without the global still work, only without it.
            logger.debug("rules do not define the %s global", FIELD_GLOBAL)
            self._field = None

    def _describe(self, rule: yara_x.Rule) -> RuleInfo:
        key = f"{rule.namespace}.{rule.identifier}"
        if key not in self._info:
            self._info[key] = describe_rule(rule)
        return self._info[key]


def _as_bytes(value: str | bytes) -> bytes:
    return value.encode("utf-8", "surrogateescape") if isinstance(value, str) else value


def _snippet(data: bytes, patterns: Sequence[yara_x.Pattern]) -> str:
    matches = [match for pattern in patterns for match in pattern.matches]
    if not matches:
        return make_snippet(data, 0, 0)
    first = min(matches, key=lambda match: match.offset)
    return make_snippet(data, first.offset, first.length)


def make_snippet(data: str | bytes, offset: int, length: int) -> str:
    """A short, single-line excerpt around ``data[offset:offset+length]``."""
    return engine_snippet(_as_bytes(data), offset, length)
