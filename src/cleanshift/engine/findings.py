"""What a scan reports: findings on files and files it had to skip."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Any

from cleanshift.engine.paths import display_path, raw_path_field

SEVERITY_ORDER = {"critical": 0, "high": 1, "medium": 2, "low": 3}
SNIPPET_CONTEXT = 40
SNIPPET_MAX = 160
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def make_snippet(data: bytes, offset: int, length: int) -> str:
    """A short, single-line excerpt around ``data[offset:offset+length]``.

    Binary around a match would bring NUL and other control characters;
    they are shown as ``\\xNN``, so that no store or terminal gets them raw.
    """
    start = max(0, offset - SNIPPET_CONTEXT)
    end = min(len(data), offset + min(length, SNIPPET_MAX) + SNIPPET_CONTEXT)
    text = " ".join(data[start:end].decode("utf-8", "replace").split())
    return _CONTROL.sub(_escape_control, text)[:SNIPPET_MAX]


def _escape_control(match: re.Match[str]) -> str:
    return f"\\x{ord(match.group()):02x}"


@dataclass(frozen=True)
class Finding:
    """One problem in one file: the most severe rule that matched it."""

    path: bytes
    rule: str
    severity: str
    type: str
    family: str
    title: str
    sha256: str
    line: int | None = None
    offset: int | None = None
    snippet: str = ""
    matched_rules: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """The JSON form; ``path`` is relative to the scanned root."""
        data = asdict(self)
        data["path"] = display_path(self.path)
        data["raw_path"] = raw_path_field(self.path)
        data["matched_rules"] = list(self.matched_rules)
        return data


@dataclass(frozen=True)
class SkippedFile:
    """A file the scan did not read, and why, so nothing drops silently."""

    path: bytes
    reason: str
    detail: str = ""

    def to_dict(self) -> dict[str, Any]:
        """The JSON form, with the same path fields as a finding."""
        return {
            "path": display_path(self.path),
            "raw_path": raw_path_field(self.path),
            "reason": self.reason,
            "detail": self.detail,
        }


@dataclass
class ScanReport:
    """Everything one scan of one tree found."""

    root: bytes
    mode: str = "full"
    findings: list[Finding] = field(default_factory=list)
    skipped: list[SkippedFile] = field(default_factory=list)
    files_total: int = 0
    files_scanned: int = 0
    bytes_scanned: int = 0
    # Unchanged files whose cached result was reported without reading them.
    files_cached: int = 0
    # Files read and hashed but not matched: their hash is a known release's.
    files_known_good: int = 0
    duration: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        """The JSON form of the whole report."""
        return {
            "root": display_path(self.root),
            "mode": self.mode,
            "files_total": self.files_total,
            "files_scanned": self.files_scanned,
            "files_cached": self.files_cached,
            "files_known_good": self.files_known_good,
            "files_skipped": len(self.skipped),
            "bytes_scanned": self.bytes_scanned,
            "duration": round(self.duration, 3),
            "findings": [finding.to_dict() for finding in self.sorted_findings()],
            "skipped": [skipped.to_dict() for skipped in self.skipped],
        }

    def sorted_findings(self) -> list[Finding]:
        """Findings with the most severe first, then by path."""
        return sorted(
            self.findings,
            key=lambda finding: (SEVERITY_ORDER[finding.severity], finding.path),
        )
