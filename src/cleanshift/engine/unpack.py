"""Unpacking PHP that hides its code behind eval of decoded literals.

Packed files, malicious or commercial, look alike from outside: a chain
such as ``eval(gzinflate(base64_decode('...')))``, often many layers deep.
What tells them apart is the code inside. ``unpack`` follows such chains
statically: it understands only string literals, variables assigned from
them, concatenation, a fixed set of pure decoding functions and ``eval``,
and computes each layer as data. Nothing is ever run, included or
evaluated as PHP.

A file counts as packed only when every statement of every packer layer is
understood; the innermost layers (code that is not itself a packer) are
returned for the rules to judge. Anything else, a single unknown function
or a variable whose value depends on the request, means the file is not a
pure packer and ``unpack`` returns None.
"""

from __future__ import annotations

import base64
import binascii
import codecs
import logging
import urllib.parse
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field

from cleanshift.phplexer import Token, tokenize

logger = logging.getLogger(__name__)

# Bounds on the work one file can cause: a deflate bomb or a loop of
# layers stops here and the file is judged as it stands.
MAX_LAYERS = 256
MAX_DECODED_BYTES = 32 * 1024 * 1024
# Reading a layer costs a Python step per token; a bigger layer is left
# whole for the rules (a file that big is not unpacked at all).
MAX_LAYER_BYTES = 4 * 1024 * 1024
# Statements that packers put around their evals and that run no code.
HARMLESS_CALLS = frozenset({"error_reporting", "set_time_limit", "ini_set"})


class NotPackedError(Exception):
    """The code holds something other than decodable literals and eval."""


class UnpackLimitError(NotPackedError):
    """Unpacking would take more layers or bytes than one file may cost."""


@dataclass
class Unpacked:
    """The code found inside a packed file, and how deep it was."""

    layers: int = 0
    payloads: list[bytes] = field(default_factory=list)


@dataclass
class _Budget:
    decoded: int = 0
    layers: int = 0

    def spend(self, data: bytes) -> bytes:
        self.decoded += len(data)
        if self.decoded > MAX_DECODED_BYTES:
            raise UnpackLimitError("decoded output past the limit")
        return data


def unpack(data: bytes) -> Unpacked | None:
    """The code inside ``data`` if the file is a pure eval-of-literal packer."""
    budget = _Budget()
    result = Unpacked()
    try:
        if not _run_layer(data, {}, budget, result, top=True):
            return None
    except NotPackedError as reason:
        logger.debug("not unpacked: %s", reason)
        return None
    except RecursionError:
        return None
    result.layers = budget.layers
    return result if result.payloads else None


def _run_layer(
    code: bytes,
    variables: dict[str, bytes],
    budget: _Budget,
    result: Unpacked,
    *,
    top: bool = False,
) -> bool:
    """Run one layer's statements; False when it is not a packer layer.

    The file itself is PHP with tags; an eval'd layer starts in PHP mode,
    as eval does.
    """
    if len(code) > MAX_LAYER_BYTES:
        raise NotPackedError("layer too big to read")
    source = code.decode("latin-1")
    tokens = tokenize(source if top else "<?php " + source)
    statements = _split_statements(tokens)
    if not statements:
        return False
    evals: list[bytes] = []
    for statement in statements:
        evals.extend(_statement(statement, variables))
    if not evals:
        return False
    for payload in evals:
        budget.layers += 1
        if budget.layers > MAX_LAYERS:
            raise UnpackLimitError("too many layers")
        budget.spend(payload)
        try:
            inner_is_packer = _run_layer(payload, variables, budget, result)
        except UnpackLimitError:
            raise
        except NotPackedError:
            inner_is_packer = False
        if not inner_is_packer and payload.strip():
            result.payloads.append(payload)
    return True


def _split_statements(tokens: list[Token]) -> list[list[Token]]:
    statements: list[list[Token]] = []
    current: list[Token] = []
    depth = 0
    for token in tokens:
        if token.kind == "punct" and token.text in "([{":
            depth += 1
        elif token.kind == "punct" and token.text in ")]}":
            depth -= 1
        if token.kind == "punct" and token.text == ";" and depth == 0:
            if current:
                statements.append(current)
            current = []
            continue
        current.append(token)
    if current:
        statements.append(current)
    return statements


def _statement(tokens: list[Token], variables: dict[str, bytes]) -> list[bytes]:
    """What one statement evals; assignments update ``variables``."""
    while tokens and tokens[0].text == "@":
        tokens = tokens[1:]
    if len(tokens) >= 3 and tokens[0].kind == "variable" and tokens[1].text == "=":
        variables[tokens[0].text] = _Expression(tokens[2:], variables).whole()
        return []
    if tokens and tokens[0].kind == "name":
        name = tokens[0].text.lower()
        if name == "eval":
            return [_Expression(tokens[1:], variables).whole()]
        if name in HARMLESS_CALLS and _is_literal_call(tokens[1:]):
            return []
    raise NotPackedError(
        f"statement starting {tokens[0].text[:20]!r}" if tokens else ""
    )


