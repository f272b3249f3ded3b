"""File names as bytes, and their lossless form in JSON.

Names on a server are arbitrary bytes. Inside the engine they stay bytes;
when they cross into JSON, a name that is valid UTF-8 travels as text, and
one that is not also carries its exact bytes in base64 (``raw_path``), while
``path`` shows it to people with the odd bytes escaped as ``\\xNN``.
"""

from __future__ import annotations

import base64
import urllib.parse


def display_path(raw: bytes) -> str:
    """A readable text form of a file name; odd bytes become ``\\xNN``."""
    return raw.decode("utf-8", "backslashreplace")


def raw_path_field(raw: bytes) -> str | None:
    """Base64 of the name's bytes when the text form is not lossless."""
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return base64.b64encode(raw).decode("ascii")
    return None


def path_from_fields(path: str, raw_path: str | None) -> bytes:
    """The exact bytes of a name given its JSON fields."""
    if raw_path:
        return base64.b64decode(raw_path)
    return path.encode("utf-8")


def uri_path(raw: bytes) -> str:
    """A relative URI reference for a name: odd bytes and ``%#?`` escaped."""
    return urllib.parse.quote(raw, safe="/")
