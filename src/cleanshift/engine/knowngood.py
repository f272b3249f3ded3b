"""Known-good files: manifests of pristine releases and the store that holds them.

A manifest records the sha256 of every file of one release (WordPress core
6.1.9, a plugin at one version), keyed by its path inside the release. The
store is a folder of such manifests. A scanned file whose hash is in any of
them is not run through the rules; a deep scan also compares the files of a
site with the manifest of the release the site runs (``integrity``).

Build manifests only from release archives you trust: whatever a manifest
lists is never reported as malware.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from cleanshift.engine.walker import FileEntry, walk_tree

logger = logging.getLogger(__name__)

MANIFEST_FORMAT = "cleanshift-known-good/1"
# Releases hold nothing this big; the limit only bounds a mistaken build.
MAX_MANIFEST_FILE_SIZE = 1024 * 1024 * 1024
_SAFE_LABEL = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._+-]{0,99}$")


class KnownGoodError(Exception):
    """A manifest cannot be built, read or written."""


@dataclass(frozen=True)
class ReleaseManifest:
    """The sha256 of every file of one release, by its path in the release."""

    name: str
    version: str
    files: dict[bytes, str]

    @property
    def label(self) -> str:
        """``name version``, as findings and listings show the release."""
        return f"{self.name} {self.version}"

    def to_json(self) -> dict[str, Any]:
        """The manifest file's content; odd bytes in names survive as escapes."""
        return {
            "format": MANIFEST_FORMAT,
            "name": self.name,
            "version": self.version,
            "files": {
                os.fsdecode(path): digest for path, digest in sorted(self.files.items())
            },
        }

    @classmethod
    def from_json(cls, data: Any) -> ReleaseManifest:
        """Read a manifest file's content; ``KnownGoodError`` if it is not one."""
        if not isinstance(data, dict) or data.get("format") != MANIFEST_FORMAT:
            raise KnownGoodError(f"not a {MANIFEST_FORMAT} manifest")
        name, version, files = data.get("name"), data.get("version"), data.get("files")
        if not isinstance(name, str) or not isinstance(version, str):
            raise KnownGoodError("manifest lacks a name or version")
        if not isinstance(files, dict):
            raise KnownGoodError("manifest lacks its files")
        parsed: dict[bytes, str] = {}
        for path, digest in files.items():
            if not isinstance(digest, str) or not re.fullmatch(r"[0-9a-f]{64}", digest):
                raise KnownGoodError(f"bad sha256 for {path!r}")
            parsed[os.fsencode(path)] = digest
        return cls(name=name, version=version, files=parsed)


@dataclass(frozen=True)
class KnownGood:
    """Every manifest of a store, ready for scans."""

    releases: dict[tuple[str, str], ReleaseManifest] = field(default_factory=dict)

    @cached_property
    def hashes(self) -> frozenset[bytes]:
        """The binary sha256 of every known file, as the workers compare them."""
        return frozenset(
            bytes.fromhex(digest)
            for manifest in self.releases.values()
            for digest in manifest.files.values()
        )

    @cached_property
    def fingerprint(self) -> str:
        """Changes whenever the set of known files does."""
        digest = hashlib.sha256()
        for key in sorted(self.releases):
            manifest = self.releases[key]
            digest.update(f"{manifest.label}\0{len(manifest.files)}\0".encode())
            for path in sorted(manifest.files):
                digest.update(path + b"\0" + manifest.files[path].encode())
        return digest.hexdigest()[:16]

    def release(self, name: str, version: str) -> ReleaseManifest | None:
        """The manifest of one release, if the store has it."""
        return self.releases.get((name, version))


def default_store_dir() -> Path:
    """The per-user store: ``$XDG_DATA_HOME/cleanshift/known-good``."""
    base = os.environ.get("XDG_DATA_HOME") or os.path.expanduser("~/.local/share")
    return Path(base) / "cleanshift" / "known-good"


def check_label(kind: str, value: str) -> str:
    """A name or version safe to use in a file name, or ``KnownGoodError``."""
    if not _SAFE_LABEL.match(value):
        raise KnownGoodError(
            f"{kind} {value!r} must be letters, digits, '.', '_', '+' or '-'"
        )
    return value


def build_manifest(tree: bytes, name: str, version: str) -> ReleaseManifest:
    """Hash every regular file below ``tree`` (links and special files skipped)."""
    files: dict[bytes, str] = {}
    for item in walk_tree(tree, max_file_size=MAX_MANIFEST_FILE_SIZE):
        if not isinstance(item, FileEntry):
            logger.debug("not in the manifest: %r (%s)", item.path, item.reason)
            continue
        try:
            with open(item.path, "rb") as handle:
                files[item.relative] = hashlib.file_digest(handle, "sha256").hexdigest()
        except OSError as error:
            raise KnownGoodError(
                f"cannot read {os.fsdecode(item.path)}: {error}"
            ) from error
    if not files:
        raise KnownGoodError(f"no files to record under {os.fsdecode(tree)}")
    return ReleaseManifest(
        name=check_label("name", name),
        version=check_label("version", version),
        files=files,
    )


def write_manifest(manifest: ReleaseManifest, path: Path) -> None:
    """Write a manifest atomically, so a scan never reads half of one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.partial")
    partial.write_text(
        json.dumps(manifest.to_json(), indent=1) + "\n", encoding="utf-8"
    )
    os.replace(partial, path)


def manifest_path(store: Path, manifest: ReleaseManifest) -> Path:
    """Where the store keeps a release's manifest."""
    return store / f"{manifest.name}-{manifest.version}.json"


def load_store(store: Path) -> KnownGood:
    """Every manifest in ``store``; a missing store is empty, a bad file skipped."""
    releases: dict[tuple[str, str], ReleaseManifest] = {}
    if not store.is_dir():
        return KnownGood()
    for path in sorted(store.glob("*.json")):
        try:
            manifest = ReleaseManifest.from_json(
                json.loads(path.read_text(encoding="utf-8"))
            )
        except (OSError, ValueError, KnownGoodError) as error:
            logger.warning("ignoring known-good manifest %s: %s", path, error)
            continue
        releases[(manifest.name, manifest.version)] = manifest
    logger.debug("loaded %d known-good release(s) from %s", len(releases), store)
    return KnownGood(releases)
