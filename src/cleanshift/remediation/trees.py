"""Copying and swapping whole folders (a plugin before an update).

A folder cannot be replaced in one atomic step as a file can. A copy is
made complete and flushed before it counts (its record is written last),
and a swap renames the old folder aside before renaming the new one in, so
a crash between the two renames leaves both folders whole beside the
target's name, never a half-copied one in its place.
"""

from __future__ import annotations

import logging
import os
import shutil

from cleanshift.remediation.atomic import fsync_directory

logger = logging.getLogger(__name__)


def copy_tree(source: bytes, target: bytes) -> int:
    """Copy a folder with modes, times and (as root) owners; returns files copied.

    Links are copied as links; folders keep their times because copytree
    sets them after filling each one. Everything is on disk on return.
    """
    shutil.copytree(
        os.fsdecode(source),
        os.fsdecode(target),
        symlinks=True,
        copy_function=shutil.copy2,
    )
    copied = 0
    as_root = os.geteuid() == 0
    for directory, folders, files in os.walk(source):
        relative = os.path.relpath(directory, source)
        for name in [*folders, *files]:
            original = os.path.join(directory, name)
            copy = os.path.normpath(os.path.join(target, relative, name))
            info = os.lstat(original)
            if as_root:
                os.lchown(copy, info.st_uid, info.st_gid)
            copied += name in files
    if as_root:
        info = os.lstat(source)
        os.lchown(target, info.st_uid, info.st_gid)
    # One sync flushes every file of the copy; fsyncing each would cost a
    # round trip per file for the same guarantee.
    os.sync()
    return copied


def swap_in(replacement: bytes, target: bytes, aside: bytes) -> None:
    """Put ``replacement`` at ``target``; the old ``target`` goes to ``aside``."""
    parent = os.path.dirname(target)
    if os.path.lexists(target):
        os.rename(target, aside)
    os.rename(replacement, target)
    fsync_directory(parent)


def remove_tree(path: bytes) -> None:
    """Delete a folder this package made; problems are logged, not raised."""
    try:
        shutil.rmtree(os.fsdecode(path))
    except OSError as error:
        logger.warning("could not remove %r: %s", path, error)
