"""Spotting code hidden in short strings: cron hook names and arguments.

A backdoor that survives file cleanups registers a cron event whose hook
or arguments carry its code, often base64 and gzip-compressed so that no
plain-text rule sees it. The YARA rules see what is written out; this
module also looks inside base64 runs, inflating them when they are
compressed, and reports what the decoded text turns out to be.
"""

from __future__ import annotations

import base64
import binascii
import re
import zlib

# Below this length a base64 run is an ID or a hash, not a program.
MIN_BASE64_RUN = 40
# Decoding stops here: a payload shows what it is within its first bytes,
# and a compressed bomb must not inflate without bound.
MAX_DECODED_BYTES = 256 * 1024

_CALLS = re.compile(
    r"\b(eval|assert|create_function|base64_decode|gzinflate|gzuncompress|"
    r"gzdecode|str_rot13|shell_exec|passthru|system|proc_open|popen|"
    r"call_user_func|file_put_contents|fromCharCode|atob)\(",
    re.IGNORECASE,
)
_CODE_MARKERS = re.compile(
    r"(<\?php|<script|\beval\s*\(|\bbase64_decode\s*\(|\bgzinflate\s*\(|"
    r"\$_(GET|POST|REQUEST|COOKIE|SERVER)\b|\bfunction\s*\(|\bexec\s*\(|"
    r"\bsystem\s*\(|\bshell_exec\s*\(|\bfile_put_contents\s*\(|\bcurl_exec\s*\()",
    re.IGNORECASE,
)
_BASE64_RUN = re.compile(rf"[A-Za-z0-9+/]{{{MIN_BASE64_RUN},}}={{0,2}}")
# Hook names are PHP identifiers, with dots, dashes, slashes or namespace
# separators at most; nothing else reaches do_action() from a plugin.
_HOOK_NAME = re.compile(r"^[A-Za-z0-9_\-.:/\\]{1,191}$")


def describe_payload(text: str) -> str | None:
    """Why ``text`` looks like it carries code, or None if it does not."""
    call = _CALLS.search(text)
    if call:
        return f"calls {call.group(1)}()"
    for run in _BASE64_RUN.finditer(text):
        decoded = _decode_base64(run.group())
        if decoded is None:
            continue
        if _is_code(decoded):
            return "holds base64 that decodes to code"
        inflated = _inflate(decoded)
        if inflated is not None and _is_code(inflated):
            return "holds base64 of compressed (gzinflate) code"
    return None


def describe_hook_name(name: str) -> str | None:
    """Why a cron hook name is not a plain hook name, or None if it is."""
    if not _HOOK_NAME.match(name):
        return "hook name has characters no registered hook uses"
    run = _BASE64_RUN.search(name)
    if run and _decode_base64(run.group()) is not None and _is_mixed(run.group()):
        return "hook name is a base64 blob"
    return None


def _decode_base64(run: str) -> bytes | None:
    usable = run.rstrip("=")
    usable = usable[: len(usable) - len(usable) % 4]
    try:
        return base64.b64decode(usable[: MAX_DECODED_BYTES * 4 // 3], validate=True)
    except (binascii.Error, ValueError):
        return None


def _inflate(data: bytes) -> bytes | None:
    # gzinflate() is raw deflate; gzuncompress() zlib; gzdecode() gzip.
    for window_bits in (-zlib.MAX_WBITS, zlib.MAX_WBITS, zlib.MAX_WBITS | 16):
        try:
            inflater = zlib.decompressobj(window_bits)
            return inflater.decompress(data, MAX_DECODED_BYTES)
        except zlib.error:
            continue
    return None


def _is_code(data: bytes) -> bool:
    text = data.decode("utf-8", "replace")
    return _CODE_MARKERS.search(text) is not None


def _is_mixed(run: str) -> bool:
    # Words joined by underscores are not base64 even when they parse as it.
    return (
        any(char.isdigit() for char in run)
        and any(char.isupper() for char in run)
        and any(char.islower() for char in run)
    )
