"""Walking a hostile tree: every regular file once, every oddity reported.

Attackers control the trees we walk. Names are handled as bytes, symlinks
are not followed unless asked (and then never into a directory already on
the walk, found by device and inode), special files are never opened, and
whatever cannot be read is reported as skipped instead of raising.
"""

from __future__ import annotations

import logging
import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass

from cleanshift.engine.findings import SkippedFile

logger = logging.getLogger(__name__)

DEFAULT_MAX_FILE_SIZE = 64 * 1024 * 1024


@dataclass(frozen=True)
class FileEntry:
    """A regular file to scan, with what identifies its content cheaply."""

    path: bytes
    relative: bytes
    size: int
    device: int
    inode: int
    mtime_ns: int
    ctime_ns: int


WalkItem = FileEntry | SkippedFile


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
    yield from _walk_directory(root, b"", visited, follow_symlinks, max_file_size)


def _walk_directory(
    directory: bytes,
    relative: bytes,
    visited: set[tuple[int, int]],
    follow_symlinks: bool,
    max_file_size: int,
) -> Iterator[WalkItem]:
    try:
        with os.scandir(directory) as listing:
            entries = sorted(listing, key=lambda entry: entry.name)
    except OSError as error:
        yield SkippedFile(
            relative or b".", "unreadable-directory", error.strerror or ""
        )
        return

    for entry in entries:
        path = entry.path
        child = os.path.join(relative, entry.name) if relative else entry.name
        try:
            link_stat = entry.stat(follow_symlinks=False)
        except OSError as error:
            yield SkippedFile(child, "unreadable", error.strerror or "")
            continue

        if stat.S_ISLNK(link_stat.st_mode):
            if not follow_symlinks:
                yield SkippedFile(child, "symlink", _link_target(path))
                continue
            try:
                target_stat = os.stat(path)
            except OSError:
                yield SkippedFile(child, "dangling-link", _link_target(path))
                continue
        else:
            target_stat = link_stat

        if stat.S_ISDIR(target_stat.st_mode):
            key = (target_stat.st_dev, target_stat.st_ino)
            if key in visited:
                yield SkippedFile(child, "symlink-loop", _link_target(path))
                continue
            visited.add(key)
            yield from _walk_directory(
                path, child, visited, follow_symlinks, max_file_size
            )
            continue

        yield _classify_file(path, child, target_stat, max_file_size)


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
