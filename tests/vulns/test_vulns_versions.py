"""Version comparison, parsing and range membership.

Values marked "PHP" were produced by ``version_compare`` in PHP 8.2.36.
"""

from __future__ import annotations

import random
import re

import pytest

from cleanshift.vulns import (
    Version,
    VersionError,
    VersionRange,
    canonicalize,
    parse_version,
    version_compare,
)

# (a, b, PHP version_compare(a, b)) -- the faithful port must agree on all.
PHP_COMPARE_ROWS = [
    ("1", "2", -1),
    ("10", "2", 1),
    ("1.0", "1.1", -1),
    ("1.2", "1.0.1", 1),
    ("1.0", "1", 1),  # PHP: a missing part is not zero; the longer one wins
    ("5.2", "5.2.0", -1),
    ("4.7", "4.7.0", -1),
    ("1.02", "1.2", 0),  # PHP: strtol("02") == 2
    ("1.0-dev", "1.0a1", -1),
    ("1.0a1", "1.0b1", -1),
    ("1.0b1", "1.0RC1", -1),
    ("1.0RC1", "1.0rc1", 0),
    ("1.0rc1", "1.0", -1),
    ("1.0", "1.0pl1", -1),
    ("1.0alpha", "1.0a", 0),
    ("1.0p1", "1.0pl1", 0),
    ("1.0Beta", "1.0-dev", -1),  # PHP: case-sensitive, "Beta" is unknown < dev
    ("1.0foo", "1.0-dev", -1),  # PHP: unknown words rank below dev
    ("1.0foo", "1.0bar", -1),  # PHP: prefix match, "bar" counts as "b" (beta)
    ("1.0-patch", "1.0", 1),  # PHP: "patch" counts as "p" (patch level)
    ("1.0+build.5", "1.0", -1),  # PHP: "build" counts as "b" (beta)
    ("v1.2", "1.2", -1),  # PHP: "v" is an unknown word
    ("1.1.", "1.1", -1),  # PHP: the trailing dot leaves an empty segment
    ("1.1.", "1.0.9", 1),
    ("1..2", "1.2", 0),  # PHP: repeated dots collapse
    ("5.8 beta 1", "5.8-beta1", -1),  # PHP: canonical "5.8. beta.1": " beta"
    ("5.8 beta 1", "5.8 beta 2", -1),
    ("5.8 beta 1", "5.8-dev", -1),
    ("12.8-a.1", "12.8", -1),
    ("12.8-a.1", "12.7.99", 1),
    ("4.5 | built on x", "4.5", -1),
    ("", "", 0),
    ("", "1", -1),
    ("99999999999999999999", "99999999999999999998", 0),  # PHP: strtol clamps
    ("#1.0", "5.0", 0),  # PHP: "#..." is not canonicalised; "#1" ranks as a number
    (".1", ".1", 0),
    ("1.0_rc_1", "1.0-RC1", 0),
    ("6.4.3-alpha-57403", "6.4.3-beta1", -1),
    ("1.0.0-beta.2", "1.0.0-beta.11", -1),
]


@pytest.mark.parametrize(("a", "b", "expected"), PHP_COMPARE_ROWS)
def test_version_compare_matches_php(a: str, b: str, expected: int) -> None:
    assert version_compare(a, b) == expected
    assert version_compare(b, a) == -expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1.0alpha2", "1.0.alpha.2"),
        ("5.8 beta 1", "5.8. beta.1"),  # the space after "8" is kept (PHP)
        ("1..2", "1.2"),
        ("v1.2", "v.1.2"),
        ("1.0+build.5", "1.0.build.5"),
        ("12.8-a.1", "12.8.a.1"),
        ("", ""),
    ],
)
def test_canonicalize_matches_php(text: str, expected: str) -> None:
    assert canonicalize(text) == expected


# (text, normalized form) for strings parse_version accepts.
ACCEPTED = [
    ("6.4.2", "6.4.2"),
    ("v1.2.3", "1.2.3"),  # v prefix dropped
    ("V2.0", "2.0"),
    ("1.6.0.2", "1.6.0.2"),  # four parts
    ("1.02", "1.2"),  # leading zero
    ("  5.3.1 ", "5.3.1"),  # surrounding whitespace
    ("6.5-beta2", "6.5.beta.2"),
    ("5.8-rc1", "5.8.rc.1"),
    ("5.8-RC1", "5.8.rc.1"),
    ("5.8 beta 1", "5.8.beta.1"),  # Wordfence spelling
    ("12.8-a.1", "12.8.a.1"),
    ("1.0.0-Beta.3", "1.0.0.beta.3"),
    ("1.0.0+build.5", "1.0.0"),  # build metadata dropped
    ("1.0.0-rc.1+20240101", "1.0.0.rc.1"),
    ("6.4.3-alpha-57403", "6.4.3.alpha.57403"),
    ("2.1_p1", "2.1.p.1"),
]


