"""Small real trees for engine tests, and a scanner that records what it reads."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from cleanshift.engine.scanner import FileScanner
from cleanshift.engine.worker import FileResult

SHELL = b"<?php\n\n$x = 1;\nsystem($_GET['cmd']);\n"
# Harmless, and as long as SHELL, so a swap keeps the size.
CLEAN = b"<?php\n\n$x = 1;\necho strlen('ok');\n".ljust(len(SHELL), b" ")
WP_VERSION_FILE = b"<?php\n$wp_version = '6.1.9';\n$wp_db_version = 53496;\n"


def write(root: Path, relative: str, content: bytes) -> Path:
    """Write ``content`` at ``root/relative``, creating folders."""
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    return path


def make_site(root: Path) -> Path:
    """A small WordPress-like site: core, a plugin, uploads and settings."""
    write(root, "index.php", b"<?php require __DIR__ . '/wp-blog-header.php';\n")
    write(root, "wp-config.php", b"<?php define('DB_NAME', 'site');\n")
    write(root, "wp-load.php", b"<?php require 'wp-config.php';\n")
    write(root, "wp-includes/version.php", WP_VERSION_FILE)
    write(root, "wp-includes/functions.php", b"<?php function wp() { return 1; }\n")
    write(root, "wp-includes/plugin.php", b"<?php function add_action() {}\n")
    write(root, "wp-includes/js/jquery.js", b"/* jQuery */ var $ = 1;\n")
    write(root, "wp-content/plugins/tools/tools.php", SHELL)
    write(root, "wp-content/plugins/tools/.htaccess", b"Deny from all\n")
    write(root, "wp-content/uploads/2024/05/photo.jpg", b"\xff\xd8\xff\xe0 jpeg")
    write(root, "lib/helpers.php", CLEAN)
    return root


def restore_mtime(path: Path, mtime_ns: int, ctime_before_ns: int) -> None:
    """Set the mtime back to ``mtime_ns`` and wait until the ctime has moved.

    The kernel stamps ctime from a coarse clock, so a change within the same
    tick as the last one can leave it equal; touching again later moves it.
    """
    while True:
        os.utime(path, ns=(path.stat().st_atime_ns, mtime_ns))
        if path.stat().st_ctime_ns != ctime_before_ns:
            return
        time.sleep(0.01)


@contextmanager
def reads_recorded(scanner: FileScanner) -> Iterator[list[bytes]]:
    """The relative paths the in-process scanner reads while in the block."""
    read: list[bytes] = []
    original = scanner._local.scan

    def recording(path: bytes, relative: bytes, expected: str = "") -> FileResult:
        read.append(relative)
        return original(path, relative, expected)

    scanner._local.scan = recording  # type: ignore[method-assign]
    try:
        yield read
    finally:
        scanner._local.scan = original  # type: ignore[method-assign]
