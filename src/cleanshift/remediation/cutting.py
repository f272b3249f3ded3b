"""Choosing what to cut: matches widened to whole units, and the fewest units.

A rule match marks a few bytes of an injection. It is widened to the unit
that holds it (a ``<script>`` or ``<iframe>`` element, a statement line, a
PHP block), and then the smallest set of such units whose removal leaves
content no rule matches is cut. When two different smallest sets would each
do, the playbook cannot know which part is the injection and cuts nothing.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Callable, Iterable, Sequence

from cleanshift.remediation.errors import CannotCleanError

logger = logging.getLogger(__name__)

Span = tuple[int, int]

# Each candidate set costs one rule scan; 2**8 scans stay well under a second
# for a page of code, and an injection split into more parts than this is
# not one a cut can be trusted to remove.
MAX_UNITS = 8
_ELEMENTS = (b"script", b"iframe")
_WRAPPERS = (b"div", b"span", b"p")
_TAG_DELIMITERS = frozenset(b" \t\r\n\f/>")
_BLANK = frozenset(b" \t\r\f\v")


def merge_spans(spans: Iterable[Span]) -> list[Span]:
    """Sorted spans with overlapping or touching ones joined."""
    merged: list[Span] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def apply_cuts(data: bytes, spans: Sequence[Span]) -> bytes:
    """``data`` without the bytes of ``spans``; every other byte kept."""
    kept, position = [], 0
    for start, end in merge_spans(spans):
        kept.append(data[position:start])
        position = end
    kept.append(data[position:])
    return b"".join(kept)


def choose_cuts(
    candidates: Iterable[Span],
    build: Callable[[list[Span]], bytes],
    is_clean: Callable[[bytes], bool],
) -> list[Span]:
    """The smallest set of candidate spans whose removal leaves clean content.

    ``build`` makes the content without the given spans. Raises
    ``CannotCleanError`` when no set works, or when two sets of the same
    size give different clean results.
    """
    units = sorted(set(candidates))
    if not units:
        raise CannotCleanError("no part of the match could be delimited safely")
    if len(units) > MAX_UNITS:
        raise CannotCleanError(
            f"the rules match in {len(units)} separate places; too many to trust a cut"
        )
    for size in range(1, len(units) + 1):
        found: dict[bytes, list[Span]] = {}
        for chosen in itertools.combinations(units, size):
            spans = merge_spans(chosen)
            content = build(spans)
            if content not in found and is_clean(content):
                found[content] = spans
        if len(found) > 1:
            raise CannotCleanError(
                "more than one part could be the injection (cutting either "
                "silences the rules); the playbook will not guess"
            )
        if found:
            return next(iter(found.values()))
    raise CannotCleanError(
        "the rules still match after cutting every part that could be "
        "delimited; the content may be malicious throughout"
    )


def line_span(data: bytes, start: int, end: int, low: int = 0, high: int = -1) -> Span:
    """The whole lines holding ``start..end``, with the last line's newline."""
    high = len(data) if high < 0 else high
    line_start = data.rfind(b"\n", low, start) + 1 or low
    line_start = max(line_start, low)
    newline = data.find(b"\n", max(start, end - 1), high)
    return line_start, newline + 1 if newline >= 0 else high


def widen_to_line(data: bytes, span: Span, low: int = 0, high: int = -1) -> Span:
    """The span's whole line when nothing but blanks share the line with it."""
    whole = line_span(data, span[0], span[1], low, high)
    before, after = data[whole[0] : span[0]], data[span[1] : whole[1]]
    if all(byte in _BLANK for byte in before) and after.strip() == b"":
        return whole
    return span


def element_span(
    lower: bytes, start: int, end: int, low: int = 0, high: int = -1
) -> Span | None:
    """The ``<script>``/``<iframe>`` element (or hiding wrapper) around a match.

    ``lower`` is the content in lower case; the element must lie within
    ``low..high`` and cover ``start..end`` whole.
    """
    high = len(lower) if high < 0 else high
    for name in _ELEMENTS:
        opening = _opening_at_or_before(lower, name, low, start)
        if opening is None:
            continue
        element = _element_end(lower, name, opening, high, nested=False)
        if element is not None and element >= end:
            return opening, element
    for name in _WRAPPERS:
        if _is_opening(lower, name, start):
            element = _element_end(lower, name, start, high, nested=True)
            if element is not None and element >= end:
                return start, element
    return None


def _is_opening(lower: bytes, name: bytes, at: int) -> bool:
    tag = b"<" + name
    return (
        lower.startswith(tag, at)
        and lower[at + len(tag) : at + len(tag) + 1] != b""
        and lower[at + len(tag)] in _TAG_DELIMITERS
    )


def _opening_at_or_before(lower: bytes, name: bytes, low: int, at: int) -> int | None:
    tag = b"<" + name
    limit = at + len(tag)
    while True:
        found = lower.rfind(tag, low, limit)
        if found < 0:
            return None
        if _is_opening(lower, name, found):
            return found
        limit = found + len(tag) - 1


def _first_opening(lower: bytes, name: bytes, low: int, high: int) -> int | None:
    tag = b"<" + name
    position = low
    while (found := lower.find(tag, position, high)) >= 0:
        if _is_opening(lower, name, found):
            return found
        position = found + 1
    return None


def _element_end(
    lower: bytes, name: bytes, opening: int, high: int, *, nested: bool
) -> int | None:
    tag_end = lower.find(b">", opening, high)
    if tag_end < 0:
        return None
    if lower[tag_end - 1 : tag_end] == b"/":
        return tag_end + 1
    depth, position = 1, tag_end + 1
    closing = b"</" + name
    while depth:
        close_at = lower.find(closing, position, high)
        if close_at < 0:
            # An iframe without its closing tag is just its opening tag.
            return tag_end + 1 if name == b"iframe" else None
        inner = _first_opening(lower, name, position, close_at) if nested else None
        if inner is not None:
            depth += 1
            position = lower.find(b">", inner, high) + 1 or high
            continue
        depth -= 1
        position = lower.find(b">", close_at, high) + 1 or high
    return position
