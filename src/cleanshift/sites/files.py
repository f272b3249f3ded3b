"""Reading a web root's files as an attacker might have left them.

Every file under a web root may be hostile: gigabytes long, a FIFO that
blocks the reader, a symbolic link to ``/etc/shadow``, or a name that is not
UTF-8. ``WebRootReader`` reads only regular files, only up to a bound, and
only when the file really sits below the web root.
"""

from __future__ import annotations

import errno
import logging
import os
import stat
from dataclasses import dataclass
from typing import Literal

logger = logging.getLogger(__name__)

# Listing more entries than this in one folder is an attack or a cache, not a
# plugin folder; the rest is left out and logged.
MAX_DIR_ENTRIES = 10_000
# O_NONBLOCK so that opening a FIFO returns at once instead of waiting for a
# writer; O_NOFOLLOW so that the file opened is the one whose path was checked.
_OPEN_FLAGS = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC
_READ_CHUNK = 64 * 1024

EntryKind = Literal["dir", "file", "other", "outside"]


class SiteFileError(Exception):
    """A file or folder under a web root that could not be read safely."""


@dataclass(frozen=True)
class Entry:
    """One name in a folder.

    ``kind`` is what the name leads to. A symbolic link that stays inside the
    web root has its target's kind and ``link`` set; one that leaves the web
    root (or dangles) is ``"outside"``.
    """

    name: bytes
    path: bytes
    kind: EntryKind
    link: bool = False


class WebRootReader:
    """Bounded reads below one web root that never leave it."""

    def __init__(self, root: bytes) -> None:
        self.root = os.path.realpath(root)
        self._prefix = self.root.rstrip(b"/") + b"/"

    def contains(self, path: bytes) -> bool:
        """Whether ``path``, links resolved, is the web root or below it."""
        real = os.path.realpath(path)
        return real == self.root or real.startswith(self._prefix)

    def is_file(self, path: bytes) -> bool:
        """A regular file, or a link standing where one is expected.

        A link counts even when it leads out of the web root: the site is
        still there, and ``read_head`` refuses the link when it is read, so
        the refusal is reported instead of the site going unseen.
        """
        try:
            mode = os.lstat(path).st_mode
        except (OSError, ValueError):
            return False
        return stat.S_ISREG(mode) or stat.S_ISLNK(mode)

    def is_dir(self, path: bytes) -> bool:
        """A folder inside the web root."""
        try:
            if not stat.S_ISDIR(os.stat(path).st_mode):
                return False
        except (OSError, ValueError):
            return False
        return self.contains(path)

    def read_head(self, path: bytes, limit: int) -> bytes | None:
        """Up to ``limit`` bytes from the start of a regular file.

        Returns None when there is no such file; raises ``SiteFileError`` when
        there is one that cannot be read safely.
        """
        real = os.path.realpath(path)
        if not (real == self.root or real.startswith(self._prefix)):
            if not os.path.lexists(path):
                return None
            raise SiteFileError("link leads out of the web root")
        try:
            descriptor = os.open(real, _OPEN_FLAGS)
        except (FileNotFoundError, NotADirectoryError):
            return None
        except OSError as error:
            raise SiteFileError(_describe(error)) from error
        try:
            if not stat.S_ISREG(os.fstat(descriptor).st_mode):
                raise SiteFileError("not a regular file")
            opened = _opened_path(descriptor)
            # A folder swapped for a link between the check and the open
            # shows up here, in what the kernel says was opened.
            if opened is not None and not (
                opened == self.root or opened.startswith(self._prefix)
            ):
                raise SiteFileError("link leads out of the web root")
            return read_up_to(descriptor, limit)
        except OSError as error:
            raise SiteFileError(_describe(error)) from error
        finally:
            os.close(descriptor)

    def list_dir(
        self, directory: bytes, *, follow_links: bool, limit: int = MAX_DIR_ENTRIES
    ) -> list[Entry]:
        """The entries of a folder, sorted by name.

        Without ``follow_links`` symbolic links are left out; with it, they
        are resolved and marked ``outside`` when they leave the web root.
        Raises ``SiteFileError`` when the folder cannot be listed.
        """
        if not self.contains(directory):
            raise SiteFileError("link leads out of the web root")
        entries: list[Entry] = []
        try:
            with os.scandir(directory) as listing:
                for item in listing:
                    if len(entries) >= limit:
                        logger.warning(
                            "%r has more than %d entries; the rest is ignored",
                            directory,
                            limit,
                        )
                        break
                    entry = self._entry(item, follow_links)
                    if entry is not None:
                        entries.append(entry)
        except OSError as error:
            raise SiteFileError(_describe(error)) from error
        return sorted(entries, key=lambda entry: entry.name)

    def _entry(self, item: os.DirEntry[bytes], follow_links: bool) -> Entry | None:
        try:
            if not item.is_symlink():
                return Entry(
                    item.name, item.path, _kind(item.stat(follow_symlinks=False))
                )
            if not follow_links:
                return None
            if not self.contains(item.path):
                return Entry(item.name, item.path, "outside", link=True)
            return Entry(item.name, item.path, _kind(os.stat(item.path)), link=True)
        except OSError:
            # A dangling link, or a name gone since the listing.
            return Entry(item.name, item.path, "outside", link=True)


def _kind(info: os.stat_result) -> EntryKind:
    if stat.S_ISDIR(info.st_mode):
        return "dir"
    if stat.S_ISREG(info.st_mode):
        return "file"
    return "other"


def read_up_to(descriptor: int, limit: int) -> bytes:
    """Up to ``limit`` bytes from an open file: less only at its end."""
    chunks: list[bytes] = []
    remaining = limit
    while remaining > 0:
        chunk = os.read(descriptor, min(remaining, _READ_CHUNK))
        if not chunk:
            break
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)


def _opened_path(descriptor: int) -> bytes | None:
    """Where the kernel says a descriptor points (Linux), else None."""
    try:
        return os.readlink(f"/proc/self/fd/{descriptor}".encode())
    except OSError:
        return None


def _describe(error: OSError) -> str:
    if error.errno == errno.ELOOP:
        return "is a symbolic link"
    return error.strerror or type(error).__name__
