"""The shipped YARA rules: metadata contract, samples flagged, clean code not.

Samples live in ``samples/malicious/<family>/...`` (the folder names the
family a rule must report) and ``samples/clean/...``. They are written for
these tests and defanged: commands are ``id`` or sit behind ``if (false)``,
payloads decode to ``echo 'cleanshift-test';``, hosts are ``.invalid``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
import yara_x

from cleanshift.engine.rules import (
    PHP_ONLY_FILES,
    RULES_DIR,
    SEVERITIES,
    compile_rules,
    describe_rule,
    rule_files,
)

SAMPLES = Path(__file__).resolve().parent / "samples"
MALICIOUS = SAMPLES / "malicious"
CLEAN = SAMPLES / "clean"

# A public rule's header: "rule name" at the start of a line (private
# helper rules are not reported and need no sample).
RULE_HEADER = re.compile(r"^(private\s+)?rule\s+(\w+)", re.MULTILINE)
META_BLOCK = re.compile(r"meta:(.*?)(strings:|condition:)", re.DOTALL)
META_ENTRY = re.compile(r'^\s*(\w+)\s*=\s*"([^"]*)"', re.MULTILINE)


def sample_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file())


def public_rules() -> dict[str, dict[str, str]]:
    """Every public rule in the rule files, with its metadata."""
    rules: dict[str, dict[str, str]] = {}
    for path in rule_files():
        source = path.read_text(encoding="utf-8")
        headers = list(RULE_HEADER.finditer(source))
        for index, header in enumerate(headers):
            if header.group(1):
                continue
            end = headers[index + 1].start() if index + 1 < len(headers) else None
            body = source[header.end() : end]
            block = META_BLOCK.search(body)
            meta = dict(META_ENTRY.findall(block.group(1))) if block else {}
            rules[header.group(2)] = meta
    return rules


@pytest.fixture(scope="module")
def scanner() -> yara_x.Scanner:
    return yara_x.Scanner(compile_rules())


def scan(scanner: yara_x.Scanner, path: Path) -> list[yara_x.Rule]:
    """Scan a sample with the globals the real scanner sets."""
    scanner.set_global("file_name", path.name)
    scanner.set_global("file_ext", path.suffix.lower().lstrip("."))
    scanner.set_global("rel_path", path.relative_to(SAMPLES).as_posix())
    return list(scanner.scan(path.read_bytes()).matching_rules)


def expected_family(path: Path) -> str:
    return path.relative_to(MALICIOUS).parts[0]


def test_rules_compile() -> None:
    assert compile_rules() is not None


def test_every_rule_has_valid_metadata() -> None:
    rules = public_rules()
    assert rules, "no rules found"
    for name, meta in rules.items():
        assert meta.get("description"), f"{name} lacks a description"
        assert meta.get("severity") in SEVERITIES, f"{name} has a bad severity"
        assert meta.get("family"), f"{name} lacks a family"


def test_rule_names_are_unique_across_files() -> None:
    names: list[str] = []
    for path in rule_files():
        names += [m.group(2) for m in RULE_HEADER.finditer(path.read_text())]
    duplicates = {name for name in names if names.count(name) > 1}
    assert not duplicates


@pytest.mark.parametrize(
    "path", sample_files(MALICIOUS), ids=lambda p: p.relative_to(MALICIOUS).as_posix()
)
def test_malicious_sample_is_flagged_with_its_family(
    scanner: yara_x.Scanner, path: Path
) -> None:
    matches = scan(scanner, path)
    families = {describe_rule(rule).family for rule in matches}
    assert expected_family(path) in families, (
        f"{path.name}: expected family {expected_family(path)}, "
        f"got {sorted(rule.identifier for rule in matches)}"
    )


@pytest.mark.parametrize(
    "path", sample_files(CLEAN), ids=lambda p: p.relative_to(CLEAN).as_posix()
)
def test_clean_sample_is_not_flagged(scanner: yara_x.Scanner, path: Path) -> None:
    matches = scan(scanner, path)
    assert not matches, sorted(rule.identifier for rule in matches)


def test_every_rule_is_triggered_by_a_sample(scanner: yara_x.Scanner) -> None:
    triggered: set[str] = set()
    for path in sample_files(MALICIOUS):
        triggered |= {rule.identifier for rule in scan(scanner, path)}
    untested = sorted(set(public_rules()) - triggered)
    assert not untested, f"rules without a sample: {untested}"


def test_matching_rules_report_metadata(scanner: yara_x.Scanner) -> None:
    for path in sample_files(MALICIOUS):
        for rule in scan(scanner, path):
            info = describe_rule(rule)
            assert info.severity in SEVERITIES
            assert info.threat_type


def scan_text(scanner: yara_x.Scanner, name: str, text: str) -> set[str]:
    """Scan text that exists only in the test, as if it were a file ``name``."""
    scanner.set_global("file_name", name)
    scanner.set_global("file_ext", Path(name).suffix.lstrip("."))
    scanner.set_global("rel_path", name)
    return {rule.identifier for rule in scanner.scan(text.encode()).matching_rules}


ENCODED_MODULE = CLEAN / "encoded_extension_helper.php"
ENCODED_WIZARD = CLEAN / "encoded_install_wizard.js"
FIRST_PACKED_LINE = re.compile(r"^ +@eval\(gzinflate\(.*$", re.MULTILINE)
# Raw deflate of "echo 'cleanshift-test';", in base64.
PACKED_ECHO = "S03OyFdQT85JTcwrzshMK9EtSS0uUbcGAA=="

# Each change turns the clean encoded extension into a shape that packed
# malware takes; the packer rules must no longer stand down.
MODULE_TURNED_MALICIOUS: dict[str, Callable[[str], str]] = {
    "pasted-without-indentation": lambda source: source.replace(
        "        @eval(gzinflate(", "@eval(gzinflate(", 1
    ),
    "packed-above-the-class": lambda source: source.replace(
        "<?php\n",
        f"<?php\n    eval(gzinflate(base64_decode('{PACKED_ECHO}')));\n",
        1,
    ),
    "run-at-top-level": lambda source: (
        source + "\n$helper = new Example_Reports_Helper_Licence();\n"
    ),
    "request-fills-the-packed-variable": lambda source: source.replace(
        "        eval(gzinflate(",
        "        $parts[0] = $_POST['p'];\n        eval(gzinflate(",
        1,
    ),
    "request-inside-the-eval": lambda source: source.replace(
        "base64_decode($parts[0])", "base64_decode($_COOKIE['p'])", 1
    ),
    "rot13-payload-reads-the-request": lambda source: source.replace(
        "rpub \\'pyrnafuvsg-grfg \\' . CUC_IREFVBA;", "rpub $_TRG[\\'x\\'];", 1
    ),
    "base64-payload-runs-a-command": lambda source: FIRST_PACKED_LINE.sub(
        "        @eval(base64_decode('c3lzdGVtKCdpZCcpOw=='));", source, count=1
    ),
}


@pytest.mark.parametrize("change", sorted(MODULE_TURNED_MALICIOUS))
def test_packed_method_exemption_ends_where_malware_starts(
    scanner: yara_x.Scanner, change: str
) -> None:
    source = ENCODED_MODULE.read_text()
    changed = MODULE_TURNED_MALICIOUS[change](source)
    assert changed != source, "the sample no longer holds the text to change"
    matches = scan_text(scanner, "Licence.php", changed)
    assert "php_eval_of_decoded_payload" in matches, sorted(matches)


def test_packed_class_still_flags_nested_decoders_on_request_input(
    scanner: yara_x.Scanner,
) -> None:
    source = ENCODED_MODULE.read_text()
    importer = (
        "    public function importAction()\n"
        "    {\n"
        "        $this->rows = gzinflate(base64_decode($_POST['rows']));\n"
        "    }\n"
        "}\n"
    )
    changed = source[: source.rindex("}")] + importer
    matches = scan_text(scanner, "Licence.php", changed)
    assert "php_nested_decoders" in matches, sorted(matches)


def test_obfuscated_script_hiding_checkout_names_is_flagged(
    scanner: yara_x.Scanner,
) -> None:
    source = ENCODED_WIZARD.read_text()
    hidden_checkout = r"\x63\x68\x65\x63\x6B\x6F\x75\x74"
    changed = source.replace('var _0x3e7a=["', f'var _0x3e7a=["{hidden_checkout}","', 1)
    assert changed != source
    matches = scan_text(scanner, "license.js", changed)
    assert "js_hex_string_array_obfuscation" in matches, sorted(matches)


CONTENT_GATE = re.compile(
    r"^private rule (\w+_php_content)\s*\{\s*strings:(.*?)"
    r"condition:\s*any of them\s*\}",
    re.MULTILINE | re.DOTALL,
)
PATTERN_LINE = re.compile(r"^\s*\$\w+\s*=\s*(.+)$", re.MULTILINE)
# A public rule and the first word of its condition, never reading on into
# the next rule.
CONDITION = re.compile(
    r"^rule (\w+)\b(?:(?!^(?:private )?rule ).)*?condition:\s*(\S+)\s+and\b",
    re.DOTALL | re.MULTILINE,
)


@pytest.mark.parametrize("stem", sorted(PHP_ONLY_FILES))
def test_php_only_rule_files_are_gated_on_php_content(stem: str) -> None:
    # The scanner skips these files for content holding neither "<?" nor
    # "$_"; that is only safe while every rule needs a pattern with one.
    source = (RULES_DIR / f"{stem}.yar").read_text()
    gate = CONTENT_GATE.search(source)
    assert gate is not None, f"{stem} has no private *_php_content rule"
    patterns = PATTERN_LINE.findall(gate.group(2))
    assert patterns
    for pattern in patterns:
        assert any(marker in pattern for marker in ('"<?', "/<\\?", "/\\$_")), (
            f"{stem}: gate pattern {pattern} holds neither <? nor $_"
        )
    public = {
        header.group(2)
        for header in RULE_HEADER.finditer(source)
        if not header.group(1)
    }
    gated = {
        match.group(1)
        for match in CONDITION.finditer(source)
        if match.group(2) == gate.group(1)
    }
    assert public
    assert public <= gated, f"not gated: {sorted(public - gated)}"


def test_content_without_php_markers_matches_no_php_only_rule(
    scanner: yara_x.Scanner,
) -> None:
    # Every malicious sample with the PHP markers taken out: no rule from
    # a PHP-only file may still fire.
    for path in sample_files(MALICIOUS):
        data = path.read_bytes().replace(b"<?", b"< ?").replace(b"$_", b"$ _")
        results = scanner.scan(data)
        fired = {rule.namespace for rule in results.matching_rules}
        assert not fired & PHP_ONLY_FILES, (path.name, sorted(fired))
