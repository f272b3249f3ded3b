"""Scanning one file: read it once, hash it, match the rules unless it is known.

This runs in the worker processes (and in the parent for small scans). Each
process holds one ``RuleScanner``; the parent sends it batches of paths and
gets back ``FileResult``s, so file contents never cross a process boundary.
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import logging
import os
import stat
from collections.abc import Sequence
from dataclasses import dataclass

import yara_x

from cleanshift.engine.findings import SEVERITY_ORDER, Finding, make_snippet
from cleanshift.engine.rules import RuleInfo, describe_rule, may_hold_php
from cleanshift.engine.unpack import unpack

logger = logging.getLogger(__name__)

SCAN_TIMEOUT_SECONDS = 30


@dataclass(frozen=True)
class FileResult:
    """What reading one file gave: its hash and at most one finding, or an error.

    ``known_good`` means the hash belongs to a known release, so the rules
    were not run on it. ``unchanged`` means the content hashed to what the
    caller expected (the cached hash), so the rules were not run on it
    either and the cached verdict stands.
    """

    relative: bytes
    size: int
    finding: Finding | None
    error: str | None = None
    sha256: str = ""
    known_good: bool = False
    unchanged: bool = False


@dataclass(frozen=True)
class WorkerSettings:
    """What every scanning process needs besides the rules."""

    known_good: frozenset[bytes] = frozenset()
    max_file_size: int = 64 * 1024 * 1024
    follow_symlinks: bool = False


class RuleScanner:
    """A yara-x scanner, the metadata of its rules, and the known-good hashes.

    With ``plain_rules`` (the rules that can match content holding no PHP,
    see ``cleanshift.engine.rules.PHP_ONLY_FILES``), content without a PHP
    tag or superglobal is matched against those alone.
    """

    def __init__(
        self,
        rules: yara_x.Rules,
        settings: WorkerSettings | None = None,
        plain_rules: yara_x.Rules | None = None,
    ) -> None:
        self.scanner = _yara_scanner(rules)
        self.plain_scanner = _yara_scanner(plain_rules) if plain_rules else None
        self.settings = settings or WorkerSettings()
        self.info: dict[str, RuleInfo] = {}

    def scan(self, path: bytes, relative: bytes, expected: str = "") -> FileResult:
        """Read, hash and (unless known good or as ``expected``) match one file."""
        try:
            data = self._read(path)
        except OSError as error:
            return FileResult(relative, 0, None, error.strerror or str(error))

        digest = hashlib.sha256(data).digest()
        if digest in self.settings.known_good:
            return FileResult(
                relative, len(data), None, sha256=digest.hex(), known_good=True
            )
        if expected and digest.hex() == expected:
            return FileResult(
                relative, len(data), None, sha256=expected, unchanged=True
            )

        scanner = self.scanner
        if self.plain_scanner is not None and not may_hold_php(data):
            scanner = self.plain_scanner
        name = os.path.basename(relative).decode("utf-8", "replace")
        ext = os.path.splitext(name)[1].lstrip(".").lower()
        scanner.set_global("file_name", name)
        scanner.set_global("file_ext", ext)
        scanner.set_global("rel_path", relative.decode("utf-8", "replace"))
        try:
            results = scanner.scan(data)
        except yara_x.TimeoutError:
            return FileResult(relative, len(data), None, "rule evaluation timed out")
        except yara_x.ScanError as error:
            return FileResult(relative, len(data), None, f"scan error: {error}")

        finding = None
        matched = list(results.matching_rules)
        if matched and all(self._describe(rule).packer for rule in matched):
            finding = self._judge_packed(relative, data, digest, matched)
        elif matched:
            finding = self._finding(relative, data, digest, matched)
        return FileResult(relative, len(data), finding, sha256=digest.hex())

    def _judge_packed(
        self,
        relative: bytes,
        data: bytes,
        digest: bytes,
        packer_rules: Sequence[yara_x.Rule],
    ) -> Finding | None:
        """The verdict on a file that only packer rules flagged.

        Encoded commercial extensions and packed malware share the wrapper;
        when it unpacks statically, the code inside decides. Code the rules
        find nothing in makes the file clean; a wrapper that does not unpack
        stays flagged.
        """
        outer = self._finding(relative, data, digest, packer_rules)
        unpacked = unpack(data)
        if unpacked is None:
            return outer
        for payload in unpacked.payloads:
            try:
                inner = list(self.scanner.scan(b"<?php " + payload).matching_rules)
            except (yara_x.TimeoutError, yara_x.ScanError):
                return outer
            if inner:
                found = self._finding(relative, payload, digest, inner)
                return dataclasses.replace(
                    found,
                    title=f"{found.title} (in code packed {unpacked.layers} "
                    "layer(s) deep)",
                    line=outer.line,
                    offset=outer.offset,
                    snippet=outer.snippet,
                    matched_rules=outer.matched_rules + found.matched_rules,
                )
        logger.debug(
            "%r unpacks (%d layers) to code no rule flags", relative, unpacked.layers
        )
        return None

    def _read(self, path: bytes) -> bytes:
        # The walk saw a regular file, but the tree is the attacker's: by now
        # it may be a FIFO (an open without O_NONBLOCK would hang the worker),
        # a link to a secret, or grown past the size limit.
        flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
        if not self.settings.follow_symlinks:
            flags |= os.O_NOFOLLOW
        limit = self.settings.max_file_size
        descriptor = os.open(path, flags)
        with open(descriptor, "rb", buffering=0) as handle:
            info = os.fstat(descriptor)
            if not stat.S_ISREG(info.st_mode):
                raise OSError(0, "no longer a regular file")
            # Asking for the size limit would allocate that much for every
            # file, so ask for what fstat saw and read on only if it grew.
            data = handle.read(min(info.st_size, limit) + 1) or b""
            if len(data) > info.st_size:
                data += handle.read(limit + 1 - len(data)) or b""
            if len(data) > limit:
                raise OSError(0, f"grew past the size limit ({limit} bytes)")
            return data

    def _finding(
        self,
        relative: bytes,
        data: bytes,
        digest: bytes,
        matched: Sequence[yara_x.Rule],
    ) -> Finding:
        described = [(self._describe(rule), rule) for rule in matched]
        described.sort(key=lambda pair: SEVERITY_ORDER[pair[0].severity])
        info, rule = described[0]
        offset, length = _first_match(rule)
        line = data.count(b"\n", 0, offset) + 1 if offset is not None else None
        return Finding(
            path=relative,
            rule=info.name,
            severity=info.severity,
            type=info.threat_type,
            family=info.family,
            title=info.description,
            sha256=digest.hex(),
            line=line,
            offset=offset,
            snippet=_snippet(data, offset, length),
            matched_rules=tuple(pair[0].name for pair in described),
        )

    def _describe(self, rule: yara_x.Rule) -> RuleInfo:
        key = f"{rule.namespace}.{rule.identifier}"
        if key not in self.info:
            self.info[key] = describe_rule(rule)
        return self.info[key]


def _yara_scanner(rules: yara_x.Rules) -> yara_x.Scanner:
    scanner = yara_x.Scanner(rules)
    scanner.set_timeout(SCAN_TIMEOUT_SECONDS)
    # A finding reports one offset per rule, so the scanner need not record
    # every occurrence of a pattern; conditions are unaffected.
    scanner.fast_scan(True)
    return scanner


def _first_match(rule: yara_x.Rule) -> tuple[int | None, int]:
    matches = [match for pattern in rule.patterns for match in pattern.matches]
    if not matches:
        return None, 0
    first = min(matches, key=lambda match: match.offset)
    return first.offset, first.length


def _snippet(data: bytes, offset: int | None, length: int) -> str:
    return "" if offset is None else make_snippet(data, offset, length)


_worker: RuleScanner | None = None


def init_worker(
    serialized_rules: bytes, settings: WorkerSettings, serialized_plain: bytes = b""
) -> None:
    """Pool initializer: load the rules the parent compiled and serialised."""
    global _worker
    rules = yara_x.Rules.deserialize_from(io.BytesIO(serialized_rules))
    plain = None
    if serialized_plain:
        plain = yara_x.Rules.deserialize_from(io.BytesIO(serialized_plain))
    _worker = RuleScanner(rules, settings, plain)


def scan_batch(batch: list[tuple[bytes, bytes, str]]) -> list[FileResult]:
    """Pool task: scan each ``(path, relative, expected sha256)`` of a batch."""
    assert _worker is not None, "worker started without rules"
    return [_worker.scan(*job) for job in batch]
