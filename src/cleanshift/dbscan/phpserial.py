"""A reader for PHP's ``serialize()`` format that builds plain data only.

WordPress stores arrays such as ``cron``, ``active_plugins`` and widget
settings serialised. PHP's own ``unserialize`` instantiates objects and
runs their magic methods, which is how object-injection attacks work; this
reader never runs anything. Objects become ``PhpObject`` records, references
become ``PhpReference`` markers, and depth and item count are capped.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TypeAlias

from cleanshift.dbscan.errors import PhpSerializationError

MAX_DEPTH = 64
MAX_ITEMS = 200_000

SerialKey: TypeAlias = int | str


@dataclass(frozen=True)
class PhpObject:
    """A serialised object: its class name and properties, never an instance.

    For classes with custom serialisation (``C:``), ``properties`` holds the
    raw payload under the key ``""``.
    """

    class_name: str
    properties: dict[SerialKey, SerialValue]


@dataclass(frozen=True)
class PhpReference:
    """A back-reference (``r:`` or ``R:``) to an earlier value, by index."""

    index: int


SerialValue: TypeAlias = (
    "str | int | float | bool | dict[SerialKey, SerialValue] "
    "| PhpObject | PhpReference | None"
)

_INTEGER = re.compile(rb"-?\d{1,20}")
_FLOAT = re.compile(
    rb"-?(?:INF|NAN|\d+(?:\.\d*)?(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)"
)


def loads(
    data: bytes | str, *, max_depth: int = MAX_DEPTH, max_items: int = MAX_ITEMS
) -> SerialValue:
    """Parse one serialised value; the whole input must be that value.

    Raises ``PhpSerializationError`` on malformed input, on nesting deeper
    than ``max_depth`` and on more than ``max_items`` values in all.
    """
    raw = data.encode("utf-8", "surrogateescape") if isinstance(data, str) else data
    reader = _Reader(raw, max_depth, max_items)
    value = reader.value(0)
    if reader.position != len(raw):
        raise PhpSerializationError(f"trailing data at byte {reader.position}")
    return value


def iter_strings(value: SerialValue) -> Iterator[str]:
    """Every string in a parsed value: keys, values and class names."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            if isinstance(key, str):
                yield key
            yield from iter_strings(item)
    elif isinstance(value, PhpObject):
        yield value.class_name
        yield from iter_strings(value.properties)


class _Reader:
    def __init__(self, data: bytes, max_depth: int, max_items: int) -> None:
        self.data = data
        self.position = 0
        self.max_depth = max_depth
        self.items_left = max_items

    def value(self, depth: int) -> SerialValue:
        if depth > self.max_depth:
            raise PhpSerializationError(f"nested deeper than {self.max_depth}")
        self.items_left -= 1
        if self.items_left < 0:
            raise PhpSerializationError("too many values")

        kind = self.data[self.position : self.position + 2]
        self.position += 2
        if kind == b"N;":
            return None
        if kind == b"b:":
            flag = self.integer(b";")
            if flag not in (0, 1):
                raise PhpSerializationError(f"bad boolean at byte {self.position}")
            return flag == 1
        if kind == b"i:":
            return self.integer(b";")
        if kind == b"d:":
            return self.float()
        if kind == b"s:":
            text = self.string()
            self.expect(b";")
            return text
        if kind == b"a:":
            return self.array(depth)
        if kind in (b"O:", b"C:"):
            return self.object(depth, custom=kind == b"C:")
        if kind == b"E:":
            case = self.string()
            self.expect(b";")
            return PhpObject(case.split(":", 1)[0], {"case": case})
        if kind in (b"r:", b"R:"):
            return PhpReference(self.integer(b";"))
        raise PhpSerializationError(
            f"unknown type {kind!r} at byte {self.position - 2}"
        )

    def array(self, depth: int) -> dict[SerialKey, SerialValue]:
        count = self.integer(b":")
        self.expect(b"{")
        result: dict[SerialKey, SerialValue] = {}
        for _ in range(count):
            key = self.value(depth + 1)
            if not isinstance(key, int | str) or isinstance(key, bool):
                raise PhpSerializationError(f"bad array key at byte {self.position}")
            result[key] = self.value(depth + 1)
        self.expect(b"}")
        return result

    def object(self, depth: int, *, custom: bool) -> PhpObject:
        class_name = self.string()
        self.expect(b":")
        if custom:
            length = self.integer(b":")
            self.expect(b"{")
            payload = self.take(length)
            self.expect(b"}")
            return PhpObject(class_name, {"": payload})
        return PhpObject(class_name, self.array(depth))

    def string(self) -> str:
        length = self.integer(b":")
        self.expect(b'"')
        text = self.take(length)
        self.expect(b'"')
        return text

    def take(self, length: int) -> str:
        if length < 0 or self.position + length > len(self.data):
            raise PhpSerializationError(f"string runs past the end at {self.position}")
        chunk = self.data[self.position : self.position + length]
        self.position += length
        return chunk.decode("utf-8", "surrogateescape")

    def integer(self, terminator: bytes) -> int:
        match = _INTEGER.match(self.data, self.position)
        if match is None:
            raise PhpSerializationError(f"expected a number at byte {self.position}")
        self.position = match.end()
        self.expect(terminator)
        return int(match.group())

    def float(self) -> float:
        match = _FLOAT.match(self.data, self.position)
        if match is None:
            raise PhpSerializationError(f"expected a float at byte {self.position}")
        self.position = match.end()
        self.expect(b";")
        text = match.group().decode("ascii")
        return float(text.replace("INF", "inf").replace("NAN", "nan"))

    def expect(self, token: bytes) -> None:
        end = self.position + len(token)
        if self.data[self.position : end] != token:
            raise PhpSerializationError(f"expected {token!r} at byte {self.position}")
        self.position = end
