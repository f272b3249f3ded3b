"""Where attackers write, and which files a quick scan therefore always reads.

A quick scan trusts the cache for a file whose device, inode, size, mtime
and ctime are unchanged. As defence in depth (a clock turned back, a file
system whose ctime cannot be trusted, a write through a shared mapping) it
still always reads:

- every file below a folder named ``uploads``, ``upload``, ``files``,
  ``images``, ``image``, ``img``, ``media``, ``tmp``, ``temp``, ``cache``
  or ``upgrade``, at any depth and in any letter case;
- the top level of the scanned folder and of every site root inside it (a
  folder holding ``wp-load.php``, ``wp-config.php`` or ``configuration.php``,
  or the root above ``app/etc/env.php`` or ``sites/default/settings.php``);
- web server and PHP settings: ``.htaccess``, ``.user.ini``, ``php.ini``;
- configuration files that run on every request: ``wp-config.php``,
  ``configuration.php`` (Joomla), ``settings.php`` (Drupal) and ``env.php``
  (Magento).

A deep scan flags a PHP file (``.php``, ``.php3`` to ``.php8``, ``.phtml``,
``.pht``, ``.phar``, or any name holding ``.php.``) below an upload folder:
``wp-content/uploads``, Drupal's ``sites/*/files``, Magento's ``pub/media``,
or an ``uploads``, ``upload`` or ``images`` folder at the top of a site.
That list is narrower than the one above because a hit is reported, and
core trees keep PHP in folders such as ``wp-includes/SimplePie/Cache``.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from functools import lru_cache

WRITABLE_FOLDERS = frozenset(
    {
        b"uploads",
        b"upload",
        b"files",
        b"images",
        b"image",
        b"img",
        b"media",
        b"tmp",
        b"temp",
        b"cache",
        b"upgrade",
    }
)
ALWAYS_READ_NAMES = frozenset(
    {
        b".htaccess",
        b".user.ini",
        b"php.ini",
        b"wp-config.php",
        b"configuration.php",
        b"settings.php",
        b"env.php",
    }
)
SITE_ROOT_MARKERS = (
    b"wp-load.php",
    b"wp-config.php",
    b"configuration.php",
    b"app/etc/env.php",
    b"sites/default/settings.php",
)
UPLOAD_FOLDER_PATHS = (b"/wp-content/uploads/", b"/pub/media/")
SITE_TOP_UPLOAD_FOLDERS = frozenset({b"uploads", b"upload", b"images"})
_DRUPAL_FILES = re.compile(rb"/sites/[^/]+/files/")
_PHP_EXTENSIONS = frozenset(
    {b".php", b".php3", b".php4", b".php5", b".php7", b".php8", b".phtml"}
    | {b".pht", b".phar"}
)


def find_site_roots(relatives: Iterable[bytes]) -> frozenset[bytes]:
    """Folders (relative to the scanned root) that hold a site; ``b""`` always."""
    roots = {b""}
    for relative in relatives:
        if not relative.endswith(SITE_ROOT_MARKERS):
            continue
        for marker in SITE_ROOT_MARKERS:
            if relative == marker:
                roots.add(b"")
            elif relative.endswith(b"/" + marker):
                roots.add(relative[: -len(marker) - 1])
    return frozenset(roots)


def must_read(relative: bytes, site_roots: frozenset[bytes]) -> bool:
    """Whether a quick scan reads this file even if the cache knows it."""
    directory, _, name = relative.rpartition(b"/")
    if name.lower() in ALWAYS_READ_NAMES or directory in site_roots:
        return True
    return _is_writable_folder(directory)


@lru_cache(maxsize=4096)
def _is_writable_folder(directory: bytes) -> bool:
    return any(part in WRITABLE_FOLDERS for part in directory.lower().split(b"/"))


def is_php_name(name: bytes) -> bool:
    """Whether a web server may run this file as PHP.

    Apache's ``AddHandler`` runs ``shell.php.jpg`` as PHP, so a ``.php.``
    anywhere in the name counts as well as a PHP extension.
    """
    lowered = name.lower()
    return os.path.splitext(lowered)[1] in _PHP_EXTENSIONS or b".php." in lowered


def is_php_in_uploads(relative: bytes, site_roots: frozenset[bytes]) -> bool:
    """Whether this is a PHP file inside an upload folder (see the module)."""
    if not is_php_name(os.path.basename(relative)):
        return False
    lowered = b"/" + relative.lower()
    if any(folder in lowered for folder in UPLOAD_FOLDER_PATHS):
        return True
    if _DRUPAL_FILES.search(lowered):
        return True
    for root in site_roots:
        prefix = root + b"/" if root else b""
        if not relative.startswith(prefix):
            continue
        parts = relative[len(prefix) :].split(b"/", 1)
        if len(parts) == 2 and parts[0].lower() in SITE_TOP_UPLOAD_FOLDERS:
            return True
    return False
