"""Matching the rules again, with every place they matched.

The scan reports one offset per rule; cutting an injection out needs all of
them, and checking a fix needs the same rules with the same globals the
scan set. Files get the shipped file rules; database values get the
database rules with the ``field`` global the database scan sets.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass

import yara_x

from cleanshift.dbscan.matching import FIELD_GLOBAL, default_database_rules
from cleanshift.engine.rules import default_rules
from cleanshift.remediation.errors import RemediationError
from cleanshift.remediation.targets import open_regular

logger = logging.getLogger(__name__)

SCAN_TIMEOUT_SECONDS = 30
# Which kind of value the database scan says a column holds.
DATABASE_FIELDS = {
    "post_content": "content",
    "post_title": "title",
    "post_excerpt": "content",
    "option_value": "option",
    "meta_value": "option",
}


@dataclass(frozen=True)
class RuleHit:
    """One place a rule's pattern matched: rule name, offset and length."""

    rule: str
    offset: int
    length: int

    @property
    def end(self) -> int:
        """The offset just past the match."""
        return self.offset + self.length


class RuleMatcher:
    """A yara-x scanner that reports every match of every matching rule."""

    def __init__(self, rules: yara_x.Rules) -> None:
        self._scanner = yara_x.Scanner(rules)
        self._scanner.set_timeout(SCAN_TIMEOUT_SECONDS)

    @classmethod
    def for_file(cls, path: bytes) -> RuleMatcher:
        """The file rules, with the globals set for this file.

        ``file_name`` and ``file_ext`` are set as the scan sets them;
        ``rel_path`` gets the name alone, as no shipped rule reads more.
        """
        matcher = cls(default_rules())
        name = os.path.basename(path).decode("utf-8", "replace")
        matcher._scanner.set_global("file_name", name)
        matcher._scanner.set_global("file_ext", os.path.splitext(name)[1][1:].lower())
        matcher._scanner.set_global("rel_path", name)
        return matcher

    @classmethod
    def for_column(cls, column: str) -> RuleMatcher:
        """The database rules, reading values as the scan reads ``column``."""
        matcher = cls(default_database_rules())
        matcher._scanner.set_global(
            FIELD_GLOBAL, DATABASE_FIELDS.get(column, "content")
        )
        return matcher

    def hits(self, data: bytes) -> list[RuleHit]:
        """Every match of every rule that matched ``data``, in offset order."""
        results = self._scan(data)
        found = {
            RuleHit(rule.identifier, match.offset, match.length)
            for rule in results.matching_rules
            for pattern in rule.patterns
            for match in pattern.matches
        }
        return sorted(found, key=lambda hit: (hit.offset, hit.length, hit.rule))

    def matching_rules(self, data: bytes) -> list[str]:
        """The names of the rules that match ``data``."""
        return sorted(rule.identifier for rule in self._scan(data).matching_rules)

    def is_clean(self, data: bytes) -> bool:
        """Whether no rule matches ``data``."""
        return not self._scan(data).matching_rules

    def _scan(self, data: bytes) -> yara_x.ScanResults:
        try:
            return self._scanner.scan(data)
        except (yara_x.TimeoutError, yara_x.ScanError) as error:
            raise RemediationError(
                f"the rules could not finish on this content ({error}); "
                "nothing was changed"
            ) from error


def verify_file(path: bytes, expected_sha256: str | None = None) -> tuple[bool, str]:
    """Look at a fixed file again: is it what was written, and clean?

    Returns whether it checks out and a sentence saying what was seen. Never
    raises: a fix already made must be reported whatever this finds.
    """
    try:
        current = open_regular(path)
        if expected_sha256 is not None and current.sha256 != expected_sha256:
            return False, f"the file now has sha256 {current.sha256}, not the fix's"
        rules = RuleMatcher.for_file(path).matching_rules(current.data)
    except RemediationError as error:
        return False, f"could not rescan: {error.message}"
    if rules:
        return False, f"rescanned: still matches {', '.join(rules)}"
    return True, "rescanned with the rules: no finding"
