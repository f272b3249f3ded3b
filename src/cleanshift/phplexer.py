"""Lexing PHP source into tokens, literals decoded, without running it.

Only ``<?php`` regions are lexed; comments are dropped, so a commented-out
``define`` is never read, and string literals carry their decoded value.
A double-quoted string that interpolates a variable has the value
``UNKNOWN``: only running PHP could tell it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final, TypeAlias


class Unknown:
    """The value of an expression that only running PHP could tell."""

    def __repr__(self) -> str:
        return "UNKNOWN"


UNKNOWN: Final = Unknown()

PhpKey: TypeAlias = int | str
PhpValue: TypeAlias = (
    "str | int | float | bool | dict[PhpKey, PhpValue] | Unknown | None"
)


@dataclass(frozen=True)
class Token:
    """One lexical token: its kind, its source text and a literal's value."""

    kind: str
    text: str
    value: PhpValue = None


_OPEN_TAG = re.compile(r"<\?(?:php(?=\s)|=)?", re.IGNORECASE)
_TOKEN = re.compile(
    r"""
      (?P<space>\s+)
    | (?P<comment>(?://|\#(?!\[))[^\n]*?(?=\?>|\n|\Z)|/\*.*?(?:\*/|\Z))
    | (?P<single>'(?:[^'\\]|\\.)*')
    | (?P<double>"(?:[^"\\]|\\.)*")
    | (?P<heredoc><<<[ \t]*(?P<quote>["']?)(?P<label>[A-Za-z_]\w*)(?P=quote)\r?\n
        (?P<body>.*?)\r?\n(?P<indent>[ \t]*)(?P=label)\b)
    | (?P<close>\?>)
    | (?P<variable>\$[A-Za-z_\x80-\U0010ffff][\w\x80-\U0010ffff]*)
    | (?P<name>\\?[A-Za-z_\x80-\U0010ffff][\w\\\x80-\U0010ffff]*)
    | (?P<number>0[xX][0-9a-fA-F_]+|0[bB][01_]+
        |(?:\d[\d_]*)?\.?\d[\d_]*(?:[eE][+-]?\d+)?)
    | (?P<punct>\?\?=|\?\?|===|!==|==|!=|<=>|<=|>=|&&|\|\||\.=|\+=|-=|\*=|/=
        |=>|->|::|\.\.\.|\S)
    """,
    re.VERBOSE | re.DOTALL,
)
_DOUBLE_PART = re.compile(
    r"""\\(?:(?P<simple>[nrtvef\\$"])|(?P<octal>[0-7]{1,3})|x(?P<hex>[0-9A-Fa-f]{1,2})
    |u\{(?P<code>[0-9A-Fa-f]{1,6})\})|(?P<interpolation>\$[A-Za-z_\x80-\U0010ffff]|\{\$)""",
    re.VERBOSE,
)
_SIMPLE_ESCAPES = {
    "n": b"\n",
    "r": b"\r",
    "t": b"\t",
    "v": b"\v",
    "e": b"\x1b",
    "f": b"\f",
    "\\": b"\\",
    "$": b"$",
    '"': b'"',
}


def tokenize(source: str) -> list[Token]:
    """The tokens of every ``<?php`` region; inline HTML is left out."""
    tokens: list[Token] = []
    position = 0
    while (opening := _OPEN_TAG.search(source, position)) is not None:
        position = opening.end()
        while position < len(source):
            match = _TOKEN.match(source, position)
            if match is None:
                return tokens
            position = match.end()
            kind = match.lastgroup or "punct"
            text = match.group(kind)
            if kind in ("space", "comment"):
                continue
            if kind == "close":
                tokens.append(Token("punct", ";"))
                break
            tokens.append(_make_token(kind, text, match))
    return tokens


def _make_token(kind: str, text: str, match: re.Match[str]) -> Token:
    if kind == "single":
        return Token("string", text, re.sub(r"\\([\\'])", r"\1", text[1:-1]))
    if kind == "double":
        return Token("string", text, _unescape_double(text[1:-1]))
    if kind == "heredoc":
        indent = match.group("indent")
        body = re.sub(rf"(?m)^{re.escape(indent)}", "", match.group("body"))
        value = body if match.group("quote") == "'" else _unescape_double(body)
        return Token("string", text, value)
    if kind == "number":
        return Token("number", text, _number(text))
    return Token(kind, text)


def _unescape_double(body: str) -> PhpValue:
    # PHP strings are bytes: octal and hex escapes may form UTF-8 sequences
    # only together, so the value is rebuilt as bytes and decoded once.
    out = bytearray()
    last = 0
    for match in _DOUBLE_PART.finditer(body):
        out += body[last : match.start()].encode("utf-8", "surrogateescape")
        last = match.end()
        if match.group("interpolation"):
            return UNKNOWN
        if simple := match.group("simple"):
            out += _SIMPLE_ESCAPES[simple]
        elif octal := match.group("octal"):
            out.append(int(octal, 8) & 0xFF)
        elif hex_digits := match.group("hex"):
            out.append(int(hex_digits, 16))
        elif (code := int(match.group("code"), 16)) <= 0x10FFFF:
            out += chr(code).encode("utf-8", "surrogatepass")
    out += body[last:].encode("utf-8", "surrogateescape")
    return out.decode("utf-8", "surrogateescape")


def _number(text: str) -> PhpValue:
    digits = text.replace("_", "")
    try:
        if digits[:2].lower() in ("0x", "0b"):
            return int(digits, 0)
        if re.fullmatch(r"0[0-7]+", digits):
            return int(digits, 8)
        if re.fullmatch(r"\d+", digits):
            return int(digits)
        return float(digits)
    except ValueError:
        return UNKNOWN
