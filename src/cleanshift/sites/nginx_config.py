"""nginx configuration: ``server {}`` blocks with their names and roots.

The tokenizer follows nginx's own rules closely enough for what is read
here: ``#`` starts a comment only at the start of a word, quotes (single or
double) group a word and honour backslash escapes, and ``{``, ``}`` and
``;`` end a word. Anything it cannot make sense of is skipped, not raised.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import NamedTuple

from cleanshift.sites.webserver import (
    MAX_INCLUDE_DEPTH,
    ConfigFiles,
    VirtualHost,
    normalise_root,
    port_of,
)

logger = logging.getLogger(__name__)

# Blocks nested deeper than this are not configuration anyone wrote.
MAX_BLOCK_DEPTH = 20
_VARIABLE = re.compile(r"\$(?:\{(\w+)\}|(\w+))")


class Token(NamedTuple):
    """A word, or one of the characters ``{``, ``}`` and ``;`` (``special``)."""

    text: str
    special: bool = False


@dataclass
class Directive:
    """One directive: its name, its arguments, and its block if it has one."""

    name: str
    args: list[str]
    block: list[Directive] | None = None
    source: str = ""


def parse_nginx(path: str, files: ConfigFiles) -> list[VirtualHost]:
    """The virtual hosts declared in ``path`` and the files it includes."""
    directives = _parse_file(path, files, chain=())
    return [
        host
        for block, source in _servers(directives, 0)
        if (host := _virtual_host(block, source)) is not None
    ]


def tokenize(text: str) -> Iterator[Token]:
    """The words and special characters of an nginx configuration."""
    length, index = len(text), 0
    while index < length:
        char = text[index]
        if char.isspace():
            index += 1
        elif char == "#":
            end = text.find("\n", index)
            index = length if end < 0 else end + 1
        elif char in "{};":
            yield Token(char, special=True)
            index += 1
        elif char in "\"'":
            word, index = _quoted(text, index + 1, char)
            yield Token(word)
        else:
            word, index = _bare(text, index)
            yield Token(word)


def _quoted(text: str, index: int, quote: str) -> tuple[str, int]:
    chars: list[str] = []
    while index < len(text) and text[index] != quote:
        if text[index] == "\\" and index + 1 < len(text):
            chars.append(_unescape(text[index + 1]))
            index += 2
            continue
        chars.append(text[index])
        index += 1
    return "".join(chars), index + 1


def _bare(text: str, index: int) -> tuple[str, int]:
    chars: list[str] = []
    while index < len(text):
        char = text[index]
        if char.isspace() or (char in ";{}" and not _in_variable_braces(chars, char)):
            break
        if char == "\\" and index + 1 < len(text):
            chars.append(_unescape(text[index + 1]))
            index += 2
            continue
        chars.append(char)
        index += 1
    return "".join(chars), index


def _unescape(char: str) -> str:
    """nginx drops the backslash only before a quote or a backslash."""
    return char if char in "\"'\\" else "\\" + char


def _in_variable_braces(chars: list[str], char: str) -> bool:
    """``${name}`` keeps its braces inside the word, as nginx does."""
    if char == "{":
        return bool(chars) and chars[-1] == "$"
    if char == "}":
        word = "".join(chars)
        return word.rfind("${") > word.rfind("}")
    return False


def _parse_file(
    path: str, files: ConfigFiles, chain: tuple[str, ...]
) -> list[Directive]:
    text = files.read(path)
    if text is None:
        return []
    return _parse_tokens(tokenize(text), path, files, (*chain, os.path.realpath(path)))


def _parse_tokens(
    tokens: Iterator[Token], path: str, files: ConfigFiles, chain: tuple[str, ...]
) -> list[Directive]:
    """The directive tree; unbalanced braces and stray words are tolerated."""
    top: list[Directive] = []
    # A stack, not recursion: "{" a million times over must not overflow.
    stack: list[list[Directive]] = [top]
    words: list[str] = []
    for token in tokens:
        if not token.special:
            words.append(token.text)
            continue
        current = stack[-1]
        if token.text == "{":
            block: list[Directive] = []
            if words:
                current.append(Directive(words[0], words[1:], block, path))
            stack.append(block)
        elif token.text == ";":
            if words:
                current.extend(_directive_or_include(words, path, files, chain))
        elif len(stack) > 1:
            stack.pop()
        words = []
    return top


def _directive_or_include(
    words: list[str], path: str, files: ConfigFiles, chain: tuple[str, ...]
) -> list[Directive]:
    if words[0] != "include" or len(words) != 2:
        return [Directive(words[0], words[1:], None, path)]
    if len(chain) >= MAX_INCLUDE_DEPTH:
        logger.warning("includes nested deeper than %d at %s", MAX_INCLUDE_DEPTH, path)
        return []
    included: list[Directive] = []
    for target in files.expand(words[1], path):
        if os.path.realpath(target) in chain:
            logger.warning("%s includes itself through %s; ignored", target, path)
            continue
        included.extend(_parse_file(target, files, chain))
    return included


def _servers(
    directives: list[Directive], depth: int
) -> Iterator[tuple[list[Directive], str]]:
    """Each ``server`` block's directives and file, at the top or in ``http``."""
    if depth > MAX_BLOCK_DEPTH:
        return
    for directive in directives:
        if directive.block is None:
            continue
        if directive.name == "server":
            yield directive.block, directive.source
        elif directive.name == "http" or not directive.args:
            yield from _servers(directive.block, depth + 1)


def _virtual_host(block: list[Directive], source: str) -> VirtualHost | None:
    names: list[str] = []
    listens: list[list[str]] = []
    variables: dict[str, str] = {}
    root: str | None = None
    location_root: str | None = None
    tls = False
    for directive in block:
        if directive.name == "server_name":
            names.extend(directive.args)
        elif directive.name == "listen" and directive.args:
            listens.append(directive.args)
        elif directive.name == "set" and len(directive.args) == 2:
            variables[directive.args[0].lstrip("$")] = directive.args[1]
        elif directive.name == "root" and len(directive.args) == 1:
            root = directive.args[0]
        elif directive.name == "ssl" and directive.args == ["on"]:
            tls = True
        elif (
            directive.name == "location"
            and directive.args in (["/"], ["=", "/"])
            and directive.block
        ):
            location_root = next(
                (
                    d.args[0]
                    for d in directive.block
                    if d.name == "root" and len(d.args) == 1
                ),
                None,
            )
    raw_root = root or location_root
    if raw_root is None:
        return None
    resolved = normalise_root(_substitute(raw_root, variables))
    if resolved is None or "$" in resolved:
        logger.debug("nginx root %r in %s not usable", raw_root, source)
        return None
    secure_ports = [
        port_of(args[0])
        for args in listens
        if "ssl" in args[1:] or "quic" in args[1:] or port_of(args[0]) == 443
    ]
    if secure_ports:
        tls, port = True, secure_ports[0]
    else:
        port = port_of(listens[0][0]) if listens else None
    return VirtualHost("nginx", tuple(names), resolved, tls, port, source)


def _substitute(value: str, variables: dict[str, str]) -> str:
    """Variables set with ``set`` in the same block, replaced once."""

    def replace(match: re.Match[str]) -> str:
        name = match.group(1) or match.group(2)
        return variables.get(name, match.group(0))

    return _VARIABLE.sub(replace, value)
