"""A faithful port of PHP's ``version_compare``.

WordPress, its plugins and Wordfence all compare versions with PHP's
``version_compare`` (``ext/standard/versioning.c``), so :func:`version_compare`
is a byte-for-byte port of it, quirks included. Its rules:

1. ``""`` equals ``""`` and sorts below any non-empty string.
2. A string that starts with ``#`` is used as is; any other string is
   canonicalised. The first byte is copied unchanged, then for each next byte
   ``c`` (with ``prev`` the byte before it in the input):

   * ``-``, ``_`` and ``+`` become ``.``;
   * at a digit/non-digit boundary (``.`` counts as neither) a ``.`` is
     inserted and ``c`` is kept, *even if it is not alphanumeric*: ``"5.8 beta"``
     becomes ``"5.8. beta"``, whose segment ``" beta"`` is not ``beta``;
   * any other non-alphanumeric byte (``.`` included) becomes ``.``;

   and a ``.`` is never written right after another ``.`` (``"1..2"`` is
   ``"1.2"``).
3. The results are split at ``.`` and compared segment by segment. Two numeric
   segments (first byte a digit) compare as integers read by ``strtol``, so
   ``"02" == "2"`` and values past 2**63-1 clamp to it. Two word segments
   compare by *prefix*, case-sensitively: ``dev`` < ``alpha`` = ``a`` <
   ``beta`` = ``b`` < ``RC`` = ``rc`` < ``#`` < ``pl`` = ``p``; a word matching
   none of them (``"foo"``, ``"Beta"``, ``" beta"``) ranks below ``dev``, and
   ``"build"`` or ``"patch"`` match ``b`` and ``p``. A number against a word
   counts as ``#``: above ``RC``, below ``pl``.
4. If one side runs out, a further numeric segment on the other side makes it
   greater (``"1.0" > "1"``: PHP does not treat missing parts as zero); a
   further word segment is compared with ``#`` (``"1.0RC1" < "1.0"``,
   ``"1.0pl1" > "1.0"``). A trailing ``.`` leaves an empty segment, so
   ``"1.1." < "1.1"``.

The port works on bytes, as PHP does, and was checked against PHP 8.2 on
random strings. :mod:`cleanshift.vulns.versions` builds the stricter
:class:`~cleanshift.vulns.versions.Version` on top of it.
"""

from __future__ import annotations

import re

__all__ = ["LONG_MAX", "canonicalize", "version_compare"]

LONG_MAX = 2**63 - 1  # strtol's ceiling on the 64-bit platforms PHP runs on

# Order matters: PHP takes the first entry that is a prefix of the segment.
_SPECIAL_FORMS: tuple[tuple[bytes, int], ...] = (
    (b"dev", 0),
    (b"alpha", 1),
    (b"a", 1),
    (b"beta", 2),
    (b"b", 2),
    (b"RC", 3),
    (b"rc", 3),
    (b"#", 4),
    (b"pl", 5),
    (b"p", 5),
)
_NUMBER_FORM = b"#N#"
_LEADING_DIGITS = re.compile(rb"[0-9]*")


def _isdigit(c: int) -> bool:
    return 0x30 <= c <= 0x39


def _isalnum(c: int) -> bool:
    # C-locale isalnum: ASCII only, so each byte of UTF-8 text is "other".
    return _isdigit(c) or 0x41 <= c <= 0x5A or 0x61 <= c <= 0x7A


def _isndig(c: int) -> bool:
    return not _isdigit(c) and c != 0x2E


def _to_bytes(text: str | bytes) -> bytes:
    raw = text.encode("utf-8", "surrogateescape") if isinstance(text, str) else text
    return raw.split(b"\0", 1)[0]  # PHP passes a C string: a NUL ends it


def canonicalize(version: str | bytes) -> str:
    """Return PHP's ``php_canonicalize_version`` of ``version``."""
    return _canonicalize(_to_bytes(version)).decode("utf-8", "surrogateescape")


def _canonicalize(version: bytes) -> bytes:
    if not version:
        return b""
    out = bytearray(version[:1])
    prev = version[0]
    for c in version[1:]:
        last = out[-1]
        if c in b"-_+":
            if last != 0x2E:
                out.append(0x2E)
        elif (_isndig(prev) and _isdigit(c)) or (_isdigit(prev) and _isndig(c)):
            if last != 0x2E:
                out.append(0x2E)
            out.append(c)
        elif not _isalnum(c):
            if last != 0x2E:
                out.append(0x2E)
        else:
            out.append(c)
        prev = c
    return bytes(out)


def _special_order(form: bytes) -> int:
    for name, order in _SPECIAL_FORMS:
        if form.startswith(name):
            return order
    return -1


def _compare_forms(form1: bytes, form2: bytes) -> int:
    found1, found2 = _special_order(form1), _special_order(form2)
    return (found1 > found2) - (found1 < found2)


def _strtol(segment: bytes) -> int:
    # strtol reads the leading digits and saturates at LONG_MAX.
    match = _LEADING_DIGITS.match(segment)
    digits = match.group() if match else b""
    return min(int(digits or b"0"), LONG_MAX)


def version_compare(version1: str | bytes, version2: str | bytes) -> int:
    """Compare two versions exactly as PHP's ``version_compare($a, $b)``.

    Returns -1, 0 or 1. See the module docstring for the rules.
    """
    return _php_compare(_to_bytes(version1), _to_bytes(version2))


def _php_compare(orig1: bytes, orig2: bytes) -> int:
    if not orig1 or not orig2:
        return bool(orig1) - bool(orig2)
    ver1 = orig1 if orig1.startswith(b"#") else _canonicalize(orig1)
    ver2 = orig2 if orig2.startswith(b"#") else _canonicalize(orig2)
    # p/n mirror the C pointers: p is a segment start, n the index of the dot
    # that ends it, or None once a side has no further dot (NULL in C).
    p1 = p2 = 0
    n1: int | None = 0
    n2: int | None = 0
    compare = 0
    while p1 < len(ver1) and p2 < len(ver2) and n1 is not None and n2 is not None:
        found1, found2 = ver1.find(b".", p1), ver2.find(b".", p2)
        n1 = found1 if found1 >= 0 else None
        n2 = found2 if found2 >= 0 else None
        seg1 = ver1[p1:n1] if n1 is not None else ver1[p1:]
        seg2 = ver2[p2:n2] if n2 is not None else ver2[p2:]
        digit1 = bool(seg1) and _isdigit(seg1[0])
        digit2 = bool(seg2) and _isdigit(seg2[0])
        if digit1 and digit2:
            l1, l2 = _strtol(seg1), _strtol(seg2)
            compare = (l1 > l2) - (l1 < l2)
        elif not digit1 and not digit2:
            compare = _compare_forms(seg1, seg2)
        elif digit1:
            compare = _compare_forms(_NUMBER_FORM, seg2)
        else:
            compare = _compare_forms(seg1, _NUMBER_FORM)
        if compare != 0:
            break
        if n1 is not None:
            p1 = n1 + 1
        if n2 is not None:
            p2 = n2 + 1
    if compare == 0:
        if n1 is not None:
            rest = ver1[p1:]
            compare = 1 if rest[:1].isdigit() else _php_compare(rest, _NUMBER_FORM)
        elif n2 is not None:
            rest = ver2[p2:]
            compare = -1 if rest[:1].isdigit() else _php_compare(_NUMBER_FORM, rest)
    return compare
