"""Where a PHP file's code, strings, comments and inline HTML lie.

The clean playbook may only cut a file where the cut leaves valid PHP: not
inside a string or a comment, not between a tag and its pair, not across
unbalanced brackets, and in code only between whole statements. This is a
lexer for exactly those questions, not a parser: anything it cannot follow
(an unterminated string, an odd heredoc) marks the layout unreliable, and an
unreliable layout allows no cut at all.
"""

from __future__ import annotations

import bisect
import logging
import re
from dataclasses import dataclass

logger = logging.getLogger(__name__)

HTML = "html"
CODE = "code"

_OPEN_TAG = re.compile(rb"<\?(?:php(?=\s|\Z)|=|(?=\s))", re.IGNORECASE)
_CODE_EVENT = re.compile(rb"""['"`]|//|#(?!\[)|/\*|\?>|<<<|[()\[\]{}]""")
_STRINGS = {
    b"'": re.compile(rb"'[^'\\]*(?:\\.[^'\\]*)*'", re.DOTALL),
    b'"': re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL),
    b"`": re.compile(rb"`[^`\\]*(?:\\.[^`\\]*)*`", re.DOTALL),
}
_HEREDOC_START = re.compile(rb"""<<<[ \t]*(["']?)([A-Za-z_][A-Za-z0-9_]*)\1\r?\n""")
_STATEMENT_ENDS = frozenset(b";{}")
_WHITESPACE = frozenset(b" \t\r\n\f\v")


@dataclass(frozen=True)
class Token:
    """A span the cut rules care about: html, open, close, string, comment."""

    start: int
    end: int
    kind: str


@dataclass(frozen=True)
class Block:
    """A PHP block: from its opening tag to the end of its closing tag (or EOF)."""

    start: int
    end: int


class PhpLayout:
    """The lexical layout of one PHP file's bytes."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.tokens: list[Token] = []
        self.blocks: list[Block] = []
        self.brackets: list[tuple[int, int]] = []
        self.reliable = True
        self._lex()
        self._starts = [token.start for token in self.tokens]
        self._bracket_offsets = [offset for offset, _ in self.brackets]

    def token_at(self, offset: int) -> Token | None:
        """The token holding the byte at ``offset``, if any (bare code has none)."""
        index = bisect.bisect_right(self._starts, offset) - 1
        if index >= 0 and self.tokens[index].start <= offset < self.tokens[index].end:
            return self.tokens[index]
        return None

    def mode_at(self, offset: int) -> str:
        """``html`` or ``code``: what the boundary before ``offset`` sits in."""
        if offset == 0:
            return HTML
        token = self.token_at(offset - 1)
        if token is None or token.kind not in (HTML, "close"):
            return CODE
        return HTML

    def removable(self, start: int, end: int) -> bool:
        """Whether cutting ``data[start:end]`` leaves the rest lexically intact."""
        if not self.reliable or start >= end:
            return False
        for boundary in (start, end):
            token = self.token_at(boundary)
            if token is not None and token.kind != HTML and token.start < boundary:
                return False
        mode = self.mode_at(start)
        if mode != self.mode_at(end) or not self._balanced(start, end):
            return False
        if mode == HTML:
            return True
        before = self._significant_before(start, 0)
        last = self._significant_before(end, start)
        return before in ("open", *_STATEMENT_ENDS) and last in (None, *_STATEMENT_ENDS)

    def inside_one_string(self, start: int, end: int) -> bool:
        """Whether ``start..end`` lies strictly within one string's content."""
        token = self.token_at(start)
        return (
            self.reliable
            and token is not None
            and token.kind in ("string", "heredoc")
            and token.start < start
            and end < token.end
            and self.data[start - 1 : start] != b"\\"
        )

    def block_at(self, offset: int) -> int | None:
        """The index of the PHP block holding ``offset``, if any."""
        for index, block in enumerate(self.blocks):
            if block.start <= offset < block.end:
                return index
        return None

    def _balanced(self, start: int, end: int) -> bool:
        low = bisect.bisect_left(self._bracket_offsets, start)
        high = bisect.bisect_left(self._bracket_offsets, end)
        depth = 0
        for _, delta in self.brackets[low:high]:
            depth += delta
            if depth < 0:
                return False
        return depth == 0

    def _significant_before(self, offset: int, floor: int) -> str | int | None:
        """The last code byte before ``offset`` (not below ``floor``).

        Whitespace and comments are skipped; a tag or string is named by
        its kind; ``None`` means nothing but whitespace and comments.
        """
        position = offset - 1
        while position >= floor:
            token = self.token_at(position)
            if token is not None and token.kind == "comment":
                position = token.start - 1
            elif token is not None:
                return token.kind
            elif self.data[position] in _WHITESPACE:
                position -= 1
            else:
                return self.data[position]
        return None

    def _lex(self) -> None:
        position, size = 0, len(self.data)
        while position < size:
            opening = _OPEN_TAG.search(self.data, position)
            html_end = opening.start() if opening else size
            if html_end > position:
                self.tokens.append(Token(position, html_end, HTML))
            if opening is None:
                return
            self.tokens.append(Token(opening.start(), opening.end(), "open"))
            position = self._lex_code(opening.end())
            self.blocks.append(Block(opening.start(), position))

    def _lex_code(self, position: int) -> int:
        data, size = self.data, len(self.data)
        while True:
            event = _CODE_EVENT.search(data, position)
            if event is None:
                return size
            start, text = event.start(), event.group()
            if text in _STRINGS:
                literal = _STRINGS[text].match(data, start)
                end = literal.end() if literal else self._give_up(size)
                self.tokens.append(Token(start, end, "string"))
            elif text in (b"//", b"#"):
                ends = [data.find(mark, start) for mark in (b"\n", b"?>")]
                end = min([found for found in ends if found >= 0], default=size)
                self.tokens.append(Token(start, end, "comment"))
            elif text == b"/*":
                found = data.find(b"*/", start + 2)
                end = found + 2 if found >= 0 else self._give_up(size)
                self.tokens.append(Token(start, end, "comment"))
            elif text == b"?>":
                self.tokens.append(Token(start, start + 2, "close"))
                return start + 2
            elif text == b"<<<":
                end = self._heredoc_end(start)
                self.tokens.append(Token(start, end, "heredoc"))
            else:
                self.brackets.append((start, 1 if text in b"([{" else -1))
                end = start + 1
            if end >= size:
                return size
            position = end

    def _heredoc_end(self, start: int) -> int:
        opening = _HEREDOC_START.match(self.data, start)
        if opening is None:
            return self._give_up(len(self.data))
        name = re.escape(opening.group(2))
        closing = re.compile(rb"^[ \t]*" + name + rb"(?![A-Za-z0-9_\x80-\xff])", re.M)
        found = closing.search(self.data, opening.end())
        return found.end() if found else self._give_up(len(self.data))

    def _give_up(self, size: int) -> int:
        self.reliable = False
        return size
