"""Walking a hostile tree: every regular file once, every oddity reported.

Attackers control the trees we walk. Names are handled as bytes, symlinks
are not followed unless asked (and then never into a directory already on
the walk, found by device and inode), special files are never opened, and
whatever cannot be read is reported as skipped instead of raising.
"""

from __future__ import annotations

import logging
import operator
import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from typing import NamedTuple

from cleanshift.engine.findings import SkippedFile

logger = logging.getLogger(__name__)

DEFAULT_MAX_FILE_SIZE = 64 * 1024 * 1024


class FileEntry(NamedTuple):
    """A regular file to scan, with what identifies its content cheaply.

    A named tuple rather than a dataclass: a walk makes one per file, and
    a quick scan is mostly this walk.
    """

    path: bytes
    relative: bytes
    size: int
    device: int
    inode: int
    mtime_ns: int
    ctime_ns: int


WalkItem = FileEntry | SkippedFile


@dataclass(frozen=True)
class _Folder:
    """A folder the walk enters next."""

    path: bytes
    relative: bytes


def walk_tree(
    root: bytes,
    *,
    follow_symlinks: bool = False,
    max_file_size: int = DEFAULT_MAX_FILE_SIZE,
) -> Iterator[WalkItem]:
    """Yield each file under ``root`` as a ``FileEntry`` or ``SkippedFile``.

    Paths in the items are relative to ``root``. With ``follow_symlinks``
    false (the default) a symlink is reported as skipped, never opened; its
    target, when it lies inside the tree, is scanned at its own path.
    """
    try:
        root_stat = os.stat(root)
    except OSError as error:
        yield SkippedFile(os.path.basename(root), "unreadable", error.strerror or "")
        return

    if stat.S_ISREG(root_stat.st_mode):
        name = os.path.basename(root)
        yield _classify_file(root, name, root_stat, max_file_size)
        return

    visited = {(root_stat.st_dev, root_stat.st_ino)}
    yield from _walk_directory(root, visited, follow_symlinks, max_file_size)


def _walk_directory(
    root: bytes,
    visited: set[tuple[int, int]],
    follow_symlinks: bool,
    max_file_size: int,
) -> Iterator[WalkItem]:
    # Depth first in name order, with a stack of listings rather than
    # recursion: every file would otherwise pass up through one generator
    # per level of the tree.
    top = _list_directory(root, b"")
    if isinstance(top, SkippedFile):
        yield top
        return
    stack = [top]
    while stack:
        for directory_entry, relative in stack[-1]:
            item = _examine(
                directory_entry, relative, visited, follow_symlinks, max_file_size
            )
            if not isinstance(item, _Folder):
                yield item
                continue
            listing = _list_directory(item.path, item.relative)
            if isinstance(listing, SkippedFile):
                yield listing
                continue
            stack.append(listing)
            break
        else:
            stack.pop()


def _list_directory(
    directory: bytes, relative: bytes
) -> Iterator[tuple[os.DirEntry[bytes], bytes]] | SkippedFile:
    """The entries of a directory in name order, each with its relative path."""
    try:
        with os.scandir(directory) as listing:
            entries = sorted(listing, key=_by_name)
    except OSError as error:
        return SkippedFile(
            relative or b".", "unreadable-directory", error.strerror or ""
        )
    prefix = relative + b"/" if relative else b""
    return iter([(entry, prefix + entry.name) for entry in entries])


def _examine(
    entry: os.DirEntry[bytes],
    child: bytes,
    visited: set[tuple[int, int]],
    follow_symlinks: bool,
    max_file_size: int,
) -> WalkItem | _Folder:
    """A file or skip to report, or a folder to enter."""
    path = entry.path
    try:
        link_stat = entry.stat(follow_symlinks=False)
    except OSError as error:
        return SkippedFile(child, "unreadable", error.strerror or "")

    if stat.S_ISLNK(link_stat.st_mode):
        if not follow_symlinks:
            return SkippedFile(child, "symlink", _link_target(path))
        try:
            target_stat = os.stat(path)
        except OSError:
            return SkippedFile(child, "dangling-link", _link_target(path))
    else:
        target_stat = link_stat
        if stat.S_ISREG(link_stat.st_mode) and link_stat.st_size <= max_file_size:
            # The common case, without the checks below.
            return FileEntry(
                path,
                child,
                link_stat.st_size,
                link_stat.st_dev,
                link_stat.st_ino,
                link_stat.st_mtime_ns,
                link_stat.st_ctime_ns,
            )

    if stat.S_ISDIR(target_stat.st_mode):
        key = (target_stat.st_dev, target_stat.st_ino)
        if key in visited:
            return SkippedFile(child, "symlink-loop", _link_target(path))
        visited.add(key)
        return _Folder(path, child)
    return _classify_file(path, child, target_stat, max_file_size)


_by_name = operator.attrgetter("name")


def _classify_file(
    path: bytes, relative: bytes, file_stat: os.stat_result, max_file_size: int
) -> WalkItem:
    if not stat.S_ISREG(file_stat.st_mode):
        return SkippedFile(relative, "special-file", _file_kind(file_stat.st_mode))
    if file_stat.st_size > max_file_size:
        return SkippedFile(
            relative, "oversize", f"{file_stat.st_size} bytes > {max_file_size}"
        )
    return FileEntry(
        path=path,
        relative=relative,
        size=file_stat.st_size,
        device=file_stat.st_dev,
        inode=file_stat.st_ino,
        mtime_ns=file_stat.st_mtime_ns,
        ctime_ns=file_stat.st_ctime_ns,
    )


def _link_target(path: bytes) -> str:
    try:
        return "-> " + os.readlink(path).decode("utf-8", "backslashreplace")
    except OSError:
        return ""


def _file_kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "fifo"
    if stat.S_ISSOCK(mode):
        return "socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "device"
    return "unknown"