@pytest.mark.parametrize(("text", "normalized"), ACCEPTED)
def test_parse_version_accepts(text: str, normalized: str) -> None:
    version = parse_version(text)
    assert version.normalized == normalized
    assert version.text == text


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "*",  # a range wildcard, handled by VersionRange
        "1.1.",  # PHP would sort it just below 1.1
        ".1",
        "1..2",
        "1.0-",
        "4.5 | built on 2021-03-01",
        "4.5 built on",  # only the special forms are accepted as words
        "1.0-foo",
        "1.0+",  # empty build metadata
        "1.0+build..5",
        "beta1",  # must start with a number
        "v",
        "1.0\t2",
        "99999999999999999999",  # PHP would clamp this to 2**63-1
        "\uff11.\uff12",  # fullwidth digits are not ASCII digits
    ],
)
def test_parse_version_rejects(text: str) -> None:
    with pytest.raises(VersionError):
        parse_version(text)


def test_parse_version_rejects_non_strings() -> None:
    with pytest.raises(VersionError):
        parse_version(5.3)  # type: ignore[arg-type]


# (a, b, expected sign of a <=> b) for parsed versions.
VERSION_ORDER = [
    ("1.02", "1.2", 0),  # PHP: 0
    ("1.2", "1.10", -1),
    ("4.7", "4.7.0", -1),  # PHP: -1; WordPress itself says "4.7"
    ("1.6.0.2", "1.6.0.10", -1),
    ("1.6.0.2", "1.6.1", -1),
    ("v5.3.1", "5.3.1", 0),  # PHP: -1 ("v" is a word); the prefix is dropped here
    ("5.8 beta 1", "5.8-beta1", 0),  # PHP: -1 (" beta" is unknown); equal here
    ("5.8 beta 1", "5.8 beta 2", -1),
    ("5.8 beta 2", "5.8-rc1", -1),
    ("5.8-rc1", "5.8", -1),
    ("5.8-dev", "5.8-alpha", -1),
    ("5.8", "5.8.1", -1),
    ("5.8-beta1", "5.7.99", 1),
    ("12.8-a.1", "12.8", -1),  # PHP: -1
    ("12.8-a.1", "12.7.5", 1),
    ("1.0.0+build.5", "1.0.0", 0),  # PHP: -1 ("build" reads as beta)
    ("1.0-Beta", "1.0-beta", 0),  # PHP: -1 (case-sensitive)
    ("1.0-pl1", "1.0", 1),
    ("10.0", "9.99.99", 1),
]


@pytest.mark.parametrize(("a", "b", "expected"), VERSION_ORDER)
def test_version_order(a: str, b: str, expected: int) -> None:
    va, vb = parse_version(a), parse_version(b)
    assert ((va > vb) - (va < vb)) == expected
    assert (va == vb) == (expected == 0)
    assert (hash(va) == hash(vb)) or expected != 0


def test_version_order_equals_php_on_normalized_text() -> None:
    # Version orders by a precomputed key; it must agree with the PHP port
    # applied to the normalized strings for any pair of accepted versions.
    rng = random.Random(20240611)
    words = ["dev", "alpha", "a", "beta", "b", "rc", "pl", "p"]
    versions: list[Version] = []
    while len(versions) < 400:
        text = str(rng.choice([0, 1, 2, 10]))
        for _ in range(rng.randint(0, 4)):
            sep = rng.choice([".", "-", "", " "])
            part = rng.choice([str(rng.randint(0, 3)), rng.choice(words)])
            text += sep + part
        try:
            versions.append(parse_version(text))
        except VersionError:
            continue
    for a in versions:
        for b in rng.sample(versions, 20):
            assert ((a > b) - (a < b)) == version_compare(a.normalized, b.normalized)


def _range(spec: str) -> VersionRange:
    """Read interval notation such as ``[*, 5.3.2)`` or ``(1.0, 2.0]``."""
    found = re.fullmatch(r"([\[(])\s*(.+?)\s*,\s*(.+?)\s*([\])])", spec)
    assert found, spec
    left, low, high, right = found.groups()
    return VersionRange.parse(
        low, high, from_inclusive=left == "[", to_inclusive=right == "]"
    )


