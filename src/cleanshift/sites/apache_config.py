"""Apache configuration: ``<VirtualHost>`` sections, names and roots.

Apache reads its configuration a line at a time: a trailing backslash joins
the next line, ``#`` starts a comment only at the start of a line, and
arguments may be quoted. ``Include`` and ``IncludeOptional`` are expanded in
place, so a virtual host split across files is read as Apache reads it.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from cleanshift.sites.webserver import (
    MAX_INCLUDE_DEPTH,
    ConfigFiles,
    VirtualHost,
    normalise_root,
    port_of,
)

logger = logging.getLogger(__name__)

_SECTION = re.compile(r"<\s*(/?)\s*([A-Za-z]+)\s*([^>]*)>?")
_INCLUDES = ("include", "includeoptional")


@dataclass
class _Section:
    """A ``<VirtualHost>`` being read."""

    addresses: list[str]
    source: str
    names: list[str] = field(default_factory=list)
    root: str | None = None
    ssl_engine: bool = False


def parse_apache(path: str, files: ConfigFiles) -> list[VirtualHost]:
    """The virtual hosts declared in ``path`` and the files it includes."""
    hosts: list[VirtualHost] = []
    section: _Section | None = None
    for line, source in _lines(path, files, chain=()):
        opening = _SECTION.match(line) if line.startswith("<") else None
        if opening is not None and opening.group(2).lower() == "virtualhost":
            if opening.group(1):
                hosts.extend(_virtual_host(section))
                section = None
            else:
                # An unclosed section ends where the next one starts.
                hosts.extend(_virtual_host(section))
                section = _Section(split_arguments(opening.group(3)), source)
            continue
        if section is None or opening is not None:
            continue
        _apply(section, split_arguments(line))
    hosts.extend(_virtual_host(section))
    return hosts


def split_arguments(line: str) -> list[str]:
    """Words of a directive line; quotes group words, a backslash escapes."""
    words: list[str] = []
    index, length = 0, len(line)
    while index < length:
        if line[index].isspace():
            index += 1
            continue
        quote = line[index] if line[index] in "\"'" else None
        index += 1 if quote else 0
        chars: list[str] = []
        while index < length:
            char = line[index]
            if (quote and char == quote) or (not quote and char.isspace()):
                break
            if char == "\\" and index + 1 < length and line[index + 1] in "\"'\\":
                index += 1
                char = line[index]
            chars.append(char)
            index += 1
        index += 1
        words.append("".join(chars))
    return words


def _apply(section: _Section, words: list[str]) -> None:
    if not words:
        return
    name, args = words[0].lower(), words[1:]
    if name == "servername" and args:
        section.names.insert(0, _strip_port(args[0]))
    elif name == "serveralias":
        section.names.extend(args)
    elif name == "documentroot" and len(args) == 1:
        section.root = args[0]
    elif name == "sslengine" and args:
        section.ssl_engine = args[0].lower() == "on"


def _virtual_host(section: _Section | None) -> list[VirtualHost]:
    if section is None or section.root is None:
        return []
    root = normalise_root(section.root)
    if root is None or "${" in root:
        logger.debug("Apache root %r in %s not usable", section.root, section.source)
        return []
    ports = [port_of(address) for address in section.addresses]
    port = next((port for port in ports if port is not None), None)
    tls = section.ssl_engine or 443 in ports
    return [
        VirtualHost("apache", tuple(section.names), root, tls, port, section.source)
    ]


def _strip_port(name: str) -> str:
    """``ServerName`` may carry a scheme and a port: keep the host name."""
    host = name.split("://", 1)[-1]
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def _lines(
    path: str, files: ConfigFiles, chain: tuple[str, ...]
) -> Iterator[tuple[str, str]]:
    """Logical lines (continuations joined, comments gone), includes expanded."""
    text = files.read(path)
    if text is None:
        return
    chain = (*chain, os.path.realpath(path))
    pending = ""
    for physical in text.splitlines():
        if physical.endswith("\\"):
            pending += physical[:-1] + " "
            continue
        line, pending = (pending + physical).strip(), ""
        if not line or line.startswith("#"):
            continue
        words = line.split(None, 1)
        if words[0].lower() in _INCLUDES and len(words) == 2:
            yield from _included(split_arguments(words[1]), path, files, chain)
            continue
        yield line, path


def _included(
    patterns: list[str], path: str, files: ConfigFiles, chain: tuple[str, ...]
) -> Iterator[tuple[str, str]]:
    if len(chain) >= MAX_INCLUDE_DEPTH:
        logger.warning("includes nested deeper than %d at %s", MAX_INCLUDE_DEPTH, path)
        return
    if not patterns:
        return
    for target in files.expand(patterns[0], path):
        if os.path.realpath(target) in chain:
            logger.warning("%s includes itself through %s; ignored", target, path)
            continue
        yield from _lines(target, files, chain)
