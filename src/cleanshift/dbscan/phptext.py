"""Reading literal values out of PHP configuration files, as text.

A site's PHP is as much the attacker's code as the owner's, so it is never
run, included or evaluated. ``phplexer`` turns the source into tokens and
this module evaluates only literals: strings, numbers, booleans, ``null``,
arrays and ``.`` concatenations of those. Anything else (a function call,
a constant, an interpolated string) becomes ``UNKNOWN`` rather than a
guess.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from cleanshift.phplexer import (
    UNKNOWN,
    PhpKey,
    PhpValue,
    Token,
    Unknown,
    tokenize,
)


@dataclass
class PhpConfig:
    """The literal assignments found in one configuration file."""

    constants: dict[str, PhpValue] = field(default_factory=dict)
    variables: dict[str, PhpValue] = field(default_factory=dict)
    properties: dict[str, PhpValue] = field(default_factory=dict)
    returned: PhpValue = UNKNOWN


_DELIMITERS = frozenset({",", ";", ")", "]", "}", "=>"})
_MODIFIERS = frozenset({"public", "var", "protected", "private", "static"})


def read_php_config(source: str) -> PhpConfig:
    """Collect ``define``s, assignments, class properties and ``return``."""
    return _ConfigReader(tokenize(source)).read()


class _ConfigReader:
    def __init__(self, tokens: list[Token]) -> None:
        self.tokens = tokens
        self.index = 0
        self.config = PhpConfig()
        self.has_returned = False

    def read(self) -> PhpConfig:
        while self.index < len(self.tokens):
            token = self.tokens[self.index]
            word = token.text.lower() if token.kind == "name" else ""
            self.index += 1
            if word == "define" and self._at("("):
                self._read_define()
            elif word in _MODIFIERS:
                self._read_property()
            elif word == "return" and not self.has_returned:
                self.has_returned = True
                self.config.returned = self._expression()
            elif token.kind == "variable":
                self._read_assignment(token.text[1:])
        return self.config

    def _read_define(self) -> None:
        self.index += 1
        name = self._expression()
        if not self._at(","):
            return
        self.index += 1
        value = self._expression()
        if isinstance(name, str):
            # Redefining a constant keeps the first value in PHP.
            self.config.constants.setdefault(name, value)

    def _read_property(self) -> None:
        while self._word() in _MODIFIERS:
            self.index += 1
        token = self._peek()
        if token is None or token.kind != "variable":
            return
        self.index += 1
        if self._at("="):
            self.index += 1
            self.config.properties[token.text[1:]] = self._expression()

    def _read_assignment(self, name: str) -> None:
        # None in the path stands for PHP's append, ``$name[] = ...``.
        path: list[PhpKey | None] = []
        while self._at("["):
            self.index += 1
            key = None if self._at("]") else _array_key(self._expression())
            if not self._at("]") or isinstance(key, float | Unknown | dict):
                return
            self.index += 1
            path.append(key)
        if self._at("="):
            self.index += 1
            _assign(self.config.variables, name, path, self._expression())
        elif self._at(".=") and not path:
            self.index += 1
            added = self._expression()
            before = self.config.variables.get(name, "")
            joined = _concatenate(before, added)
            self.config.variables[name] = joined

    def _expression(self) -> PhpValue:
        value = self._operand()
        while self._at("."):
            self.index += 1
            value = _concatenate(value, self._operand())
        token = self._peek()
        if token is not None and token.text not in _DELIMITERS:
            self._skip_to_delimiter()
            return UNKNOWN
        return value

    def _operand(self) -> PhpValue:
        token = self._peek()
        if token is None:
            return UNKNOWN
        self.index += 1
        word = token.text.lower() if token.kind == "name" else ""
        if token.kind in ("string", "number"):
            return token.value
        if word in ("true", "false", "null"):
            return {"true": True, "false": False, "null": None}[word]
        if word == "array" and self._at("("):
            self.index += 1
            return self._array(")")
        if token.text == "[":
            return self._array("]")
        if token.text == "-" and (number := self._peek()) and number.kind == "number":
            self.index += 1
            value = number.value
            return -value if isinstance(value, int | float) else UNKNOWN
        self.index -= 1
        self._skip_to_delimiter()
        return UNKNOWN

    def _array(self, closer: str) -> PhpValue:
        result: dict[PhpKey, PhpValue] = {}
        next_index = 0
        while not self._at(closer):
            start = self.index
            first = self._expression()
            if self._at("=>"):
                self.index += 1
                key: PhpValue = _array_key(first)
                value = self._expression()
            else:
                key, value = next_index, first
            if isinstance(key, int | str):
                result[key] = value
                if isinstance(key, int):
                    next_index = max(next_index, key + 1)
            if self._at(","):
                self.index += 1
            elif not self._at(closer) or self.index == start:
                return UNKNOWN
        self.index += 1
        return result

    def _skip_to_delimiter(self) -> None:
        depth = 0
        while (token := self._peek()) is not None:
            if depth == 0 and token.text in _DELIMITERS:
                return
            if token.text in ("(", "[", "{"):
                depth += 1
            elif token.text in (")", "]", "}"):
                depth -= 1
            self.index += 1

    def _peek(self) -> Token | None:
        return self.tokens[self.index] if self.index < len(self.tokens) else None

    def _at(self, text: str) -> bool:
        token = self._peek()
        return token is not None and token.kind == "punct" and token.text == text

    def _word(self) -> str:
        token = self._peek()
        return token.text.lower() if token is not None and token.kind == "name" else ""


def _concatenate(left: PhpValue, right: PhpValue) -> PhpValue:
    if isinstance(left, str) and isinstance(right, str):
        return left + right
    return UNKNOWN


def _array_key(value: PhpValue) -> PhpValue:
    # PHP casts array keys: "8" becomes 8, true becomes 1, null becomes "".
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, float):
        return int(value)
    if value is None:
        return ""
    if isinstance(value, str) and re.fullmatch(r"-?[1-9]\d{0,17}|0", value):
        return int(value)
    return value


def _assign(
    variables: dict[str, PhpValue],
    name: str,
    path: list[PhpKey | None],
    value: PhpValue,
) -> None:
    if not path:
        variables[name] = value
        return
    container = variables.get(name)
    if not isinstance(container, dict):
        container = {}
        variables[name] = container
    for position, key in enumerate(path):
        if not isinstance(key, int | str):
            ints = [existing for existing in container if isinstance(existing, int)]
            key = max(ints) + 1 if ints else 0
        if position == len(path) - 1:
            container[key] = value
            return
        child = container.get(key)
        if not isinstance(child, dict):
            child = {}
            container[key] = child
        container = child
