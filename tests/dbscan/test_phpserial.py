"""The PHP ``unserialize`` stand-in: plain data out, nothing run, limits kept.

The inputs marked "from PHP 8.2" were printed by PHP's own ``serialize``.
"""

from __future__ import annotations

import math

import pytest

from cleanshift.dbscan.errors import PhpSerializationError
from cleanshift.dbscan.phpserial import PhpObject, PhpReference, iter_strings, loads
from tests.dbscan.wordpress_schema import PhpData, php_serialize

# From PHP 8.2; "Café" is five bytes, and lengths count bytes.
WIDGET_TEXT = (
    'a:4:{s:5:"title";s:5:"About";s:4:"text";s:23:"<p>Café & "quotes"</p>";'
    's:6:"filter";b:1;s:6:"visual";b:1;}'
)
# From PHP 8.2.
CRON = (
    'a:3:{i:1700000000;a:1:{s:16:"wp_version_check";a:1:{s:32:"40cd750bba9870f18aada'
    '2478b24840a";a:3:{s:8:"schedule";s:10:"twicedaily";s:4:"args";a:0:{}s:8:"interval";'
    'i:43200;}}}i:1700003600;a:1:{s:26:"action_scheduler_run_queue";a:1:{s:32:"0d04ed3'
    '9571b55704c122d726248bbac";a:3:{s:8:"schedule";s:12:"every_minute";s:4:"args";a:1:'
    '{i:0;s:7:"WP Cron";}s:8:"interval";i:60;}}}s:7:"version";i:2;}'
)


def test_widget_text_from_php() -> None:
    assert loads(WIDGET_TEXT) == {
        "title": "About",
        "text": '<p>Café & "quotes"</p>',
        "filter": True,
        "visual": True,
    }


def test_cron_from_php() -> None:
    cron = loads(CRON)

    assert isinstance(cron, dict)
    assert cron["version"] == 2
    event = cron[1700003600]["action_scheduler_run_queue"]  # type: ignore[index]
    assert event["0d04ed39571b55704c122d726248bbac"]["args"] == {0: "WP Cron"}  # type: ignore[index]


def test_scalars_from_php() -> None:
    # From PHP 8.2.
    value = loads(
        'a:5:{s:1:"a";d:-1.5;s:1:"b";d:1.0E+100;s:1:"c";d:0.30000000000000004;'
        's:1:"n";N;s:3:"neg";i:-7;}'
    )
    assert value == {
        "a": -1.5,
        "b": 1e100,
        "c": 0.30000000000000004,
        "n": None,
        "neg": -7,
    }
    assert math.isinf(loads("d:INF;"))  # type: ignore[arg-type]
    assert math.isnan(loads("d:NAN;"))  # type: ignore[arg-type]


def test_objects_are_records_never_instances() -> None:
    # From PHP 8.2: an object, a reference to it, a custom-serialised object
    # (PHP 7's ArrayObject) and an enum case.
    value = loads(
        'a:4:{i:0;O:3:"Foo":2:{s:1:"a";i:1;s:6:"\x00Foo\x00c";s:1:"x";}i:1;r:2;'
        'i:2;C:11:"ArrayObject":21:{x:i:0;a:0:{};m:a:0:{}}i:3;E:11:"Suit:Hearts";}'
    )

    assert value == {
        0: PhpObject("Foo", {"a": 1, "\x00Foo\x00c": "x"}),
        1: PhpReference(2),
        2: PhpObject("ArrayObject", {"": "x:i:0;a:0:{};m:a:0:{}"}),
        3: PhpObject("Suit", {"case": "Suit:Hearts"}),
    }


def test_round_trip_of_the_test_serialiser() -> None:
    data: PhpData = {"é": [1, 2.5, None, True, 'x"y'], 7: {"nested": {"deep": "ok"}}}
    assert loads(php_serialize(data)) == {
        "é": {0: 1, 1: 2.5, 2: None, 3: True, 4: 'x"y'},
        7: {"nested": {"deep": "ok"}},
    }


def test_every_string_is_reached() -> None:
    strings = set(iter_strings(loads(CRON)))

    assert {"wp_version_check", "WP Cron", "twicedaily", "version"} <= strings


@pytest.mark.parametrize(
    "text",
    [
        "",
        's:5:"abc";',
        's:3:"abc"',
        "a:2:{i:0;i:1;}",
        "a:1:{i:0;i:1;",
        "b:2;",
        "i:12",
        "x:1;",
        "a:1:{a:0:{}i:1;}",
        "i:1;i:2;",
        's:-1:"";',
    ],
)
def test_malformed_input_is_refused(text: str) -> None:
    with pytest.raises(PhpSerializationError):
        loads(text)


def test_depth_and_size_are_capped() -> None:
    deep = "a:1:{i:0;" * 100 + "N;" + "}" * 100
    with pytest.raises(PhpSerializationError, match="deeper"):
        loads(deep)

    wide = "a:1000:{" + "".join(f"i:{n};N;" for n in range(1000)) + "}"
    with pytest.raises(PhpSerializationError, match="too many"):
        loads(wide, max_items=500)
    assert len(loads(wide)) == 1000  # type: ignore[arg-type]
