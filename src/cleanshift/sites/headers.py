"""File headers as WordPress reads them, and version strings made safe.

WordPress reads a plugin's or theme's metadata with ``get_file_data()``:
the first 8 KiB of the file, one ``Name: value`` per line, anywhere in
those bytes. Reading the same way reports what WordPress itself would see.
"""

from __future__ import annotations

import re

# get_file_data() reads this much and no more; a header past it does not
# exist for WordPress, so it must not exist for us either.
HEADER_BYTES = 8 * 1024
# The control plane stores versions in 100 characters; longer is junk.
MAX_VERSION_CHARS = 64
MAX_NAME_CHARS = 200

# The prefix WordPress allows before a header name: optional "<?php", then
# comment decoration (spaces, tabs, slashes, stars, hashes, at signs).
_HEADER_PREFIX = rb"^(?:[ \t]*<\?php)?[ \t/*#@]*"
# _cleanup_header_comment(): a value ends where a comment or PHP block closes.
_HEADER_TAIL = re.compile(rb"\s*(?:\*/|\?>).*")
# PHP's trim() strips exactly these.
_PHP_TRIM = b" \t\n\r\0\x0b"
_READABLE_VERSION = re.compile(r"[0-9A-Za-z][0-9A-Za-z._+~ -]*")


def read_file_headers(data: bytes, names: tuple[str, ...]) -> dict[str, str]:
    """The headers ``names`` found in ``data``, as ``get_file_data()`` does.

    Only the first ``HEADER_BYTES`` count; names match case-insensitively;
    headers that are missing or empty are left out of the result.
    """
    text = data[:HEADER_BYTES].replace(b"\r", b"\n")
    found: dict[str, str] = {}
    for name in names:
        pattern = _HEADER_PREFIX + re.escape(name.encode("ascii")) + rb":(.*)$"
        match = re.search(pattern, text, re.IGNORECASE | re.MULTILINE)
        # PHP's `&& $match[1]` also drops a value of exactly "0".
        if match is None or match.group(1) in (b"", b"0"):
            continue
        value = _HEADER_TAIL.sub(b"", match.group(1)).strip(_PHP_TRIM)
        if value:
            found[name] = value.decode("utf-8", "replace")
    return found


def readme_stable_tag(data: bytes) -> str | None:
    """The ``Stable tag:`` of a WordPress.org ``readme.txt``, if it names one.

    ``trunk`` means "whatever trunk is", which says nothing about the files
    installed here, so it counts as no version.
    """
    tag = read_file_headers(data, ("Stable tag",)).get("Stable tag")
    if tag is None or tag.strip().lower() == "trunk":
        return None
    return clean_version(tag)


def clean_version(value: str | bytes | None) -> str | None:
    """A version string fit to report, or None for junk.

    Versions come from attacker-controlled files: anything too long, empty,
    or holding characters no release number uses is dropped.
    """
    if value is None:
        return None
    text = value.decode("utf-8", "replace") if isinstance(value, bytes) else value
    text = text.strip()
    if len(text) > MAX_VERSION_CHARS or not _READABLE_VERSION.fullmatch(text):
        return None
    return text


def clean_name(value: str | None) -> str | None:
    """A display name cut to a sane length, without control characters."""
    if value is None:
        return None
    text = "".join(char for char in value if char.isprintable()).strip()
    return text[:MAX_NAME_CHARS] or None
