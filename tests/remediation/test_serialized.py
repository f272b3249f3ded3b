"""In-place edits of PHP-serialised values: lengths and counts stay right."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from cleanshift.dbscan.errors import PhpSerializationError
from cleanshift.dbscan.phpserial import loads
from cleanshift.remediation import serialized
from cleanshift.remediation.errors import CannotCleanError

CRON = (
    b'a:3:{i:1700000000;a:1:{s:16:"wp_version_check";a:1:{s:32:"40cd750bba9870f18aada2478b24840a";'
    b'a:3:{s:8:"schedule";s:10:"twicedaily";s:4:"args";a:0:{}s:8:"interval";i:43200;}}}'
    b'i:1700000100;a:1:{s:9:"evil_hook";a:1:{s:32:"40cd750bba9870f18aada2478b24840a";'
    b'a:2:{s:8:"schedule";b:0;s:4:"args";a:1:{i:0;s:8:"ZXZhbCgp";}}}}'
    b's:7:"version";i:2;}'
)


def test_removing_a_cron_hook_drops_its_empty_timestamp() -> None:
    tree = serialized.parse(CRON)

    cleaned = serialized.remove_entry(CRON, tree, ["1700000100", "evil_hook"])

    parsed = loads(cleaned)
    assert isinstance(parsed, dict)
    assert list(parsed) == [1700000000, "version"]
    assert cleaned.startswith(b"a:2:{")
    assert b"evil_hook" not in cleaned
    removed = CRON[CRON.index(b"i:1700000100;") : CRON.index(b's:7:"version"')]
    assert cleaned == b"a:2:{" + CRON[5:].replace(removed, b"")


def test_floats_and_untouched_parts_keep_their_bytes() -> None:
    value = (
        b'a:3:{i:0;d:0.1000000000000000055511151231257827;i:1;s:3:"bad";i:2;d:1.0E+25;}'
    )

    cleaned = serialized.remove_entry(value, serialized.parse(value), ["1"])

    assert cleaned == b"a:2:{i:0;d:0.1000000000000000055511151231257827;i:2;d:1.0E+25;}"


def test_replacing_a_string_fixes_its_length() -> None:
    value = 'a:1:{s:4:"text";s:14:"héllo<b>x</b>";}'.encode()
    tree = serialized.parse(value)
    [text] = list(serialized.strings(tree))

    edited = serialized.replace_strings(value, {text.span[0]: "héllo".encode()}, tree)

    assert edited == 'a:1:{s:4:"text";s:6:"héllo";}'.encode()
    assert loads(edited) == {"text": "héllo"}


@pytest.mark.parametrize(
    "bad",
    [b's:5:"abc";', b"a:2:{i:0;i:1;}", b'O:8:"stdClass":1:{s:1:"a";r:1;}', b"x:1;"],
)
def test_malformed_or_unsupported_values_are_refused(bad: bytes) -> None:
    with pytest.raises(PhpSerializationError, match=r"byte|unsupported"):
        serialized.parse(bad)


def test_a_missing_entry_is_refused() -> None:
    with pytest.raises(CannotCleanError):
        serialized.remove_entry(CRON, serialized.parse(CRON), ["1", "x"])


@pytest.mark.skipif(shutil.which("php") is None, reason="no php binary")
def test_php_reads_the_edited_value() -> None:
    cleaned = serialized.remove_entry(
        CRON, serialized.parse(CRON), ["1700000100", "evil_hook"]
    )
    script = "var_export(count(unserialize(stream_get_contents(STDIN))));"
    result = subprocess.run(
        ["php", "-n", "-r", script], input=cleaned, capture_output=True, check=True
    )
    assert result.stdout == b"2"