def _is_literal_call(tokens: list[Token]) -> bool:
    allowed = {"(", ")", ",", "|", "&", "~", "^"}
    return bool(tokens) and all(
        token.kind in ("string", "number", "name") or token.text in allowed
        for token in tokens
    )


class _Expression:
    """A recursive-descent reader of one decodable expression."""

    def __init__(self, tokens: list[Token], variables: dict[str, bytes]) -> None:
        self.tokens = tokens
        self.position = 0
        self.variables = variables

    def whole(self) -> bytes:
        value = self.concatenation()
        if self.position != len(self.tokens):
            raise NotPackedError(f"unexpected {self.tokens[self.position].text[:20]!r}")
        return value

    def concatenation(self) -> bytes:
        value = self.term()
        while self._peek(".") is not None:
            self.position += 1
            value += self.term()
        return value

    def term(self) -> bytes:
        token = self._next()
        if token.text == "@":
            return self.term()
        if token.text == "(":
            value = self.concatenation()
            self._expect(")")
            return value
        if token.kind == "string":
            if not isinstance(token.value, str):
                raise NotPackedError("string whose value depends on variables")
            return _php_bytes(token.value)
        if token.kind == "variable":
            if token.text not in self.variables:
                raise NotPackedError(f"unknown variable {token.text[:20]}")
            value = self.variables[token.text]
            if self._peek("(") is not None:
                # $f("...") where $f holds a decoder's name, as obfuscators
                # write it to keep the name out of sight.
                return self.call(value.decode("latin-1").lower())
            return value
        if token.kind == "name":
            return self.call(token.text.lower())
        raise NotPackedError(f"unexpected {token.text[:20]!r}")

    def call(self, name: str) -> bytes:
        decoder = DECODERS.get(name)
        if decoder is None:
            raise NotPackedError(f"call of {name[:30]}")
        self._expect("(")
        arguments = [self.concatenation()]
        while self._peek(",") is not None:
            self.position += 1
            arguments.append(self.concatenation())
        self._expect(")")
        return decoder(*arguments)

    def _next(self) -> Token:
        if self.position >= len(self.tokens):
            raise NotPackedError("expression ends early")
        token = self.tokens[self.position]
        self.position += 1
        return token

    def _peek(self, text: str) -> Token | None:
        if self.position < len(self.tokens):
            token = self.tokens[self.position]
            if token.kind == "punct" and token.text == text:
                return token
        return None

    def _expect(self, text: str) -> None:
        if self._next().text != text:
            raise NotPackedError(f"expected {text!r}")


def _php_bytes(value: str) -> bytes:
    # The source was read as Latin-1, one character per byte; escapes in
    # double-quoted strings come back as surrogates of their bytes.
    try:
        return value.encode("latin-1", "surrogateescape")
    except UnicodeEncodeError:
        return value.encode("utf-8", "surrogateescape")


def _inflate(wbits: int) -> Callable[[bytes], bytes]:
    def decode(data: bytes, *_: bytes) -> bytes:
        inflater = zlib.decompressobj(wbits)
        try:
            out = inflater.decompress(data, MAX_DECODED_BYTES)
        except zlib.error as error:
            raise NotPackedError(f"bad compressed data: {error}") from error
        if inflater.unconsumed_tail:
            raise UnpackLimitError("compressed data expands past the limit")
        return out

    return decode


def _base64(data: bytes, *_: bytes) -> bytes:
    # PHP's non-strict base64_decode skips characters outside the alphabet.
    cleaned = bytes(b for b in data if b in _BASE64_ALPHABET)
    cleaned = cleaned.rstrip(b"=")
    cleaned += b"=" * (-len(cleaned) % 4)
    try:
        return base64.b64decode(cleaned)
    except binascii.Error as error:
        raise NotPackedError(f"bad base64: {error}") from error


def _strtr(data: bytes, source: bytes = b"", target: bytes = b"", *_: bytes) -> bytes:
    length = min(len(source), len(target))
    return data.translate(bytes.maketrans(source[:length], target[:length]))


def _hex2bin(data: bytes, *_: bytes) -> bytes:
    try:
        return binascii.unhexlify(data)
    except binascii.Error as error:
        raise NotPackedError(f"bad hex: {error}") from error


def _rot13(data: bytes, *_: bytes) -> bytes:
    return codecs.encode(data.decode("latin-1"), "rot13").encode("latin-1")


_BASE64_ALPHABET = frozenset(
    b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
)
DECODERS: dict[str, Callable[..., bytes]] = {
    "base64_decode": _base64,
    "gzinflate": _inflate(-zlib.MAX_WBITS),
    "gzuncompress": _inflate(zlib.MAX_WBITS),
    "gzdecode": _inflate(zlib.MAX_WBITS | 16),
    "str_rot13": _rot13,
    "strrev": lambda data, *_: data[::-1],
    "strtr": _strtr,
    "hex2bin": _hex2bin,
    "rawurldecode": lambda data, *_: urllib.parse.unquote_to_bytes(data),
    "urldecode": lambda data, *_: urllib.parse.unquote_to_bytes(
        data.replace(b"+", b" ")
    ),
}
