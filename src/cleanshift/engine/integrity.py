"""Deep-scan checks beyond the rules: modified release files, PHP in uploads.

A site root is recognised by the file that names its release's version
(``wp-includes/version.php`` for WordPress); when the known-good store holds
the manifest of that exact release, every file of the site at a path the
manifest lists must have the manifest's hash, or it is an ``integrity``
finding. Files the manifest does not list are left to the rules.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from cleanshift.engine.findings import Finding
from cleanshift.engine.knowngood import KnownGood, ReleaseManifest
from cleanshift.engine.locations import is_php_in_uploads
from cleanshift.sites.discovery import wordpress_version

logger = logging.getLogger(__name__)

INTEGRITY_RULE = "integrity_modified_core_file"
PHP_IN_UPLOADS_RULE = "php_in_uploads"
# What reports show for the checks that are not YARA rules.
CHECK_DESCRIPTIONS = {
    INTEGRITY_RULE: "File differs from the known-good release it belongs to",
    PHP_IN_UPLOADS_RULE: "PHP file inside an upload folder",
}

VersionReader = Callable[[bytes], str | None]
# Release name in the manifests -> the file that names a site's version,
# relative to the site root, and how to read that version from the root.
VERSION_MARKERS: dict[str, tuple[bytes, VersionReader]] = {
    "wordpress": (b"wp-includes/version.php", wordpress_version),
}


@dataclass(frozen=True)
class ExpectedFile:
    """The hash a file must have, and the release that says so."""

    sha256: str
    manifest: ReleaseManifest


class IntegrityCheck:
    """The expected hash of every release file of the sites below one root."""

    def __init__(
        self, root: bytes, relatives: Iterable[bytes], known_good: KnownGood
    ) -> None:
        self.expected: dict[bytes, ExpectedFile] = {}
        for prefix, manifest in _release_sites(root, relatives, known_good):
            logger.debug("site %r runs %s", prefix, manifest.label)
            for path, digest in manifest.files.items():
                relative = os.path.join(prefix, path) if prefix else path
                self.expected[relative] = ExpectedFile(digest, manifest)

    def check(self, relative: bytes, sha256: str) -> Finding | None:
        """An integrity finding if the file differs from its release."""
        expected = self.expected.get(relative)
        if expected is None or expected.sha256 == sha256:
            return None
        return Finding(
            path=relative,
            rule=INTEGRITY_RULE,
            severity="high",
            type="integrity",
            family="integrity",
            title=f"Modified file of {expected.manifest.label}",
            sha256=sha256,
            snippet=f"expected sha256 {expected.sha256}",
            matched_rules=(INTEGRITY_RULE,),
        )


def php_in_uploads_finding(
    relative: bytes, sha256: str, site_roots: frozenset[bytes]
) -> Finding | None:
    """A finding for a PHP file inside an upload folder, else ``None``."""
    if not is_php_in_uploads(relative, site_roots):
        return None
    return Finding(
        path=relative,
        rule=PHP_IN_UPLOADS_RULE,
        severity="medium",
        type="malware",
        family="php-in-uploads",
        title=CHECK_DESCRIPTIONS[PHP_IN_UPLOADS_RULE],
        sha256=sha256,
        matched_rules=(PHP_IN_UPLOADS_RULE,),
    )


def _release_sites(
    root: bytes, relatives: Iterable[bytes], known_good: KnownGood
) -> list[tuple[bytes, ReleaseManifest]]:
    if not known_good.releases:
        return []
    markers = {
        marker: (name, reader)
        for name, (marker, reader) in VERSION_MARKERS.items()
        if any(key[0] == name for key in known_good.releases)
    }
    sites = []
    for relative in relatives:
        for marker, (name, reader) in markers.items():
            if relative == marker:
                prefix = b""
            elif relative.endswith(b"/" + marker):
                prefix = relative[: -len(marker) - 1]
            else:
                continue
            version = reader(os.path.join(root, prefix) if prefix else root)
            manifest = known_good.release(name, version) if version else None
            if manifest is None:
                logger.debug("no known-good %s %s for %r", name, version, prefix)
                continue
            sites.append((prefix, manifest))
    return sites
