"""How much a scan reads, and what it checks beyond the rules."""

from __future__ import annotations

from enum import StrEnum


class ScanMode(StrEnum):
    """How much a scan reads.

    ``quick``
        Reads files that changed since the last scan (by device, inode,
        size, mtime and ctime) and the places attackers write to (see
        ``cleanshift.engine.locations``); an unchanged file's cached result,
        finding included, is reported again without reading it.
    ``full``
        Reads every file and refreshes the cache.
    ``deep``
        A full scan that also compares files with the known-good releases
        they belong to (``integrity`` findings) and flags PHP files inside
        upload folders (``php_in_uploads``).

    Files whose hash a known-good release lists are never reported, in any
    mode. The cache keeps rule findings only, so a quick scan re-reports
    those; the deep-mode checks run in deep scans alone.
    """

    quick = "quick"
    full = "full"
    deep = "deep"

    @classmethod
    def parse(cls, value: object, default: ScanMode) -> ScanMode:
        """The mode named by ``value``, or ``default`` if it names none."""
        try:
            return cls(str(value))
        except ValueError:
            return default