# (ranges of one record, installed version, affected?)
RANGE_ROWS = [
    ("[*, 5.3.2)", "5.3.1", True),  # exclusive upper bound
    ("[*, 5.3.2)", "5.3.2", False),
    ("[*, 5.3.2]", "5.3.2", True),  # inclusive upper bound
    ("[*, 5.3.2]", "5.3.2.1", False),
    ("[*, 5.3.2]", "5.3.2-rc1", True),  # a pre-release sorts below its release
    ("[5.8, 5.8.3)", "5.8", True),  # inclusive lower bound
    ("(5.8, 5.8.3)", "5.8", False),  # exclusive lower bound
    ("(5.8, 5.8.3)", "5.8.0", True),  # PHP: 5.8.0 > 5.8
    ("(5.8, 5.8.3)", "5.8.2", True),
    ("[5.8, 5.8.3)", "5.7.9", False),
    ("[5.8, *]", "99.0", True),  # unbounded above
    ("[5.8, *]", "5.8-rc1", False),
    ("[*, *]", "0.1", True),  # unbounded on both sides
    ("[*, *]", "7.0-alpha", True),
    ("[4.7, 4.7]", "4.7", True),
    ("[4.7, 4.7]", "4.7.0", False),  # PHP: version_compare("4.7.0", "4.7") = 1
    ("[1.7, 1.7.3.3]", "1.7.3.2", True),  # four-part bound
    ("[1.7, 1.7.3.3]", "1.7.3.4", False),
    ("[*, 1.6.0.2)", "1.6.0.02", False),  # PHP: 1.6.0.02 == 1.6.0.2, the fix
    ("[*, 1.6.0.2)", "1.6.0.1", True),
    ("[*, 12.8-a.1]", "12.8-a.1", True),
    ("[*, 12.8-a.1]", "12.8", False),  # PHP: 12.8 > 12.8-a.1
    ("[*, 12.8-a.1]", "12.7.3", True),
    ("[5.8 beta 1, 5.8 beta 2]", "5.8-beta1", True),  # PHP: false (" beta")
    ("[5.8 beta 1, 5.8 beta 2]", "5.8-beta2", True),
    ("[5.8 beta 1, 5.8 beta 2]", "5.8-beta3", False),
    ("[5.8 beta 1, 5.8 beta 2]", "5.8", False),
    ("[*, 2.0.0)", "v1.9.9", True),
    ("[*, 2.0.0)", "2.0.0+build.5", False),
    # Several ranges on one record, one per maintained branch.
    ("[6.2, 6.2.1) [6.1, 6.1.2) [*, 6.0.4)", "6.2", True),
    ("[6.2, 6.2.1) [6.1, 6.1.2) [*, 6.0.4)", "6.2.1", False),
    ("[6.2, 6.2.1) [6.1, 6.1.2) [*, 6.0.4)", "6.1.1", True),
    ("[6.2, 6.2.1) [6.1, 6.1.2) [*, 6.0.4)", "6.1.2", False),
    ("[6.2, 6.2.1) [6.1, 6.1.2) [*, 6.0.4)", "6.0.3", True),
    ("[6.2, 6.2.1) [6.1, 6.1.2) [*, 6.0.4)", "6.0.4", False),
    ("[6.2, 6.2.1) [6.1, 6.1.2) [*, 6.0.4)", "6.3", False),
]


@pytest.mark.parametrize(("ranges", "installed", "affected"), RANGE_ROWS)
def test_range_membership(ranges: str, installed: str, affected: bool) -> None:
    parsed = [_range(spec) for spec in re.findall(r"[\[(][^\])]*[\])]", ranges)]
    version = parse_version(installed)
    assert any(r.contains(version) for r in parsed) is affected


@pytest.mark.parametrize(
    ("low", "high"),
    [("1.1.", "2.0"), ("*", "4.5 | built on 2021"), ("", "*")],
)
def test_range_rejects_malformed_bounds(low: str, high: str) -> None:
    with pytest.raises(VersionError):
        VersionRange.parse(low, high)


def test_range_emptiness_and_text() -> None:
    assert VersionRange.parse("2.0", "1.0").is_empty()
    assert VersionRange.parse("1.0", "1.0", to_inclusive=False).is_empty()
    assert not VersionRange.parse("1.0", "1.0").is_empty()
    assert not VersionRange.parse("*", "*").is_empty()
    assert str(VersionRange.parse("*", "5.3.2", to_inclusive=False)) == "[*, 5.3.2)"
