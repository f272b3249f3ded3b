"""A local, content-addressed store of pristine release files.

``add_tree`` records a release (WordPress core 6.1.9, a plugin at one
version) as a manifest of relative path -> sha256, and keeps one copy of
each distinct content under ``objects/<2 hex>/<sha256>``; releases share the
files they have in common. ``lookup`` gives the copy a release holds at a
path. Fill the store only from release archives you trust: the restore
playbook writes what it finds here into sites.

Release names: ``wordpress`` for core, ``wordpress-plugin-<slug>`` and
``wordpress-theme-<slug>`` for plugins and themes.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
from pathlib import Path

from cleanshift.engine.walker import FileEntry, walk_tree
from cleanshift.remediation.atomic import read_chunks, write_atomic
from cleanshift.remediation.errors import RemediationError

logger = logging.getLogger(__name__)

MANIFEST_FORMAT = "cleanshift-pristine/1"
# Releases hold nothing this big; the limit only bounds a mistaken add.
MAX_RELEASE_FILE_SIZE = 256 * 1024 * 1024
_SAFE_LABEL = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._+-]{0,127}$")


def plugin_release_name(software_type: str, slug: str) -> str:
    """The store's name for a plugin's or theme's releases."""
    return f"wordpress-{software_type}-{slug}"


class PristineStore:
    """Pristine copies of release files, by release and relative path."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def add_tree(self, tree: Path, name: str, version: str) -> int:
        """Record every regular file below ``tree`` as release ``name version``.

        Returns how many files the release has. Links and special files are
        left out, as the scan leaves them out.
        """
        manifest: dict[str, str] = {}
        for item in walk_tree(os.fsencode(tree), max_file_size=MAX_RELEASE_FILE_SIZE):
            if not isinstance(item, FileEntry):
                logger.debug("not added: %r (%s)", item.path, item.reason)
                continue
            manifest[os.fsdecode(item.relative)] = self._add_object(item.path)
        if not manifest:
            raise RemediationError(f"no files to add under {tree}")
        path = self._manifest_path(name, version)
        path.parent.mkdir(parents=True, exist_ok=True)
        document = {
            "format": MANIFEST_FORMAT,
            "name": name,
            "version": version,
            "files": dict(sorted(manifest.items())),
        }
        text = json.dumps(document, indent=1) + "\n"
        write_atomic(os.fsencode(path), [text.encode("utf-8")], mode=0o644)
        logger.info("pristine %s %s added: %d files", name, version, len(manifest))
        return len(manifest)

    def lookup(
        self, name: str, version: str, relative_path: bytes | str
    ) -> Path | None:
        """The pristine copy of one file of a release, if the store has it."""
        digest = self.expected_sha256(name, version, relative_path)
        if digest is None:
            return None
        copy = self._object_path(digest)
        return copy if copy.is_file() else None

    def expected_sha256(
        self, name: str, version: str, relative_path: bytes | str
    ) -> str | None:
        """The sha256 the release has at ``relative_path``, if it is known."""
        if not (_SAFE_LABEL.match(name) and _SAFE_LABEL.match(version)):
            return None
        path = self._manifest_path(name, version)
        try:
            document = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as error:
            logger.warning("pristine manifest %s is unreadable: %s", path, error)
            return None
        if not isinstance(document, dict) or document.get("format") != MANIFEST_FORMAT:
            return None
        files = document.get("files")
        key = (
            os.fsdecode(relative_path)
            if isinstance(relative_path, bytes)
            else relative_path
        )
        digest = files.get(key) if isinstance(files, dict) else None
        return digest if isinstance(digest, str) else None

    def _manifest_path(self, name: str, version: str) -> Path:
        for kind, value in (("name", name), ("version", version)):
            if not _SAFE_LABEL.match(value):
                raise RemediationError(
                    f"release {kind} {value!r} must be letters, digits, "
                    "'.', '_', '+' or '-'"
                )
        return self.root / "releases" / name / f"{version}.json"

    def _object_path(self, digest: str) -> Path:
        return self.root / "objects" / digest[:2] / digest

    def _add_object(self, source: bytes) -> str:
        with open(source, "rb") as handle:
            digest = hashlib.file_digest(handle, "sha256").hexdigest()
        target = self._object_path(digest)
        if target.is_file():
            return digest
        target.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(source, os.O_RDONLY | os.O_NOFOLLOW)
        try:
            write_atomic(
                os.fsencode(target),
                read_chunks(descriptor),
                mode=0o644,
                expected_sha256=digest,
            )
        finally:
            os.close(descriptor)
        return digest
