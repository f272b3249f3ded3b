"""Versions for matching, ordered like PHP's ``version_compare``.

WordPress, its plugins and Wordfence compare versions with PHP's
``version_compare``; :mod:`cleanshift.vulns.phpversion` ports it exactly and
documents its rules (special forms ``dev < alpha = a < beta = b < RC = rc <
number < pl = p``, unknown words below ``dev``, ``"1.0" > "1"``).

:func:`parse_version` builds a :class:`Version` for matching. It is stricter
than PHP and departs from it in these places, each so that an odd string
cannot silently land on the wrong side of a range:

* Malformed strings raise :class:`VersionError` instead of getting an
  arbitrary place in the order: empty, ``*``, trailing or doubled separators
  (``"1.1."``, ``"1..2"``), characters outside ``[0-9A-Za-z._- +]`` (``"4.5 |
  built on ..."``), words other than the special forms, a first part that is
  not a number, and numbers above 2**63-1 (PHP would clamp them to equal).
  PHP itself accepts any string: ``"1.1."`` sorts just below ``"1.1"``.
* Surrounding whitespace is stripped and a single inner space is a separator
  like ``-``. PHP keeps a space after a digit inside the next segment, which
  makes Wordfence's ``"5.8 beta 1"`` an unknown word below ``dev`` and so not
  equal to WordPress's own ``"5.8-beta1"``; here they are equal.
* A ``v``/``V`` before a digit is dropped (PHP reads ``"v1.2"`` as the word
  ``"v"``, below every release).
* Special words are lower-cased, so ``"Beta"`` is ``beta`` (PHP: unknown).
* Build metadata after ``+`` is ignored, as SemVer and Composer do. PHP would
  read ``"+build.5"`` as ``b`` (beta), sorting ``"1.0+build.5"`` below ``"1.0"``.

Everything else is PHP's order: a :class:`Version` compares exactly as
``version_compare`` does on its :attr:`Version.normalized` text, so ``"1.02"``
equals ``"1.2"`` (both ``strtol`` to 2), and ``"4.7"`` is below ``"4.7.0"``.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from .phpversion import LONG_MAX, canonicalize, version_compare

__all__ = [
    "Version",
    "VersionError",
    "VersionRange",
    "canonicalize",
    "parse_version",
    "version_compare",
]


class VersionError(ValueError):
    """A string is not a version this library can compare reliably."""


# Lower-case special words accepted by parse_version, with PHP's order.
_WORDS: dict[str, int] = {
    "dev": 0,
    "alpha": 1,
    "a": 1,
    "beta": 2,
    "b": 2,
    "rc": 3,
    "pl": 5,
    "p": 5,
}
_NUMBER_RANK = 4  # PHP's "#": where a number sits among the words
# Closes every key. A further number (4, n >= 0) or pl (5, 0) sorts above it
# and dev..rc below it: rule 4 in cleanshift.vulns.phpversion.
_END = (_NUMBER_RANK, -1)
_CORE = re.compile(r"[0-9A-Za-z]+(?:[._\- ][0-9A-Za-z]+)*", re.ASCII)
_BUILD = re.compile(r"[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*", re.ASCII)
_TOKEN = re.compile(r"[0-9]+|[A-Za-z]+", re.ASCII)


@functools.total_ordering
@dataclass(frozen=True, slots=True, eq=False)
class Version:
    """A parsed version, ordered like PHP's ``version_compare``.

    ``text`` is the string as given, ``normalized`` the dotted form it is
    compared by (``"5.8 beta 1"`` -> ``"5.8.beta.1"``). Build with
    :func:`parse_version`.
    """

    text: str
    normalized: str
    key: tuple[tuple[int, int], ...]

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Version):
            return NotImplemented
        return self.key == other.key

    def __lt__(self, other: Version) -> bool:
        if not isinstance(other, Version):
            return NotImplemented
        return self.key < other.key

    def __hash__(self) -> int:
        return hash(self.key)

    def __str__(self) -> str:
        return self.text

    def __repr__(self) -> str:
        return f"Version({self.text!r})"


def parse_version(text: str) -> Version:
    """Parse ``text`` into a :class:`Version` or raise :class:`VersionError`.

    Accepts ``1.2``, ``v1.2.3``, ``1.6.0.2``, ``1.02``, ``6.5-beta2``,
    ``5.8-rc1``, ``5.8 beta 1``, ``12.8-a.1`` and ``1.0.0+build.5``; see the
    module docstring for what is rejected and where this departs from PHP.
    """
    if not isinstance(text, str):
        raise VersionError(f"version must be a string, not {type(text).__name__}")
    core = text.strip()
    if not core:
        raise VersionError("empty version string")
    if core == "*":
        raise VersionError("'*' is a range wildcard, not a version")
    if core[0] in "vV" and core[1:2].isascii() and core[1:2].isdigit():
        core = core[1:]
    if "+" in core:
        core, _, build = core.partition("+")
        if not _BUILD.fullmatch(build):
            raise VersionError(f"malformed build metadata in {text!r}")
    if not _CORE.fullmatch(core):
        raise VersionError(f"malformed version {text!r}")
    parts: list[str] = []
    key: list[tuple[int, int]] = []
    for token in _TOKEN.findall(core):
        if token.isdigit():
            number = int(token)
            if number > LONG_MAX:
                raise VersionError(f"number too large in {text!r}")
            parts.append(str(number))
            key.append((_NUMBER_RANK, number))
        else:
            word = token.lower()
            if word not in _WORDS:
                raise VersionError(f"unknown word {token!r} in version {text!r}")
            if not key:
                raise VersionError(f"version {text!r} does not start with a number")
            parts.append(word)
            key.append((_WORDS[word], 0))
    key.append(_END)
    return Version(text=text, normalized=".".join(parts), key=tuple(key))


@dataclass(frozen=True, slots=True)
class VersionRange:
    """A span of versions; a bound of ``None`` (``*`` in feeds) is unbounded.

    The inclusive flag of an unbounded side is ignored.
    """

    from_version: Version | None = None
    to_version: Version | None = None
    from_inclusive: bool = True
    to_inclusive: bool = True

    @classmethod
    def parse(
        cls,
        from_text: str,
        to_text: str,
        *,
        from_inclusive: bool = True,
        to_inclusive: bool = True,
    ) -> VersionRange:
        """Build a range from two strings, ``*`` meaning unbounded.

        Raises :class:`VersionError` if a bound is malformed.
        """
        low = None if from_text.strip() == "*" else parse_version(from_text)
        high = None if to_text.strip() == "*" else parse_version(to_text)
        return cls(low, high, from_inclusive, to_inclusive)

    def contains(self, version: Version) -> bool:
        """Whether ``version`` lies inside this range."""
        # Compare keys directly: this is the hot path of matching.
        key, low, high = version.key, self.from_version, self.to_version
        if low is not None and (
            key < low.key or (key == low.key and not self.from_inclusive)
        ):
            return False
        return not (
            high is not None
            and (key > high.key or (key == high.key and not self.to_inclusive))
        )

    def is_empty(self) -> bool:
        """Whether no version can fall inside (e.g. the bounds are reversed)."""
        low, high = self.from_version, self.to_version
        if low is None or high is None:
            return False
        return low > high or (
            low == high and not (self.from_inclusive and self.to_inclusive)
        )

    def __str__(self) -> str:
        low = "*" if self.from_version is None else self.from_version.text
        high = "*" if self.to_version is None else self.to_version.text
        left = "[" if self.from_inclusive or self.from_version is None else "("
        right = "]" if self.to_inclusive or self.to_version is None else ")"
        return f"{left}{low}, {high}{right}"
