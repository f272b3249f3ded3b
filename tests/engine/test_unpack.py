"""Packed PHP: unpacked statically, judged by the code inside.

The samples are built here: clean code or a defanged shell wrapped in the
layers packers use (eval of gzinflate/base64 literals, a variable carried
between layers and run through strtr).
"""

from __future__ import annotations

import base64
import zlib
from pathlib import Path

import pytest

from cleanshift.engine.rules import compile_rules
from cleanshift.engine.unpack import (
    MAX_DECODED_BYTES,
    MAX_LAYER_BYTES,
    MAX_LAYERS,
    unpack,
)
from cleanshift.engine.worker import FileResult, RuleScanner

CLEAN_CLASS = b"""
class Example_Forms_Block_Grid
{
    public function render($rows)
    {
        return implode("\\n", array_map('htmlspecialchars', $rows));
    }
}
"""
SHELL = b"""
if (isset($_REQUEST['cmd'])) {
    echo '<pre>' . shell_exec($_REQUEST['cmd']) . '</pre>';
}
"""


def deflate(data: bytes) -> bytes:
    packer = zlib.compressobj(wbits=-zlib.MAX_WBITS)
    return packer.compress(data) + packer.flush()


def gz_layer(code: bytes) -> bytes:
    """eval(gzinflate(base64_decode('...'))); of ``code``."""
    literal = base64.b64encode(deflate(code))
    return b"eval(gzinflate(base64_decode('" + literal + b"')));"


def strtr_layer(code: bytes) -> bytes:
    """A variable filled in one layer and decoded by the next, with strtr."""
    swapped = base64.b64encode(deflate(code)).translate(
        bytes.maketrans(b"abc123", b"123abc")
    )
    decoder = b"$_X=gzinflate(base64_decode(strtr($_X,'123abc','abc123')));eval($_X);"
    return (
        b"$_X='"
        + swapped
        + b"';eval(base64_decode('"
        + base64.b64encode(decoder)
        + b"'));"
    )


def packed_file(code: bytes, layers: int = 3) -> bytes:
    for number in range(layers):
        code = strtr_layer(code) if number % 2 else gz_layer(code)
    return b"<?php error_reporting(0); ?>\n<?php " + code + b"\n"


@pytest.fixture(scope="module")
def scanner() -> RuleScanner:
    return RuleScanner(compile_rules())


def scan(scanner: RuleScanner, tmp_path: Path, data: bytes) -> FileResult:
    path = tmp_path / "Grid.php"
    path.write_bytes(data)
    return scanner.scan(bytes(path), b"Grid.php")


def test_layers_unpack_to_the_code_inside() -> None:
    unpacked = unpack(packed_file(CLEAN_CLASS, layers=5))

    assert unpacked is not None
    assert unpacked.payloads == [CLEAN_CLASS]
    assert unpacked.layers >= 5


def test_packed_clean_code_is_not_reported(
    scanner: RuleScanner, tmp_path: Path
) -> None:
    result = scan(scanner, tmp_path, packed_file(CLEAN_CLASS))

    assert result.error is None
    assert result.finding is None


def test_packed_shell_is_reported_as_the_shell_inside(
    scanner: RuleScanner, tmp_path: Path
) -> None:
    finding = scan(scanner, tmp_path, packed_file(SHELL, layers=5)).finding

    assert finding is not None
    assert finding.family == "webshell"
    assert "packed" in finding.title
    # The packer's own rules stay listed next to the payload's.
    assert "php_eval_of_decoded_payload" in finding.matched_rules
    assert finding.line == 2


def test_a_wrapper_fed_by_the_request_is_not_unpacked_and_stays_flagged(
    scanner: RuleScanner, tmp_path: Path
) -> None:
    data = b"<?php eval(gzinflate(base64_decode($_POST['p'])));\n"

    assert unpack(data) is None
    finding = scan(scanner, tmp_path, data).finding
    assert finding is not None


def test_other_code_beside_the_eval_means_no_pure_packer() -> None:
    data = packed_file(CLEAN_CLASS).replace(b"error_reporting(0);", b"mail($a, 1);")

    assert unpack(data) is None


def test_a_deflate_bomb_stops_at_the_limit_and_stays_flagged(
    scanner: RuleScanner, tmp_path: Path
) -> None:
    bomb = b"<?php " + gz_layer(b"/*" + b" " * (MAX_DECODED_BYTES + 1) + b"*/")

    assert unpack(bomb) is None
    assert scan(scanner, tmp_path, bomb).finding is not None


def test_more_layers_than_the_limit_are_not_followed() -> None:
    code = b"echo 1;"
    for _ in range(MAX_LAYERS + 1):
        code = gz_layer(code)

    assert unpack(b"<?php " + code) is None


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"\x00\xff binary",
        b"<?php eval(",
        b"<?php eval(base64_decode('%%%'));",
        b"<?php eval(gzinflate('not deflate'));",
        b"<?php eval(system('id'));",
        b"<?php $a = ; eval($a);",
        b'<?php eval(base64_decode("x$y"));',
    ],
)
def test_malformed_or_unknown_code_is_not_unpacked(data: bytes) -> None:
    assert unpack(data) is None


def test_a_layer_too_big_to_read_is_left_whole() -> None:
    big = b"/*" + b"x" * MAX_LAYER_BYTES + b"*/ echo 1;"

    assert unpack(b"<?php " + big) is None
    unpacked = unpack(b"<?php " + gz_layer(big))
    assert unpacked is not None
    assert unpacked.payloads == [big]


def test_a_decoder_called_through_a_variable_holding_its_escaped_name() -> None:
    literal = base64.b64encode(CLEAN_CLASS)
    data = b'<?php $f = "\\142\\x61se64_decode"; @eval($f("' + literal + b'"));\n'

    unpacked = unpack(data)

    assert unpacked is not None
    assert unpacked.payloads == [CLEAN_CLASS]


def test_a_variable_holding_another_function_name_is_not_called() -> None:
    data = b"<?php $f = 'system'; eval($f('id'));\n"

    assert unpack(data) is None
