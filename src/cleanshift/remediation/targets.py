"""What a command points at, and the checks before anything touches it.

A command names files by the path the scan reported. Before a playbook acts
on one, the path must sit below one of the agent's web roots (folders
resolved, the last name not followed), so that a command can never move or
rewrite ``/etc/passwd``, and the file must still be the regular file the scan
saw.
"""

from __future__ import annotations

import hashlib
import logging
import os
import stat
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cleanshift.engine.paths import display_path, path_from_fields
from cleanshift.remediation.atomic import CHUNK_SIZE
from cleanshift.remediation.errors import PayloadError, RemediationError

logger = logging.getLogger(__name__)

WORDPRESS_MARKER = os.path.join(b"wp-includes", b"version.php")
# Files the clean and restore playbooks read whole; the scan reads no more.
MAX_EDIT_SIZE = 64 * 1024 * 1024


@dataclass(frozen=True)
class OpenedFile:
    """A regular file read once: its bytes, digest and what ``fstat`` said."""

    path: bytes
    data: bytes
    sha256: str
    info: os.stat_result


def threat_path(threat: Mapping[str, Any]) -> bytes:
    """The exact bytes of the threat's path (``raw_path`` wins over ``path``)."""
    path = threat.get("path")
    raw_path = threat.get("raw_path")
    if not isinstance(path, str) or not path:
        raise PayloadError("the threat names no file path; nothing to act on")
    if raw_path is not None and not isinstance(raw_path, str):
        raise PayloadError("the threat's raw_path is not base64 text")
    try:
        return path_from_fields(path, raw_path)
    except ValueError as error:
        raise PayloadError(
            f"the threat's raw_path is not valid base64: {error}"
        ) from error


def inside_web_roots(path: bytes, web_roots: Sequence[Path]) -> bytes:
    """``path`` with its folders resolved, if it lies below a web root.

    The last name is kept as it is (a link is acted on, not its target).
    Raises ``RemediationError`` otherwise.
    """
    shown = display_path(path)
    if not os.path.isabs(path):
        raise PayloadError(f"{shown} is not an absolute path")
    directory, name = os.path.split(path)
    if name in (b"", b".", b".."):
        raise PayloadError(f"{shown} does not name a file")
    resolved = os.path.join(os.path.realpath(directory), name)
    for root in web_roots:
        real_root = os.path.realpath(os.fsencode(root))
        if resolved.startswith(real_root.rstrip(b"/") + b"/"):
            return resolved
    raise RemediationError(
        f"{shown} is not below any of this agent's web roots; the agent only "
        "changes files in the sites it serves. Fix it by hand, or add its web "
        "root to the agent's configuration."
    )


def open_regular(path: bytes) -> OpenedFile:
    """Read a regular file whole, without following a link at its name."""
    shown = display_path(path)
    flags = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
    try:
        descriptor = os.open(path, flags)
    except OSError as error:
        raise RemediationError(f"cannot open {shown}: {error.strerror}") from error
    try:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode):
            raise RemediationError(f"{shown} is not a regular file; left alone")
        if info.st_size > MAX_EDIT_SIZE:
            raise RemediationError(
                f"{shown} is {info.st_size} bytes, more than the "
                f"{MAX_EDIT_SIZE} this playbook edits; quarantine it instead"
            )
        chunks = []
        while chunk := os.read(descriptor, CHUNK_SIZE):
            chunks.append(chunk)
    finally:
        os.close(descriptor)
    data = b"".join(chunks)
    return OpenedFile(path, data, hashlib.sha256(data).hexdigest(), info)


def digest_regular(path: bytes) -> str:
    """The sha256 of a regular file of any size, read without following a link."""
    flags = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
    try:
        descriptor = os.open(path, flags)
    except OSError as error:
        raise RemediationError(
            f"cannot open {display_path(path)}: {error.strerror}"
        ) from error
    try:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            raise RemediationError(f"{display_path(path)} is not a regular file")
        digest = hashlib.sha256()
        while chunk := os.read(descriptor, CHUNK_SIZE):
            digest.update(chunk)
    finally:
        os.close(descriptor)
    return digest.hexdigest()


def same_file(path: bytes, before: os.stat_result) -> bool:
    """Whether ``path`` is still the file ``before`` described, unmodified."""
    try:
        now = os.lstat(path)
    except FileNotFoundError:
        return False
    return (now.st_dev, now.st_ino, now.st_size, now.st_mtime_ns, now.st_ctime_ns) == (
        before.st_dev,
        before.st_ino,
        before.st_size,
        before.st_mtime_ns,
        before.st_ctime_ns,
    )


def find_wordpress_root(path: bytes, web_roots: Sequence[Path]) -> bytes | None:
    """The nearest folder above ``path`` holding ``wp-includes/version.php``."""
    roots = [os.path.realpath(os.fsencode(root)) for root in web_roots]
    directory = os.path.dirname(path)
    while True:
        if os.path.isfile(os.path.join(directory, WORDPRESS_MARKER)):
            return directory
        if directory in roots or os.path.dirname(directory) == directory:
            return None
        directory = os.path.dirname(directory)


def require_sha256(threat: Mapping[str, Any]) -> str:
    """The sha256 the scan recorded; without it a change cannot be detected."""
    digest = threat.get("sha256")
    if not isinstance(digest, str) or len(digest) != 64:
        raise PayloadError(
            "the threat carries no sha256 of what the scan saw, so the agent "
            "cannot tell whether the target changed since; scan again first"
        )
    return digest.lower()
