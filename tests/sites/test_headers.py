"""Header parsing that matches WordPress's ``get_file_data()``."""

from __future__ import annotations

import pytest

from cleanshift.sites.headers import (
    HEADER_BYTES,
    clean_version,
    read_file_headers,
    readme_stable_tag,
)

NAMES = ("Plugin Name", "Version")


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (
            b"<?php\n/*\nPlugin Name: A\nVersion: 1.0\n*/",
            {"Plugin Name": "A", "Version": "1.0"},
        ),
        (
            b"<?php\r/*\rPlugin Name: Old Mac\rVersion: 2\r*/",
            {"Plugin Name": "Old Mac", "Version": "2"},
        ),
        (b"  <?php // Plugin Name: Inline ?>", {"Plugin Name": "Inline"}),
        (b"<?php\n * @ Plugin Name:\tTabbed\t\n", {"Plugin Name": "Tabbed"}),
        (b"<?php\n/* Plugin Name: Zero\nVersion:0\n*/", {"Plugin Name": "Zero"}),
        (b"<?php\n$x = 'Plugin Name: Not a header';\n", {}),
        (b"<?php\n/*\nPLUGIN NAME: Shouty\n*/", {"Plugin Name": "Shouty"}),
    ],
)
def test_read_file_headers(data: bytes, expected: dict[str, str]) -> None:
    assert read_file_headers(data, NAMES) == expected


def test_only_the_first_eight_kib_count() -> None:
    data = b"<?php\n" + b" " * HEADER_BYTES + b"\n/* Plugin Name: Late */"

    assert read_file_headers(data, NAMES) == {}


def test_readme_stable_tag() -> None:
    assert readme_stable_tag(b"=== X ===\nStable tag: 4.2.1\n") == "4.2.1"
    assert readme_stable_tag(b"=== X ===\nStable tag: trunk\n") is None
    assert readme_stable_tag(b"=== X ===\n") is None


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("6.4.3", "6.4.3"),
        (" 2.4.7-p1 ", "2.4.7-p1"),
        ("1.0 beta", "1.0 beta"),
        (b"5.0.2", "5.0.2"),
        ("", None),
        ("1" * 65, None),
        ("1.0<script>", None),
        ("-1", None),
        (None, None),
    ],
)
def test_clean_version(raw: str | bytes | None, expected: str | None) -> None:
    assert clean_version(raw) == expected
