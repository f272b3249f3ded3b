"""The database rules: their metadata, what each catches and what it leaves."""

from __future__ import annotations

import base64
import random
import zlib
from pathlib import Path

import pytest
import yara_x

from cleanshift.dbscan.matching import (
    ValueScanner,
    compile_database_rules,
    default_database_rules,
)
from cleanshift.dbscan.payloads import describe_hook_name, describe_payload
from cleanshift.engine.findings import SNIPPET_MAX
from cleanshift.engine.rules import SEVERITIES
from tests.dbscan.wordpress_content import EMBEDS, HACKED_SITE_POST, youtube_iframe
from tests.dbscan.wordpress_payloads import OBFUSCATED, POST_INJECTIONS, SKIMMER
from tests.dbscan.wordpress_site_options import (
    FACEBOOK_PAGE,
    GTAG,
    META_PIXEL,
    TAG_MANAGER_BODY,
)

FIELDS = ("title", "content", "option", "config", "cron")


@pytest.fixture(scope="module")
def scanner() -> ValueScanner:
    """One scanner over the shipped rules."""
    return ValueScanner()


def test_every_rule_carries_the_metadata_contract() -> None:
    reporting = 0
    for rule in default_database_rules():
        meta = dict(rule.metadata)
        if not meta:
            # Private helper rules carry none and never report.
            continue
        reporting += 1
        assert {"description", "severity", "family"} <= set(meta), rule.identifier
        assert meta["severity"] in SEVERITIES, rule.identifier
        assert rule.identifier.startswith("db_"), rule.identifier
    assert reporting >= 14


@pytest.mark.parametrize(
    ("rule", "field", "text"),
    [
        *(
            (rules_, "title" if column == "post_title" else "content", text)
            for _, column, text, rules_ in POST_INJECTIONS
        ),
        ({"db_obfuscator_io_javascript"}, "option", OBFUSCATED),
        ({"db_js_payment_skimmer"}, "config", SKIMMER),
        (
            {"db_script_encoded_loader"},
            "content",
            '<script src="data:text/javascript;base64,YWxlcnQoMSk="></script>',
        ),
        (
            {"db_script_encoded_loader"},
            "option",
            "document.write(unescape('%3Cscript%20src%3D%22https%3A%2F%2Fx.top%22'))",
        ),
        (
            {"db_cloaked_redirect"},
            "content",
            "<script>if(/android|iphone/i.test(navigator.userAgent)){window.location="
            "'https://m-deals.example/';}</script>",
        ),
        (
            {"db_markup_in_title"},
            "title",
            'Sale <img src=x onerror="alert(1)">',
        ),
        (
            {"db_php_encoded_eval"},
            "option",
            "@eval(stripslashes($_REQUEST['c']));",
        ),
        (
            {"db_script_from_suspicious_host"},
            "content",
            '<script src="https://jquery-cdn-libs.net/3.6.0/jquery.min.js"></script>',
        ),
    ],
)
def test_each_rule_catches_its_kind(
    scanner: ValueScanner, rule: set[str] | frozenset[str], field: str, text: str
) -> None:
    match = scanner.scan(text, field)

    assert match is not None, text
    assert match.rule.name in rule
    assert 0 < len(match.snippet) <= SNIPPET_MAX


CLEAN_VALUES = [
    *EMBEDS,
    youtube_iframe("dQw4w9WgXcQ"),
    GTAG,
    TAG_MANAGER_BODY,
    META_PIXEL,
    FACEBOOK_PAGE,
    # Classic Google Analytics builds a script tag at run time, in clear.
    "<script>(function(i,s,o,g,r,a,m){i['GoogleAnalyticsObject']=r;i[r]=i[r]||function(){"
    "(i[r].q=i[r].q||[]).push(arguments)},i[r].l=1*new Date();a=s.createElement(o),"
    "m=s.getElementsByTagName(o)[0];a.async=1;a.src=g;m.parentNode.insertBefore(a,m)"
    "})(window,document,'script','https://www.google-analytics.com/analytics.js','ga');"
    "</script>",
    '<script src="https://code.jquery.com/jquery-3.7.1.min.js" integrity="sha256-x" '
    'crossorigin="anonymous"></script>',
    '<script type="text/javascript" id="hs-script-loader" async defer '
    'src="//js.hs-scripts.com/1234567.js"></script>',
    "<script>(function(h,o,t,j,a,r){h.hj=h.hj||function(){(h.hj.q=h.hj.q||[]).push("
    "arguments)};h._hjSettings={hjid:123,hjsv:6};a=o.getElementsByTagName('head')[0];"
    "r=o.createElement('script');r.async=1;r.src=t+h._hjSettings.hjid+j+"
    "h._hjSettings.hjsv;a.appendChild(r);})(window,document,'https://static.hotjar.com"
    "/c/hotjar-','.js?sv=');</script>",
    '<a href="/checkout/">Go to checkout</a> <input name="payment[cc_number]">',
    '<p>Call 0800 123 456 or <a href="mailto:shop@example.com">email us</a>.</p>',
    "Best online casino reviews: how we test slots (an honest, visible article).",
    "JavaScript: the good parts - book review",
    '<img src="data:image/png;base64,'
    + base64.b64encode(random.Random(6).randbytes(60_000)).decode()
    + '" alt="chart">',
]


