"""Editing PHP-serialised values in place, every untouched byte kept.

Re-serialising a parsed value would rewrite floats, references and
objects in Python's notation, not PHP's. Instead this reader records where
each part of the value lies, and an edit replaces only the bytes it changes:
a string gets its new length in its ``s:N:`` header, an array that loses an
entry gets its new count. Nothing here runs or instantiates anything.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from cleanshift.dbscan.errors import PhpSerializationError
from cleanshift.remediation.errors import CannotCleanError

logger = logging.getLogger(__name__)

MAX_DEPTH = 64
_NUMBER = re.compile(rb"-?\d{1,20}")
_SCALAR = re.compile(rb"(?:[bi]:-?\d{1,20}|d:[-+.0-9eEINFA]{1,40}|N);")

Edit = tuple[int, int, bytes]


@dataclass
class Node:
    """One value in a serialised string, and where its parts are.

    ``span`` is the whole value; ``content`` a string's bytes between its
    quotes; ``count`` the digits of an array's or object's entry count;
    ``entries`` the key and value nodes of an array or object.
    """

    kind: bytes
    span: tuple[int, int]
    content: tuple[int, int] | None = None
    count: tuple[int, int] | None = None
    entries: list[tuple[Node, Node]] = field(default_factory=list)

    def key_text(self, data: bytes) -> str:
        """An array key as text, as finding locations name keys."""
        if self.content is not None:
            return data[self.content[0] : self.content[1]].decode("utf-8", "replace")
        return data[self.span[0] + 2 : self.span[1] - 1].decode("ascii")


def parse(data: bytes) -> Node:
    """Parse one whole serialised value; ``PhpSerializationError`` if it is not."""
    node, position = _value(data, 0, 0)
    if position != len(data):
        raise PhpSerializationError(f"trailing data at byte {position}")
    return node


def strings(node: Node) -> Iterator[Node]:
    """Every string value (not key) inside ``node``, depth first."""
    if node.kind == b"s":
        yield node
    for _, value in node.entries:
        yield from strings(value)


def replace_strings(data: bytes, replacements: dict[int, bytes], root: Node) -> bytes:
    """``data`` with the strings starting at the given offsets given new bytes."""
    edits: list[Edit] = []
    for node in strings(root):
        if node.span[0] in replacements:
            text = replacements[node.span[0]]
            encoded = b's:%d:"' % len(text) + text + b'";'
            edits.append((node.span[0], node.span[1], encoded))
    return apply_edits(data, edits)


def remove_entry(data: bytes, root: Node, path: list[str]) -> bytes:
    """``data`` without the entry at ``path``; a parent left empty goes too.

    Raises ``CannotCleanError`` if the path does not lead to an entry.
    """
    chain: list[tuple[Node, int]] = []
    node = root
    for name in path:
        index = next(
            (
                number
                for number, (entry_key, _) in enumerate(node.entries)
                if entry_key.key_text(data) == name
            ),
            None,
        )
        if index is None:
            raise CannotCleanError(f"the value has no entry {'/'.join(path)}")
        chain.append((node, index))
        node = node.entries[index][1]
    # Removing the last entry of an inner array leaves an empty array, which
    # WordPress itself never keeps (an empty cron timestamp, for one).
    while len(chain) > 1 and len(chain[-1][0].entries) == 1:
        chain.pop()
    parent, index = chain[-1]
    key, value = parent.entries[index]
    assert parent.count is not None
    new_count = str(len(parent.entries) - 1).encode()
    edits = [
        (parent.count[0], parent.count[1], new_count),
        (key.span[0], value.span[1], b""),
    ]
    return apply_edits(data, edits)


def apply_edits(data: bytes, edits: list[Edit]) -> bytes:
    """Apply non-overlapping ``(start, end, replacement)`` edits."""
    result: list[bytes] = []
    position = 0
    for start, end, replacement in sorted(edits):
        result.extend((data[position:start], replacement))
        position = end
    result.append(data[position:])
    return b"".join(result)


def _value(data: bytes, position: int, depth: int) -> tuple[Node, int]:
    if depth > MAX_DEPTH:
        raise PhpSerializationError(f"nested deeper than {MAX_DEPTH}")
    kind = data[position : position + 1]
    if kind == b"s":
        length, position_after = _number(data, position + 2, b':"')
        end = position_after + length
        if data[end : end + 2] != b'";':
            raise PhpSerializationError(f"string at byte {position} has a wrong length")
        return Node(kind, (position, end + 2), content=(position_after, end)), end + 2
    if kind in (b"a", b"O"):
        return _compound(data, position, depth)
    scalar = _SCALAR.match(data, position)
    if scalar is not None:
        return Node(kind, (position, scalar.end())), scalar.end()
    raise PhpSerializationError(
        f"unsupported or malformed value at byte {position}; only strings, "
        "numbers, booleans, null, arrays and plain objects are edited"
    )


def _compound(data: bytes, position: int, depth: int) -> tuple[Node, int]:
    start, kind = position, data[position : position + 1]
    position += 2
    if kind == b"O":
        length, position = _number(data, position, b':"')
        position += length
        if data[position : position + 2] != b'":':
            raise PhpSerializationError(f"object at byte {start} is malformed")
        position += 2
    count_start = position
    count, position = _number(data, position, b":{")
    node = Node(kind, (start, 0), count=(count_start, position - 2))
    for _ in range(count):
        key, position = _value(data, position, depth + 1)
        if key.kind not in (b"s", b"i"):
            raise PhpSerializationError(f"bad array key at byte {key.span[0]}")
        value, position = _value(data, position, depth + 1)
        node.entries.append((key, value))
    if data[position : position + 1] != b"}":
        raise PhpSerializationError(f"expected '}}' at byte {position}")
    node.span = (start, position + 1)
    return node, position + 1


def _number(data: bytes, position: int, terminator: bytes) -> tuple[int, int]:
    match = _NUMBER.match(data, position)
    if match is None or not data.startswith(terminator, match.end()):
        raise PhpSerializationError(f"expected a number at byte {position}")
    value = int(match.group())
    if value < 0:
        raise PhpSerializationError(f"negative length at byte {position}")
    return value, match.end() + len(terminator)
