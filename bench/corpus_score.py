"""Score the shipped YARA rules against the shared corpus of real samples.

Run from the repository root::

    .venv/bin/python bench/corpus_score.py [--corpus DIR] [--wordpress DIR]
                                           [--verbose]

Every file under ``<corpus>/malicious/<set>`` should be flagged if it can carry
code (see ``can_carry_code``); no file of ``<corpus>/clean/contact-form-7`` or
of the WordPress core tree may be flagged, and at most 10% of
``<corpus>/clean/gwillem-whitelisted``. Exit status: 0 when every target is
met, 1 otherwise, 2 when a corpus folder is missing.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from cleanshift.engine.rules import default_plain_rules, default_rules  # noqa: E402
from cleanshift.engine.worker import RuleScanner  # noqa: E402

DEFAULT_CORPUS = Path("/work/shared/corpus")
DEFAULT_WORDPRESS = ROOT / ".cache" / "wordpress" / "usr" / "share" / "wordpress"

MIN_RECALL = 95.0
# Clean set name -> the largest share of its files that may be flagged.
MAX_FLAGGED = {"wordpress": 0.0, "contact-form-7": 0.0, "gwillem-whitelisted": 10.0}

# Leading bytes of formats that are binary containers, not script text.
BINARY_MAGIC = (
    b"PK\x03\x04",  # zip, jar, docx
    b"PK\x05\x06",  # empty zip
    b"\x1f\x8b",  # gzip
    b"BZh",  # bzip2
    b"\xfd7zXZ\x00",  # xz
    b"7z\xbc\xaf\x27\x1c",  # 7-zip
    b"Rar!\x1a\x07",  # rar
    b"\x89PNG\r\n\x1a\n",
    b"\xff\xd8\xff",  # jpeg
    b"GIF87a",
    b"GIF89a",
    b"RIFF",  # webp, wav, avi
    b"\x00\x00\x01\x00",  # ico
    b"%PDF-",
    b"\x7fELF",
    b"MZ",  # windows executables
    b"wOFF",
    b"wOF2",
)
# What counts as script text inside a binary: a PHP opening tag or an HTML
# script tag followed by at least eight printable ASCII characters. A bare
# "<?" is not enough: it occurs by chance in compressed image data.
SCRIPT_TEXT = re.compile(
    rb"(?:<\?php[\s(]|<\?=|<\?[ \t\r\n]|<script[\s>])[\t\n\r\x20-\x7e]{8}",
    re.IGNORECASE,
)
# Control bytes other than tab, newline, vertical tab, form feed, carriage
# return and escape; text files have (almost) none.
CONTROL_BYTES = bytes(set(range(32)) - {9, 10, 11, 12, 13, 27})


def can_carry_code(data: bytes) -> bool:
    """Tell whether a file can carry code that a web server would run.

    The exact criterion: a file carries code unless it is binary and holds no
    script text. It is binary when it starts with the magic bytes of an
    archive, image, font, PDF or executable format (``BINARY_MAGIC``), holds
    a NUL byte, or more than 10% of its first 64 KiB are control bytes other
    than whitespace and escape. Script text is ``<?php`` followed by
    whitespace or ``(``, ``<?=``, ``<?`` followed by a space, tab or line
    break, or ``<script`` followed by whitespace or ``>`` (tags matched
    case-insensitively), the tag then followed by at least eight printable
    ASCII characters (space, tab and line breaks included). So every text
    file counts, whatever its extension; an image or archive counts only if
    PHP or a script tag is readable inside it.
    """
    head = data[:65536]
    binary = (
        data.startswith(BINARY_MAGIC)
        or b"\x00" in data
        or (len(head) > 0 and sum(map(head.count, CONTROL_BYTES)) > len(head) // 10)
    )
    return not binary or SCRIPT_TEXT.search(data) is not None


@dataclass
class SetScore:
    """How the rules fared on one folder of samples."""

    name: str
    malicious: bool
    files: int = 0
    flagged: int = 0
    # Malicious sets: the files that carry code and were missed.
    # Clean sets: the flagged files with the rules that fired.
    details: list[tuple[str, list[str]]] = field(default_factory=list)

    @property
    def percent(self) -> float:
        return 100.0 * self.flagged / self.files if self.files else 0.0


def iter_files(root: Path) -> list[Path]:
    """Regular files under root, in a stable order; symlinks are skipped."""
    return sorted(p for p in root.rglob("*") if p.is_file() and not p.is_symlink())


def scan_file(scanner: RuleScanner, path: Path, root: Path) -> list[str]:
    """The rules behind the engine's finding on one file, none if it is clean.

    The engine's own per-file scan, so that what is scored is what ships:
    the globals it sets, and packed files judged by the code they unpack to.
    """
    relative = os.fsencode(path.relative_to(root))
    result = scanner.scan(os.fsencode(path), relative)
    return list(result.finding.matched_rules) if result.finding else []


def score_set(scanner: RuleScanner, name: str, root: Path, malicious: bool) -> SetScore:
    """Scan every file of one sample folder and count what was flagged."""
    score = SetScore(name=name, malicious=malicious)
    for path in iter_files(root):
        data = path.read_bytes()
        if malicious and not can_carry_code(data):
            continue
        score.files += 1
        matches = scan_file(scanner, path, root)
        if matches:
            score.flagged += 1
        rel = path.relative_to(root).as_posix()
        if malicious and not matches:
            score.details.append((rel, []))
        elif not malicious and matches:
            score.details.append((rel, matches))
    return score


def print_table(scores: list[SetScore]) -> None:
    """The score table: one row per sample folder, then overall recall."""
    print(f"{'set':<28} {'kind':<9} {'files':>6} {'flagged':>8} {'%':>7}")
    for score in scores:
        kind = "malicious" if score.malicious else "clean"
        print(
            f"{score.name:<28} {kind:<9} {score.files:>6} "
            f"{score.flagged:>8} {score.percent:>6.1f}%"
        )
    malicious = [s for s in scores if s.malicious]
    files = sum(s.files for s in malicious)
    flagged = sum(s.flagged for s in malicious)
    recall = 100.0 * flagged / files if files else 0.0
    print(f"{'overall malicious recall':<38} {files:>6} {flagged:>8} {recall:>6.1f}%")


def print_details(scores: list[SetScore]) -> None:
    """The missed malicious files and the flagged clean ones."""
    for score in scores:
        if not score.details:
            continue
        title = "missed" if score.malicious else "flagged"
        print(f"\n{title} in {score.name}:")
        for rel, matches in score.details:
            print(f"  {rel}" + (f"  [{', '.join(matches)}]" if matches else ""))


def targets_met(scores: list[SetScore]) -> bool:
    """Whether recall and every clean set's false-positive ceiling are met."""
    malicious = [s for s in scores if s.malicious]
    files = sum(s.files for s in malicious)
    flagged = sum(s.flagged for s in malicious)
    ok = files > 0 and 100.0 * flagged / files >= MIN_RECALL
    for score in scores:
        if not score.malicious:
            ok = ok and score.percent <= MAX_FLAGGED.get(score.name, 0.0)
    return ok


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--wordpress", type=Path, default=DEFAULT_WORDPRESS)
    parser.add_argument("--verbose", action="store_true")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    folders: list[tuple[str, Path, bool]] = []
    for kind, malicious in (("malicious", True), ("clean", False)):
        base = args.corpus / kind
        if not base.is_dir():
            print(f"missing corpus folder {base}", file=sys.stderr)
            return 2
        folders += [
            (d.name, d, malicious) for d in sorted(base.iterdir()) if d.is_dir()
        ]
    if not args.wordpress.is_dir():
        print(f"missing WordPress tree {args.wordpress}", file=sys.stderr)
        return 2
    folders.append(("wordpress", args.wordpress, False))

    scanner = RuleScanner(default_rules(), plain_rules=default_plain_rules())
    scores = []
    for name, root, malicious in folders:
        started = time.perf_counter()
        scores.append(score_set(scanner, name, root, malicious))
        if args.verbose:
            elapsed = time.perf_counter() - started
            print(f"scanned {name} in {elapsed:.2f}s", file=sys.stderr)

    print_table(scores)
    if args.verbose:
        print_details(scores)
    return 0 if targets_met(scores) else 1


if __name__ == "__main__":
    sys.exit(main())