@pytest.mark.parametrize(
    ("field", "text"),
    # Markup is never clean in a title, so titles get only the plain texts.
    [
        (field, text)
        for field in FIELDS
        for text in CLEAN_VALUES
        if field != "title" or "<" not in text
    ],
)
def test_clean_values_match_nothing(
    scanner: ValueScanner, field: str, text: str
) -> None:
    assert scanner.scan(text, field) is None


def test_php_in_post_content_needs_a_php_tag(scanner: ValueScanner) -> None:
    # A post about a hack quotes the malware; an option never holds code.
    assert scanner.scan(HACKED_SITE_POST, "content") is None
    assert scanner.scan(HACKED_SITE_POST, "option") is not None

    code = "eval(base64_decode($_POST['x']));"

    assert scanner.scan(f"<pre><code>{code}</code></pre>", "content") is None
    assert scanner.scan(f"<?php {code} ?>", "content") is not None
    assert scanner.scan(code, "option") is not None


def test_rules_without_the_field_global_still_scan(tmp_path: Path) -> None:
    (tmp_path / "plain.yar").write_text(
        'rule db_plain { meta: description = "x" severity = "low" family = "test" '
        'strings: $a = "needle" condition: $a }'
    )
    compiler = yara_x.Compiler()
    compiler.add_source((tmp_path / "plain.yar").read_text())
    scanner = ValueScanner(compiler.build())

    match = scanner.scan("a needle here", "title")

    assert match is not None
    assert match.rule.severity == "low"
    assert compile_database_rules(tmp_path) is not None


def deflated(text: str) -> str:
    compressor = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    raw = compressor.compress(text.encode()) + compressor.flush()
    return base64.b64encode(raw).decode()


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("assert($_POST['a'])", "calls assert()"),
        (
            base64.b64encode(b"<?php system($_GET['c']); echo 'ok'; ?>").decode(),
            "decodes",
        ),
        (
            deflated(
                "<?php @eval($_POST['z']); file_put_contents('x.php', 'y'); ?>" * 2
            ),
            "gzinflate",
        ),
    ],
)
def test_payloads_are_described(text: str, reason: str) -> None:
    description = describe_payload(text)

    assert description is not None
    assert reason in description


@pytest.mark.parametrize(
    "text",
    [
        "WP Cron",
        "eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiJ9eyJzdWIiOiIxMjM0NTY3ODkwIn0",
        "40cd750bba9870f18aada2478b24840a",
        "/var/www/site/wp-content/uploads/2024/05/report.csv",
        "Check system (daily) status",
        base64.b64encode(random.Random(7).randbytes(300)).decode(),
    ],
)
def test_ordinary_arguments_carry_no_payload(text: str) -> None:
    assert describe_payload(text) is None


@pytest.mark.parametrize(
    ("hook", "suspicious"),
    [
        ("wp_version_check", False),
        ("action_scheduler/migration_hook", False),
        ("Yoast\\WP\\SEO\\cleanup", False),
        ("wpseo-reindex-links", False),
        ("woocommerce_cleanup_personal_data_and_other_very_long_hook_names", False),
        ("eval($_POST[1])", True),
        ("aGVsbG8gd29ybGQgdGhpcyBpcyBhIGhpZGRlbiBwYXlsb2FkMTIz", True),
    ],
)
def test_hook_names(hook: str, suspicious: bool) -> None:
    assert (describe_hook_name(hook) is not None) is suspicious
