"""Crash-safe file writes: a crash leaves the old file or the new one, never half.

Every write goes to a temporary file in the target's own folder, which is
flushed to disk before it is renamed over the target (or linked to the
target's name when nothing may be overwritten); the folder is then flushed
too, so the rename itself survives a power cut. Names are bytes throughout:
a site's file names need not be UTF-8.
"""

from __future__ import annotations

import errno
import hashlib
import logging
import os
import secrets
import stat
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from cleanshift.engine.paths import display_path
from cleanshift.remediation.errors import DigestMismatchError

logger = logging.getLogger(__name__)

CHUNK_SIZE = 1024 * 1024
# Temporary files carry this marker so that a later run can recognise, and
# remove, what a crash left behind.
TEMP_MARKER = b".cleanshift-"
TEMP_SUFFIX = b".tmp"


@dataclass(frozen=True)
class FileMeta:
    """What a file's bytes do not say: permissions, owner and timestamps."""

    mode: int
    uid: int
    gid: int
    atime_ns: int
    mtime_ns: int

    @classmethod
    def from_stat(cls, info: os.stat_result) -> FileMeta:
        """The metadata of a ``stat`` result."""
        return cls(
            mode=stat.S_IMODE(info.st_mode),
            uid=info.st_uid,
            gid=info.st_gid,
            atime_ns=info.st_atime_ns,
            mtime_ns=info.st_mtime_ns,
        )

    def to_json(self) -> dict[str, int]:
        """The JSON form, as undo records carry it."""
        return {
            "mode": self.mode,
            "uid": self.uid,
            "gid": self.gid,
            "atime_ns": self.atime_ns,
            "mtime_ns": self.mtime_ns,
        }

    @classmethod
    def from_json(cls, data: Any) -> FileMeta:
        """Read the JSON form; ``ValueError`` if a field is missing or odd."""
        if not isinstance(data, dict):
            raise ValueError("file metadata is not an object")
        values = {}
        for name in ("mode", "uid", "gid", "atime_ns", "mtime_ns"):
            value = data.get(name)
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                raise ValueError(f"file metadata lacks a valid {name}")
            values[name] = value
        return cls(**values)


def fsync_directory(directory: bytes) -> None:
    """Flush a folder's entries, so renames and unlinks in it are durable."""
    descriptor = os.open(directory or b".", os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def write_atomic(
    path: bytes,
    chunks: Iterable[bytes],
    *,
    meta: FileMeta | None = None,
    mode: int = 0o600,
    replace: bool = True,
    expected_sha256: str | None = None,
) -> str:
    """Write ``chunks`` to ``path`` in one step; returns the sha256 written.

    With ``meta``, the new file gets that owner, mode and timestamps;
    otherwise ``mode`` and the current time. With ``replace=False`` an
    existing file is never overwritten: ``FileExistsError`` is raised and
    nothing changes. With ``expected_sha256``, bytes with another digest
    never reach ``path``: ``DigestMismatchError`` is raised instead.
    """
    directory, name = os.path.split(path)
    remove_stale_temps(path)
    temp = os.path.join(
        directory,
        b"." + name + TEMP_MARKER + secrets.token_hex(6).encode() + TEMP_SUFFIX,
    )
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
    descriptor = os.open(temp, flags, 0o600)
    try:
        digest = hashlib.sha256()
        with open(descriptor, "wb", closefd=False) as handle:
            for chunk in chunks:
                digest.update(chunk)
                handle.write(chunk)
        found = digest.hexdigest()
        if expected_sha256 is not None and found != expected_sha256:
            raise DigestMismatchError(
                f"the bytes for {display_path(path)} have sha256 {found}, "
                f"not the expected {expected_sha256}",
                expected_sha256,
                found,
            )
        apply_meta(descriptor, meta, mode)
        os.fsync(descriptor)
        os.close(descriptor)
        descriptor = -1
        if replace:
            os.replace(temp, path)
        else:
            # link() fails if the name exists, where rename() would overwrite.
            os.link(temp, path, follow_symlinks=False)
            os.unlink(temp)
    except BaseException:
        if descriptor >= 0:
            os.close(descriptor)
        _unlink_quietly(temp)
        raise
    fsync_directory(directory)
    return found


def apply_meta(descriptor: int, meta: FileMeta | None, mode: int) -> None:
    """Give an open file the owner, mode and times of ``meta`` (or ``mode``)."""
    if meta is None:
        os.fchmod(descriptor, mode)
        return
    current = os.fstat(descriptor)
    if (current.st_uid, current.st_gid) != (meta.uid, meta.gid):
        # Changing the owner clears set-id bits, so the mode comes after.
        os.fchown(descriptor, meta.uid, meta.gid)
    os.fchmod(descriptor, meta.mode)
    os.utime(descriptor, ns=(meta.atime_ns, meta.mtime_ns))


def read_chunks(descriptor: int) -> Iterable[bytes]:
    """The rest of an open file, a chunk at a time."""
    while True:
        chunk = os.read(descriptor, CHUNK_SIZE)
        if not chunk:
            return
        yield chunk


def remove_stale_temps(path: bytes) -> None:
    """Remove temporary files an interrupted write of ``path`` left behind."""
    directory, name = os.path.split(path)
    prefix = b"." + name + TEMP_MARKER
    try:
        names = os.listdir(directory or b".")
    except OSError:
        return
    for entry in names:
        if entry.startswith(prefix) and entry.endswith(TEMP_SUFFIX):
            logger.debug("removing %r left by an interrupted write", entry)
            _unlink_quietly(os.path.join(directory, entry))


def _unlink_quietly(path: bytes) -> None:
    try:
        os.unlink(path)
    except OSError as error:
        if error.errno != errno.ENOENT:
            logger.warning("cannot remove temporary file %r: %s", path, error)
