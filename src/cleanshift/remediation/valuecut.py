"""Cutting an injection out of one database value, or one entry out of an array.

Plain values are cut like files: each database-rule match is widened to the
``<script>`` or ``<iframe>`` element around it (or the hidden block wrapping
one), and the fewest elements that leave the value clean are cut. In a
PHP-serialised value, cuts happen inside its strings, whose lengths are then
rewritten; a finding that names an array entry (``active_plugins``, cron)
has that entry removed.
"""

from __future__ import annotations

import logging

from cleanshift.dbscan.errors import PhpSerializationError
from cleanshift.remediation import serialized
from cleanshift.remediation.cutting import (
    Span,
    apply_cuts,
    choose_cuts,
    element_span,
    widen_to_line,
)
from cleanshift.remediation.database import RowAddress, Value
from cleanshift.remediation.errors import CannotCleanError
from cleanshift.remediation.rescan import RuleMatcher

logger = logging.getLogger(__name__)


def plan_value_cleanup(value: Value, address: RowAddress) -> tuple[Value, str]:
    """The cleaned value and what was removed; ``CannotCleanError`` if unsafe."""
    data = as_bytes(value)
    if address.path:
        return _remove_entry(value, data, address.path)

    matcher = RuleMatcher.for_column(address.column)
    hits = matcher.hits(data)
    if not hits:
        raise CannotCleanError(
            "no database rule matches the value now; the finding came from a check "
            "db-clean cannot fix automatically, so review it by hand"
        )
    edit = ValueEdit(data)
    lower = data.lower()
    candidates = []
    for hit in hits:
        segment = edit.segment_of(hit.offset, hit.end)
        element = (
            element_span(lower, hit.offset, hit.end, *segment) if segment else None
        )
        if segment is not None and element is not None:
            candidates.append(widen_to_line(data, element, *segment))
    try:
        spans = choose_cuts(candidates, edit.build, matcher.is_clean)
    except CannotCleanError as error:
        raise CannotCleanError(f"{error.message}; nothing was changed") from error
    removed = " | ".join(
        data[start:end].decode("utf-8", "replace")[:120] for start, end in spans
    )
    return as_value(
        value, edit.build(spans)
    ), f"removed {len(spans)} element(s): {removed}"


class ValueEdit:
    """Where a value may be cut, and how to rebuild it without the cuts."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        try:
            self.tree: serialized.Node | None = serialized.parse(data)
        except PhpSerializationError:
            self.tree = None
        if self.tree is None:
            self.segments = [(0, len(data))]
        else:
            self.segments = [
                node.content for node in serialized.strings(self.tree) if node.content
            ]

    def segment_of(self, start: int, end: int) -> Span | None:
        """The text (a whole plain value, or one string) holding ``start..end``."""
        for low, high in self.segments:
            if low <= start and end <= high:
                return low, high
        return None

    def build(self, spans: list[Span]) -> bytes:
        """The value without ``spans``, serialised lengths corrected."""
        if self.tree is None:
            return apply_cuts(self.data, spans)
        replacements = {}
        for node in serialized.strings(self.tree):
            assert node.content is not None
            low, high = node.content
            inside = [
                (start - low, end - low)
                for start, end in spans
                if low <= start and end <= high
            ]
            if inside:
                replacements[node.span[0]] = apply_cuts(self.data[low:high], inside)
        return serialized.replace_strings(self.data, replacements, self.tree)


def _remove_entry(
    value: Value, data: bytes, path: tuple[str, ...]
) -> tuple[Value, str]:
    try:
        tree = serialized.parse(data)
        cleaned = serialized.remove_entry(data, tree, list(path))
        serialized.parse(cleaned)
    except PhpSerializationError as error:
        raise CannotCleanError(
            f"the value is not PHP serialisation this playbook can edit ({error})"
        ) from error
    return as_value(value, cleaned), f"removed the entry {'/'.join(path)}"


def as_bytes(value: Value) -> bytes:
    """A value's bytes as stored (text as UTF-8)."""
    return value.encode("utf-8", "surrogateescape") if isinstance(value, str) else value


def as_value(like: Value, data: bytes) -> Value:
    """``data`` as the same type as ``like``: text for text columns."""
    return data.decode("utf-8", "surrogateescape") if isinstance(like, str) else data
