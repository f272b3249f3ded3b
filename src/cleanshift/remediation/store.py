"""The quarantine store: bytes taken from sites, and where they came from.

Each remediation has a folder named after its id below the store's root;
in it every kept file is a ``<label>.blob`` with a ``<label>.json`` record
beside it. The record is written only once the blob is complete and on
disk, so a record always describes a whole file: a blob without a record
is the remnant of an interrupted run and counts for nothing. The root and
its folders are 0700 and every file 0600, and the root must lie outside
every web root, so nothing kept here can be served or run.
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import json
import logging
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cleanshift.engine.paths import display_path
from cleanshift.remediation.atomic import (
    CHUNK_SIZE,
    FileMeta,
    fsync_directory,
    write_atomic,
)
from cleanshift.remediation.errors import PayloadError, RemediationError

logger = logging.getLogger(__name__)

RECORD_FORMAT = "cleanshift-quarantine/1"
_SAFE_NAME = re.compile(r"^[A-Za-z0-9_-]{1,128}$")


@dataclass(frozen=True)
class StoredFile:
    """A kept file: its record, and where its bytes are."""

    record: dict[str, Any]
    blob: bytes

    @property
    def original_path(self) -> bytes:
        """The exact bytes of the path the file was taken from."""
        return base64.b64decode(self.record["raw_path"])

    @property
    def sha256(self) -> str:
        """The digest of the kept bytes."""
        return str(self.record["sha256"])

    @property
    def meta(self) -> FileMeta:
        """Owner, mode and times the file had at its original path."""
        return FileMeta.from_json(self.record["meta"])


class QuarantineStore:
    """Files kept so that a remediation can be undone."""

    def __init__(self, root: Path, web_roots: Sequence[Path] = ()) -> None:
        self.root = root
        self.web_roots = web_roots

    def ensure(self) -> None:
        """Create the root (0700), refusing one that a web root contains."""
        real = os.path.realpath(self.root)
        for web_root in self.web_roots:
            prefix = os.path.realpath(web_root).rstrip("/") + "/"
            if real.startswith(prefix) or real + "/" == prefix:
                raise RemediationError(
                    f"the quarantine store {self.root} is inside the web root "
                    f"{web_root}, where its files could be served; give the "
                    "agent a state folder outside the web roots"
                )
        self.root.mkdir(mode=0o700, parents=True, exist_ok=True)
        os.chmod(self.root, 0o700)

    def entry_dir(self, remediation_id: str) -> bytes:
        """The folder that holds one remediation's files (created 0700)."""
        self.ensure()
        folder = os.path.join(os.fsencode(self.root), _safe(remediation_id).encode())
        if not os.path.isdir(folder):
            os.mkdir(folder, 0o700)
            fsync_directory(os.fsencode(self.root))
        return folder

    def save(
        self,
        remediation_id: str,
        label: str,
        chunks: Iterable[bytes],
        *,
        original_path: bytes,
        meta: FileMeta,
        expected_sha256: str | None = None,
        extra: dict[str, Any] | None = None,
    ) -> StoredFile:
        """Keep ``chunks`` and write their record; returns the stored file.

        With ``expected_sha256``, bytes with another digest are not kept:
        ``DigestMismatchError`` is raised and no record is written.
        """
        folder = self.entry_dir(remediation_id)
        blob = os.path.join(folder, _safe(label).encode() + b".blob")
        digest = write_atomic(blob, chunks, mode=0o600, expected_sha256=expected_sha256)
        record = {
            "format": RECORD_FORMAT,
            "remediation_id": remediation_id,
            "label": label,
            "path": display_path(original_path),
            "raw_path": base64.b64encode(original_path).decode("ascii"),
            "sha256": digest,
            "size": os.path.getsize(blob),
            "meta": meta.to_json(),
            "stored_at": datetime.datetime.now(datetime.UTC).isoformat(),
            **(extra or {}),
        }
        self.write_record(remediation_id, label, record)
        logger.debug("kept %r as %s/%s", original_path, remediation_id, label)
        return StoredFile(record, blob)

    def write_record(
        self, remediation_id: str, label: str, record: dict[str, Any]
    ) -> None:
        """Write (or rewrite) a record, atomically."""
        folder = self.entry_dir(remediation_id)
        path = os.path.join(folder, _safe(label).encode() + b".json")
        text = json.dumps(record, indent=1, sort_keys=True) + "\n"
        write_atomic(path, [text.encode("utf-8")], mode=0o600)

    def discard(self, remediation_id: str, label: str) -> None:
        """Forget a kept file: its record first, so no record outlives its bytes."""
        folder = os.path.join(os.fsencode(self.root), _safe(remediation_id).encode())
        for suffix in (b".json", b".blob"):
            try:
                os.unlink(os.path.join(folder, _safe(label).encode() + suffix))
            except FileNotFoundError:
                continue
        fsync_directory(folder)

    def load(self, remediation_id: str, label: str) -> StoredFile | None:
        """A complete kept file, or ``None`` if there is no record of it."""
        folder = os.path.join(os.fsencode(self.root), _safe(remediation_id).encode())
        record_path = os.path.join(folder, _safe(label).encode() + b".json")
        blob = os.path.join(folder, _safe(label).encode() + b".blob")
        try:
            with open(record_path, "rb") as handle:
                record = json.loads(handle.read())
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as error:
            raise RemediationError(
                f"the quarantine record {remediation_id}/{label} is unreadable "
                f"({error}); its file is kept at {display_path(blob)}"
            ) from error
        if not isinstance(record, dict) or record.get("format") != RECORD_FORMAT:
            raise RemediationError(
                f"{display_path(record_path)} is not a quarantine record"
            )
        return StoredFile(record, blob)

    def read_verified(self, stored: StoredFile) -> bytes:
        """The kept bytes, after checking they still have their digest."""
        try:
            with open(stored.blob, "rb") as handle:
                data = handle.read()
        except OSError as error:
            raise RemediationError(
                f"the kept copy {display_path(stored.blob)} is unreadable: {error}"
            ) from error
        if hashlib.sha256(data).hexdigest() != stored.sha256:
            raise RemediationError(
                f"the kept copy {display_path(stored.blob)} no longer has the "
                "digest recorded when it was stored; it was damaged or altered, "
                "so it is not put back. Restore the file from a backup."
            )
        return data

    def iter_chunks(self, stored: StoredFile) -> Iterable[bytes]:
        """The kept bytes in chunks; pass ``stored.sha256`` to the writer.

        The digest is not checked here: ``write_atomic(expected_sha256=...)``
        checks it before anything reaches the target.
        """
        try:
            handle = open(stored.blob, "rb")  # noqa: SIM115 - closed below
        except OSError as error:
            raise RemediationError(
                f"the kept copy {display_path(stored.blob)} is unreadable: {error}"
            ) from error
        with handle:
            while chunk := handle.read(CHUNK_SIZE):
                yield chunk


def _safe(name: str) -> str:
    if not _SAFE_NAME.match(name):
        raise PayloadError(f"{name!r} is not a valid remediation id or label")
    return name
